from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.notifications.backends import FlakyBackend


@pytest.fixture
def flaky_backend(settings: Any) -> Iterator[type[FlakyBackend]]:
    settings.EMAIL_BACKEND = "tests.notifications.backends.FlakyBackend"
    FlakyBackend.errors = []
    yield FlakyBackend
    FlakyBackend.errors = []
