"""The tracked assembly as a fixture (see helpers.make_tracked)."""

from __future__ import annotations

from typing import Any

import pytest

from .helpers import Tracked, make_tracked


@pytest.fixture
def tracked(assembly: Any, organiser: Any) -> Tracked:
    return make_tracked(assembly, organiser)
