"""Open data: the public API lists' query parameters. A malformed one is a
400 whose message names it (never a silent default, never a 500); a blank
``assembly`` means every assembly, the same on every list; a repeated one is
a 400; and the schema says so."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from django.urls import reverse

from tests.test_opendata import _two_open_assemblies

pytestmark = pytest.mark.django_db

LISTS = [
    "api:public-assembly-list",
    "api:session-list",
    "api:public-recommendation-list",
    "api:public-report-list",
    "api:tracker-list",
]

BAD = [
    ("limit=abc", "limit"),
    ("limit=-1", "limit"),
    ("limit=0", "limit"),
    ("limit=1.5", "limit"),
    ("limit=", "limit"),
    ("offset=", "offset"),
    ("offset=abc", "offset"),
    ("offset=-1", "offset"),
    ("limit=5&limit=6", "limit"),
    ("assembly=%00", "assembly"),
    ("assembly=no%20such", "assembly"),
    ("assembly=a&assembly=b", "assembly"),
]


@pytest.fixture
def rows(client: Any, tenant: Any) -> Any:
    from tests.factories import SessionFactory

    first, second, _hidden = _two_open_assemblies(tenant)
    SessionFactory(assembly=first, is_public=True)
    SessionFactory(assembly=second, is_public=True)
    return first, second


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize(("query", "parameter"), BAD)
def test_a_malformed_parameter_is_a_400_naming_it(
    client: Any, rows: Any, name: str, query: str, parameter: str
) -> None:
    response = client.get(f"{reverse(name)}?{query}")
    assert response.status_code == 400, (name, query)
    detail = response.json()["detail"]
    assert isinstance(detail, str) and parameter in detail, (name, query, detail)
    assert "Link" not in response  # an error states no licence


@pytest.mark.parametrize(
    "as_of", ["abc", "2026-13-45", "99999-01-01", "2026-02-30", "20260131", "2026-W01-1", ""]
)
def test_the_trackers_as_of_must_be_a_date(client: Any, rows: Any, as_of: str) -> None:
    response = client.get(reverse("api:tracker-list"), {"as_of": as_of})
    assert response.status_code == 400, as_of
    assert "as_of" in response.json()["detail"] and "YYYY-MM-DD" in response.json()["detail"]


@pytest.mark.parametrize("as_of", ["2026-01-31", "0001-01-01", "9999-12-31"])
def test_the_trackers_as_of_answers_at_that_date(client: Any, rows: Any, as_of: str) -> None:
    response = client.get(reverse("api:tracker-list"), {"as_of": as_of})
    assert response.status_code == 200, as_of
    assert {row["headline"]["as_of"] for row in response.json()["results"]} == {as_of}


@pytest.mark.parametrize("name", LISTS)
def test_a_blank_assembly_is_no_filter_on_every_list(client: Any, rows: Any, name: str) -> None:
    everything = client.get(reverse(name)).json()
    blank = client.get(f"{reverse(name)}?assembly=").json()
    spaces = client.get(f"{reverse(name)}?assembly=%20").json()
    assert everything["count"] >= 2
    assert blank == everything == spaces, name


@pytest.mark.parametrize("name", LISTS)
def test_one_assembly_filters_and_an_unknown_one_lists_nothing(client: Any, rows: Any, name: str) -> None:
    first, _second = rows
    one = client.get(reverse(name), {"assembly": first.slug}).json()
    assert one["count"] >= 1 and set(one["licences"]) == {first.slug}, name
    assert client.get(reverse(name), {"assembly": "nope"}).json()["count"] == 0, name


@pytest.mark.parametrize("name", LISTS)
def test_a_large_limit_is_capped_and_a_large_offset_is_an_empty_page(
    client: Any, rows: Any, name: str
) -> None:
    assert client.get(f"{reverse(name)}?limit=99999999999999999999999").status_code == 200
    assert client.get(f"{reverse(name)}?limit=%205%20").json()["count"] >= 2
    assert client.get(f"{reverse(name)}?offset=99999999999999999999999").json()["results"] == []
    assert client.get(f"{reverse(name)}?limit={'9' * 5000}&offset={'9' * 5000}").json()["results"] == []


def test_the_schema_documents_the_parameters_the_same_on_every_list(client: Any, db: None) -> None:
    schema = yaml.safe_load(client.get("/api/schema/").content)
    assembly_parameters = []
    for path in ("assemblies", "sessions", "recommendations", "reports", "tracker"):
        operation = schema["paths"][f"/api/v1/{path}/"]["get"]
        parameters = {p["name"]: p for p in operation["parameters"]}
        assert parameters["limit"]["schema"]["minimum"] == 1 and "200" in parameters["limit"]["description"]
        assert parameters["offset"]["schema"]["minimum"] == 0
        assembly_parameters.append(parameters["assembly"])
        assert (
            "detail" in operation["responses"]["400"]["content"]["application/json"]["schema"]["properties"]
        )
    assert all(p == assembly_parameters[0] for p in assembly_parameters)
    assert (
        "once" in assembly_parameters[0]["description"] and "blank" in assembly_parameters[0]["description"]
    )
