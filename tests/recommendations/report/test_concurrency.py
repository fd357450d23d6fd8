"""Reports made at the same time, against real PostgreSQL: versions never
share a number (the assembly's row is locked while the next one is chosen)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from reports.models import Document
from reports.services import document_create
from tests.factories import AssemblyFactory

pytestmark = [pytest.mark.requires_postgres, pytest.mark.django_db(transaction=True)]


def test_versions_made_at_once_get_distinct_numbers() -> None:
    assembly = AssemblyFactory()
    barrier = threading.Barrier(6)
    errors: list[BaseException] = []

    def make() -> None:
        try:
            barrier.wait()
            document_create(assembly=assembly, kind="final", language="en")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=make) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors, errors
    versions = sorted(Document.objects.filter(assembly=assembly).values_list("version", flat=True))
    assert versions == [1, 2, 3, 4, 5, 6]
