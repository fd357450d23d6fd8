"""Open data: the licence each assembly chose is in every public API response
(headers and JSON) and in the headers of every download, never inside a CSV."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
import yaml
from django.urls import reverse

from assemblies.models import DataLicence, Stage
from tests.factories import AssemblyFactory, OrganisationFactory, SessionFactory, make_adopted

pytestmark = pytest.mark.django_db

CC_BY = "https://creativecommons.org/licenses/by/4.0/"
CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"


def published(assembly: Any, licence: str = DataLicence.CC_BY_4) -> Any:
    assembly.stage = Stage.PUBLISHED
    assembly.is_public = True
    assembly.data_licence = licence
    assembly.save(update_fields=["stage", "is_public", "data_licence"])
    return assembly


@pytest.fixture
def open_assembly(assembly: Any) -> Any:
    make_adopted(assembly, title="Insulate every school")
    SessionFactory(assembly=assembly, is_public=True, title="Weekend on heat pumps")
    return published(assembly, DataLicence.CC0)


def lists(slug: str) -> dict[str, str]:
    return {
        "assemblies": f"/api/v1/assemblies/?assembly={slug}",
        "sessions": f"/api/v1/sessions/?assembly={slug}",
        "recommendations": f"/api/v1/recommendations/?assembly={slug}",
    }


@pytest.mark.parametrize("endpoint", ["assemblies", "sessions", "recommendations"])
def test_every_public_list_states_the_assemblys_licence(
    client: Any, open_assembly: Any, endpoint: str
) -> None:
    response = client.get(lists(open_assembly.slug)[endpoint])
    assert response.status_code == 200
    assert response["Link"] == f'<{CC0}>; rel="license"'
    assert response["X-Licence"] == "CC0 1.0"
    body = response.json()
    assert list(body)[-1] == "results" and body["results"]
    expected = {"id": "cc0-1.0", "name": "CC0 1.0", "url": CC0, "attribution": "Alpha Council"}
    assert body["licence"] == expected
    assert body["licences"] == {open_assembly.slug: expected}


def test_the_default_licence_is_cc_by(client: Any, db: None) -> None:
    assembly: Any = AssemblyFactory()
    assert assembly.data_licence == DataLicence.CC_BY_4
    response = client.get(f"/api/v1/assemblies/{assembly.slug}/")
    assert response["Link"] == f'<{CC_BY}>; rel="license"' and response["X-Licence"] == "CC BY 4.0"
    assert response.json()["licence"]["name"] == "CC BY 4.0"


def test_a_list_spanning_licences_names_each_and_no_single_one(client: Any, open_assembly: Any) -> None:
    other = published(AssemblyFactory(organisation=OrganisationFactory(name="Beta Council"), slug="beta"))
    response = client.get("/api/v1/assemblies/")
    body = response.json()
    assert body["licence"] is None
    assert body["licences"][open_assembly.slug]["url"] == CC0
    assert body["licences"][other.slug] == {
        "id": "cc-by-4.0",
        "name": "CC BY 4.0",
        "url": CC_BY,
        "attribution": "Beta Council",
    }
    assert CC0 in response["Link"] and CC_BY in response["Link"]
    assert set(response["X-Licence"].split(", ")) == {"CC0 1.0", "CC BY 4.0"}


def test_a_list_of_two_organisations_under_one_licence_credits_each_and_names_no_single_one(
    client: Any, open_assembly: Any
) -> None:
    # Same licence, different organisations: a top-level licence would credit only one.
    published(open_assembly, DataLicence.CC_BY_4)
    other = published(
        AssemblyFactory(
            organisation=OrganisationFactory(name="Riverside City Council"), starts_on="2020-01-01"
        )
    )
    make_adopted(other, title="Open the riverside")
    for url in ("/api/v1/assemblies/", "/api/v1/recommendations/"):
        response = client.get(url)
        body = response.json()
        assert body["licence"] is None, url
        assert body["licences"][open_assembly.slug]["attribution"] == "Alpha Council", url
        assert body["licences"][other.slug]["attribution"] == "Riverside City Council", url
        # The headers state the licence's terms only: one licence, one Link.
        assert response["Link"] == f'<{CC_BY}>; rel="license"' and response["X-Licence"] == "CC BY 4.0"
    # Two assemblies of one organisation under one licence share one notice
    # (the first page: the other organisation's assembly started first, so comes last).
    published(AssemblyFactory(organisation=open_assembly.organisation))
    body = client.get("/api/v1/assemblies/?limit=2").json()
    assert len(body["licences"]) == 2 and body["licence"] == next(iter(body["licences"].values()))


def test_the_assemblies_list_filters_by_assembly(client: Any, open_assembly: Any) -> None:
    published(AssemblyFactory(slug="beta"))
    assert [a["slug"] for a in client.get("/api/v1/assemblies/?assembly=beta").json()["results"]] == ["beta"]
    empty = client.get("/api/v1/assemblies/?assembly=nothing-here").json()
    assert empty["results"] == [] and empty["licence"] is None and empty["licences"] == {}


def test_an_empty_page_of_a_known_assembly_still_states_its_licence(client: Any, assembly: Any) -> None:
    published(assembly, DataLicence.OGL_UK_3)
    response = client.get(f"/api/v1/sessions/?assembly={assembly.slug}")
    assert response.json()["results"] == []
    assert response.json()["licence"]["name"] == "OGL-UK 3.0"
    assert "open-government-licence/version/3" in response["Link"]


def test_single_objects_carry_their_licence(client: Any, open_assembly: Any) -> None:
    session = open_assembly.sessions.get()
    for url in (
        f"/api/v1/assemblies/{open_assembly.slug}/",
        f"/api/v1/assemblies/{open_assembly.slug}/figures/",
        f"/api/v1/sessions/{session.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.json()["licence"]["url"] == CC0, url
        assert response["Link"] == f'<{CC0}>; rel="license"', url


def test_errors_carry_no_licence(client: Any, db: None) -> None:
    response = client.get("/api/v1/assemblies/no-such-assembly/")
    assert response.status_code == 404 and "Link" not in response


def test_the_csv_download_has_the_licence_in_its_headers_only_and_round_trips(
    client: Any, open_assembly: Any
) -> None:
    response = client.get(reverse("recommendations:download_csv", args=[open_assembly.slug]))
    assert response.status_code == 200
    assert response["Link"] == f'<{CC0}>; rel="license"' and response["X-Licence"] == "CC0 1.0"
    text = response.content.decode()
    assert "CC0" not in text and "licen" not in text.lower()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["title"] for row in rows] == ["Insulate every school"]
    api = client.get(f"/api/v1/recommendations/?assembly={open_assembly.slug}").json()["results"]
    assert [(int(r["number"]), r["title"], r["url"]) for r in rows] == [
        (r["number"], r["title"], r["url"]) for r in api
    ]


def test_the_json_downloads_carry_the_licence_as_a_header_and_a_key(client: Any, open_assembly: Any) -> None:
    expected = {"id": "cc0-1.0", "name": "CC0 1.0", "url": CC0, "attribution": "Alpha Council"}
    for name, rows in (
        ("recommendations:download_json", "recommendations"),
        ("advocacy:tracker_json", "recommendations"),
    ):
        response = client.get(reverse(name, args=[open_assembly.slug]))
        assert response.status_code == 200, name
        assert response["X-Licence"] == "CC0 1.0" and response["Link"] == f'<{CC0}>; rel="license"', name
        body = json.loads(response.content)
        assert body["licence"] == expected, name
        assert body["assembly"] == open_assembly.slug and body[rows], name
    api = client.get(f"/api/v1/assemblies/{open_assembly.slug}/").json()["licence"]
    assert api == expected  # the same notice as the API's


def test_the_schema_documents_the_licence(client: Any, db: None) -> None:
    schema = yaml.safe_load(client.get("/api/schema/").content)
    licence = schema["components"]["schemas"]["Licence"]
    assert set(licence["required"]) == {"id", "name", "url", "attribution"}
    for path in ("/api/v1/assemblies/", "/api/v1/sessions/", "/api/v1/recommendations/"):
        ok = schema["paths"][path]["get"]["responses"]["200"]
        assert {"Link", "X-Licence"} <= set(ok["headers"]), path
        paged = ok["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
        properties = schema["components"]["schemas"][paged]["properties"]
        assert {"licence", "licences", "results"} <= set(properties), path
    detail = schema["paths"]["/api/v1/sessions/{id}/"]["get"]["responses"]["200"]
    component = detail["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert "licence" in schema["components"]["schemas"][component]["properties"]
    assert "X-Licence" in detail["headers"]


def test_organisers_choose_the_licence_in_the_assembly_admin(organiser_client: Any, assembly: Any) -> None:
    url = reverse("admin:assemblies_assembly_change", args=[assembly.pk])
    page = organiser_client.get(url).content.decode()
    assert 'name="data_licence"' in page and "OGL-UK 3.0" in page


def test_published_reports_and_their_files_state_the_licence(client: Any, assembly: Any) -> None:
    from tests.recommendations.report.helpers import reported_assembly, stored_document

    reported_assembly(assembly, 1)
    published(assembly, DataLicence.CC0)
    final = stored_document(assembly, status="published")
    response = client.get(f"/api/v1/reports/?assembly={assembly.slug}")
    assert response["X-Licence"] == "CC0 1.0"
    body = response.json()
    assert body["licence"]["url"] == CC0 and [r["version"] for r in body["results"]] == [1]
    for fmt, first_bytes in (("pdf", b"%PDF"), ("json", b'{"report"'), ("csv", b"number,title")):
        download = client.get(f"/assemblies/{assembly.slug}/reports/{final.name}.{fmt}")
        assert download.status_code == 200
        assert download["Link"] == f'<{CC0}>; rel="license"', fmt
        assert b"".join(download.streaming_content).startswith(first_bytes)  # the file as stored


def test_the_lottery_bundle_download_states_the_licence_in_its_headers_only(
    client: Any, assembly: Any, organiser: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from lottery.selection import services
    from tests.factories import make_pool

    make_pool(assembly)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.selection_run_start(assembly=assembly, request_key="licence", by=organiser)
    run.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        run = services.selection_publish_commitment(run=run, randomness_source="two dice", by=organiser)
    response = client.get(reverse("lottery:selection_bundle", args=[assembly.slug]))
    assert response.status_code == 200
    assert response["Link"] == f'<{CC_BY}>; rel="license"' and response["X-Licence"] == "CC BY 4.0"
    assert "licence" not in json.loads(response.content)


def _two_open_assemblies(tenant: Any) -> tuple[Any, Any, Any]:
    """Two published assemblies under different licences (each with two
    adopted recommendations and a published report) and a draft one."""
    from tests.recommendations.report.helpers import stored_document

    first = published(AssemblyFactory(organisation=tenant.organisation, title="A first"), DataLicence.CC0)
    second = published(AssemblyFactory(organisation=OrganisationFactory(), title="B second"))
    hidden = AssemblyFactory(organisation=tenant.organisation, title="C hidden")
    for assembly in (first, second, hidden):
        make_adopted(assembly, title=f"{assembly.title}: one")
        make_adopted(assembly, title=f"{assembly.title}: two")
        stored_document(assembly, status="published")
    return first, second, hidden


@pytest.mark.parametrize(
    "name", ["api:public-recommendation-list", "api:public-report-list", "api:tracker-list"]
)
def test_a_list_without_an_assembly_spans_every_published_one(client: Any, tenant: Any, name: str) -> None:
    first, second, hidden = _two_open_assemblies(tenant)
    per_assembly = 1 if name in ("api:public-report-list", "api:tracker-list") else 2

    everything = client.get(reverse(name)).json()
    one = client.get(reverse(name) + f"?assembly={second.slug}").json()
    paged = client.get(reverse(name) + f"?limit=1&offset={per_assembly}").json()

    expected = [first.slug] * per_assembly + [second.slug] * per_assembly
    assert [row["assembly"] for row in everything["results"]] == expected
    assert everything["count"] == 2 * per_assembly
    assert everything["licence"] is None  # the rows' licences differ
    assert set(everything["licences"]) == {first.slug, second.slug}
    assert [row["assembly"] for row in one["results"]] == [second.slug] * per_assembly
    assert one["licence"]["name"] == "CC BY 4.0"
    assert [row["assembly"] for row in paged["results"]] == [second.slug]
    assert paged["count"] == 2 * per_assembly and hidden.slug not in str(everything)
