"""Versions, drafts and publishing: a draft is never public, a new version
never overwrites a published one, the SHA-256 on the page is the bytes served,
and another assembly's organiser gets a 404."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assemblies.models import AuditEvent, Role, Stage
from recommendations.report import services
from reports.models import Document, DocumentStatus
from tests.factories import TeamMembershipFactory, UserFactory

from .conftest import render
from .helpers import reported_assembly, stored_document

pytestmark = pytest.mark.django_db


def page_of(client: Any, assembly: Any) -> str:
    response = client.get(reverse("recommendations:reports", args=[assembly.slug]))
    assert response.status_code == 200
    return response.content.decode()


def served(client: Any, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content)


def test_a_draft_is_never_public(client: Any, assembly: Any) -> None:
    reported_assembly(assembly, 1)
    draft = stored_document(assembly)
    sha = draft.files.get(format="pdf").sha256

    assert sha not in page_of(client, assembly)
    for fmt in ("pdf", "json", "csv"):
        assert client.get(f"/assemblies/{assembly.slug}/reports/{draft.name}.{fmt}").status_code == 404
    assert client.get(f"/api/v1/reports/?assembly={assembly.slug}").json()["results"] == []


def test_published_files_are_linked_with_their_checksums(client: Any, assembly: Any) -> None:
    reported_assembly(assembly, 1)
    progress = stored_document(assembly, kind="progress", status="published")
    final = stored_document(assembly, status="published")
    html = page_of(client, assembly)

    links = re.findall(r'href="([^"]+\.(?:pdf|json|csv))"', html)
    assert links[0] == f"/assemblies/{assembly.slug}/reports/final-report-en-v1.pdf"  # the final report first
    assert {link.rsplit(".", 1)[1] for link in links} == {"pdf", "json", "csv"}
    assert len(links) == 6
    for link in links:
        body = served(client, link)
        digest = hashlib.sha256(body).hexdigest()
        # Written in full, as one 64-character string, with the size.
        assert f'<code class="break sha256">{digest}</code>' in html
        assert f"{len(body)} bytes" in html.replace("\xa0", " ")
    assert progress.name in html and final.title in html


def test_the_file_response_carries_its_digest(client: Any, assembly: Any) -> None:
    reported_assembly(assembly, 1)
    final = stored_document(assembly, status="published")
    response = client.get(f"/assemblies/{assembly.slug}/reports/{final.name}.pdf")

    assert response["Content-Type"] == "application/pdf"
    assert response["Repr-Digest"].startswith("sha-256=:")
    # A published version never changes: browsers and shared caches may keep it a while.
    assert response["Cache-Control"] == "public, max-age=300"
    assert 'filename="final-report-en-v1.pdf"' in response["Content-Disposition"]


def test_a_new_version_never_overwrites_a_published_one(
    assembly: Any, organiser: Any, django_capture_on_commit_callbacks: Any
) -> None:
    reported_assembly(assembly, 2)
    (first,) = render(assembly, django_capture_on_commit_callbacks, by=organiser)
    services.report_publish(document=first, by=organiser)
    before = {f.format: (f.sha256, f.file.name) for f in first.files.all()}

    (second,) = render(assembly, django_capture_on_commit_callbacks, by=organiser)

    first.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert first.status == DocumentStatus.PUBLISHED and second.status == DocumentStatus.DRAFT
    assert {f.format: (f.sha256, f.file.name) for f in first.files.all()} == before
    assert second.files.get(format="pdf").file.name != before["pdf"][1]
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.create(assembly=assembly, kind="final", language="en", version=1, name="again")
    actions = set(AuditEvent.objects.filter(assembly=assembly).values_list("action", flat=True))
    assert {"recommendations.report_rendered", "recommendations.report_published"} <= actions


def test_publishing_waits_for_the_assembly_and_the_rendering(assembly: Any, organiser: Any) -> None:
    from django.core.exceptions import ValidationError

    reported_assembly(assembly, 1, publish=False)
    document = stored_document(assembly)
    with pytest.raises(ValidationError, match="Publish the assembly's recommendations first"):
        services.report_publish(document=document, by=organiser)
    assembly.stage = Stage.PUBLISHED
    assembly.save(update_fields=["stage"])
    Document.objects.filter(pk=document.pk).update(rendered_at=None)
    document.refresh_from_db()
    with pytest.raises(ValidationError, match="not ready yet"):
        services.report_publish(document=document, by=organiser)


def test_the_screen_offers_publishing_only_when_it_can_be_done(
    client: Any, assembly: Any, organiser: Any
) -> None:
    reported_assembly(assembly, 1, publish=False)
    client.force_login(organiser)
    stored_document(assembly)
    screen = reverse("admin:recommendations_report_assembly", args=[assembly.pk])

    page = client.get(screen).content.decode()
    assert "Publish this version" not in page
    assert "Publish the assembly's recommendations first: then its reports can follow." in page
    assembly.stage, assembly.is_public = Stage.PUBLISHED, True
    assembly.save(update_fields=["stage", "is_public"])
    assert "Publish this version" in client.get(screen).content.decode()


def test_withdrawn_versions_leave_the_public_page(client: Any, assembly: Any, organiser: Any) -> None:
    reported_assembly(assembly, 1)
    final = stored_document(assembly, status="published")
    services.report_withdraw(document=final, by=organiser)

    assert client.get(f"/assemblies/{assembly.slug}/reports/{final.name}.pdf").status_code == 404
    assert "No report has been published yet." in page_of(client, assembly)


# --- the organisers' screen ---------------------------------------------------------
def test_organisers_render_download_a_draft_and_publish(
    client: Any, assembly: Any, organiser: Any, django_capture_on_commit_callbacks: Any
) -> None:
    reported_assembly(assembly, 2)
    client.force_login(organiser)
    screen = reverse("admin:recommendations_report_assembly", args=[assembly.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:recommendations_report_render", args=[assembly.pk]), {"kind": "final"}
        )
    assert response.status_code == 302
    document = Document.objects.get(assembly=assembly)
    html = client.get(screen).content.decode()
    assert "Publish this version" in html and document.files.get(format="pdf").sha256 in html

    draft = served(client, reverse("admin:recommendations_report_file", args=[document.pk, "pdf"]))
    assert draft.startswith(b"%PDF-")
    client.post(reverse("admin:recommendations_report_publish", args=[document.pk]))
    document.refresh_from_db()
    assert document.status == DocumentStatus.PUBLISHED


def test_a_progress_report_needs_a_real_date(client: Any, assembly: Any, organiser: Any) -> None:
    client.force_login(organiser)
    response = client.post(
        reverse("admin:recommendations_report_render", args=[assembly.pk]),
        {"kind": "progress", "as_of": "31/02/2026"},
        follow=True,
    )
    assert "is not a date: use YYYY-MM-DD" in response.content.decode()
    assert not Document.objects.exists()


def test_another_assemblys_organiser_gets_404(client: Any, assembly: Any, other_organiser: Any) -> None:
    document = stored_document(assembly)
    client.force_login(other_organiser)
    for url in (
        reverse("admin:recommendations_report_assembly", args=[assembly.pk]),
        reverse("admin:recommendations_report_file", args=[document.pk, "pdf"]),
    ):
        assert client.get(url).status_code == 404
    for url in (
        reverse("admin:recommendations_report_render", args=[assembly.pk]),
        reverse("admin:recommendations_report_publish", args=[document.pk]),
    ):
        assert client.post(url, {"kind": "final"}).status_code == 404
    assert not Document.objects.filter(status=DocumentStatus.PUBLISHED).exists()


def test_a_viewer_reads_but_does_not_make_or_publish(client: Any, tenant: Any) -> None:
    document = stored_document(tenant.assembly)
    viewer = UserFactory(username="alpha-viewer@example.org")
    TeamMembershipFactory(team=tenant.team, user=viewer, role=Role.VIEWER)
    client.force_login(viewer)

    html = client.get(
        reverse("admin:recommendations_report_assembly", args=[tenant.assembly.pk])
    ).content.decode()
    assert document.name in html and "Publish this version" not in html
    publish = reverse("admin:recommendations_report_publish", args=[document.pk])
    assert client.post(publish).status_code == 403


def test_the_public_page_and_api_do_not_query_per_report(client: Any, assembly: Any) -> None:
    reported_assembly(assembly, 1)

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    urls = [
        reverse("recommendations:reports", args=[assembly.slug]),
        f"/api/v1/reports/?assembly={assembly.slug}",
    ]
    stored_document(assembly, status="published")
    few = [count(u) for u in urls]
    for version in range(2, 7):
        stored_document(assembly, status="published", version=version)
    assert [count(u) for u in urls] == few
    assert max(few) <= 12


def test_the_api_lists_published_versions_with_their_files(client: Any, assembly: Any) -> None:
    reported_assembly(assembly, 1)
    stored_document(assembly, status="published")
    stored_document(assembly, version=2)  # a draft: not listed
    body = client.get(f"/api/v1/reports/?assembly={assembly.slug}").json()

    assert body["count"] == 1
    report = body["results"][0]
    assert (report["kind"], report["version"], report["language"]) == ("final", 1, "en")
    files = {f["format"]: f for f in report["files"]}
    assert (
        files["pdf"]["url"] == f"http://testserver/assemblies/{assembly.slug}/reports/final-report-en-v1.pdf"
    )
    assert len(files["csv"]["sha256"]) == 64
    assert client.get("/api/v1/reports/?assembly=no-such-assembly").json()["results"] == []
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/reports/" in schema


def test_the_assembly_page_links_to_the_reports(client: Any, assembly: Any) -> None:
    reported_assembly(assembly, 1)
    stored_document(assembly, status="published")
    html = client.get(assembly.get_absolute_url()).content.decode()

    assert reverse("recommendations:reports", args=[assembly.slug]) in html


def test_the_assembly_page_names_the_final_report_the_reports_page_lists_first(
    client: Any, assembly: Any
) -> None:
    """Both pages follow one order (the newest date, the reader's language,
    the newest version), so they name the same final report in each language."""
    reported_assembly(assembly, 1)
    assembly.languages = ["en", "fr"]
    assembly.save(update_fields=["languages"])
    for version, language, pages in ((1, "en", 4), (2, "fr", 9), (3, "en", 12)):
        document = stored_document(assembly, version=version, language=language, status="published")
        Document.objects.filter(pk=document.pk).update(pages=pages)
    for language, expected in (("en", "final-report-en-v3"), ("fr", "final-report-fr-v2")):
        client.cookies["django_language"] = language
        reports = page_of(client, assembly)
        first_pdf = re.search(r'href="[^"]*/([^/"]+)\.pdf"', reports)
        assert first_pdf is not None and first_pdf.group(1) == expected, language
        shown = Document.objects.get(assembly=assembly, name=expected)
        html = client.get(assembly.get_absolute_url()).content.decode()
        assert f"version {shown.version}, {shown.pages} pages" in html, language


def test_an_undated_final_report_comes_after_a_dated_one_on_both_pages(client: Any, assembly: Any) -> None:
    """The order is Python's, not the database's: PostgreSQL sorts a missing
    date first in a descending order and SQLite last."""
    import datetime as dt

    reported_assembly(assembly, 1)
    dated = stored_document(assembly, version=1, status="published")
    undated = stored_document(assembly, version=2, status="published")
    Document.objects.filter(pk=dated.pk).update(as_of=dt.date(2026, 5, 1), pages=7)
    Document.objects.filter(pk=undated.pk).update(as_of=None, pages=3)

    reports = page_of(client, assembly)
    first_pdf = re.search(r'href="[^"]*/([^/"]+)\.pdf"', reports)
    assert first_pdf is not None and first_pdf.group(1) == dated.name
    html = client.get(assembly.get_absolute_url()).content.decode()
    assert "version 1, 7 pages" in html and "version 2, 3 pages" not in html


def test_a_failed_rendering_says_so_and_stores_nothing(
    assembly: Any, organiser: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    from django.core.exceptions import ValidationError

    from reports import builders

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setitem(builders.BUILDERS, "final", broken)
    reported_assembly(assembly, 1)
    (document,) = render(assembly, django_capture_on_commit_callbacks, by=organiser)

    assert document.job.status == "failed" and "could not be made" in document.job.message
    assert not document.is_rendered and not document.files.exists()
    with pytest.raises(ValidationError, match="not ready yet"):
        services.report_publish(document=document, by=organiser)


def test_the_organisers_screen_does_not_query_per_version(client: Any, assembly: Any, organiser: Any) -> None:
    client.force_login(organiser)
    url = reverse("admin:recommendations_report_assembly", args=[assembly.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    stored_document(assembly)
    few = count()
    for version in range(2, 7):
        stored_document(assembly, version=version)
    assert count() == few <= 30
