"""schemathesis against the public API, in-process (the WSGI app): for every
public read-only operation, a bounded, derandomised set of generated requests
(MAX_EXAMPLES each, valid and invalid) must never get a server error, and
every response must match the OpenAPI schema (status code, content type,
headers, body)."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from assemblies.models import DataLicence, Stage
from config.wsgi import application
from tests.factories import EvidenceFactory, SessionFactory, make_adopted

MAX_EXAMPLES = 25

# The public operations: GET, anything but the organisers' /manage/ endpoints.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application).include(
    method="GET", path_regex=r"^/api/v1/(?!manage/)"
)


@pytest.fixture(autouse=True)
def _one_connection_per_test() -> Any:
    """Requests go straight to the WSGI app, so Django's request signals
    would close the test's connection (it is inside the test's transaction:
    on PostgreSQL the next query fails). Django's test client does the same."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def open_data(db: None, settings: Any) -> Any:
    """A published assembly with a public session, an adopted recommendation
    with its result, and one evidence item; the anonymous rate limit lifted."""
    settings.PLENARY_API_ANON_RATE = "1000000/min"
    from tests.personas import make_tenant

    tenant = make_tenant("open")
    assembly = tenant.assembly
    SessionFactory(assembly=assembly, is_public=True, title="Weekend on heat pumps")
    EvidenceFactory(assembly=assembly, is_published=True)
    make_adopted(assembly, title="Insulate every school")
    assembly.stage = Stage.PUBLISHED
    assembly.data_licence = DataLicence.CC_BY_SA_4
    assembly.save(update_fields=["stage", "data_licence"])
    return assembly


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_public_api_conforms_to_its_schema(case: Any, open_data: Any) -> None:
    # Invalid query values (a malformed limit, offset, as_of or slug) are
    # generated too: each must be refused (a 400), as documented.
    case.call_and_validate()
