"""The tracker file in the admin: download, upload → preview → confirm."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from advocacy.models import StatusChange, Tracking
from advocacy.tracker_file.columns import HEADER


def _url(assembly: Any, name: str = "advocacy_tracker_file") -> str:
    return reverse(f"admin:{name}", args=[assembly.pk])


def _download(client: Any, assembly: Any) -> list[list[str]]:
    response = client.get(_url(assembly, "advocacy_tracker_file_csv"))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-tracker.csv"')
    return list(csv.reader(response.content.decode().splitlines()))


def _upload(client: Any, assembly: Any, rows: list[list[str]], name: str = "T.csv") -> Any:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    upload = SimpleUploadedFile(name, out.getvalue().encode(), content_type="text/csv")
    return client.post(_url(assembly), {"file": upload})


def test_the_dashboard_screen_offers_both_downloads(
    organiser_client: Any, assembly: Any, tracker: Any
) -> None:
    page = organiser_client.get(_url(assembly))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Download CSV" in body and "Download XLSX" in body
    xlsx = organiser_client.get(_url(assembly, "advocacy_tracker_file_xlsx"))
    assert xlsx.status_code == 200
    assert xlsx.content[:2] == b"PK"


def test_upload_previews_each_change_and_confirm_applies_it(
    organiser_client: Any, assembly: Any, tracker: Any
) -> None:
    rows = _download(organiser_client, assembly)
    rows[3][HEADER.index("notes")] = "Chase the minister"
    history = StatusChange.objects.count()
    preview = _upload(organiser_client, assembly, rows)
    body = preview.content.decode()
    assert preview.status_code == 200
    assert "Chase the minister" in body and "1 change" in body
    assert StatusChange.objects.count() == history  # nothing applied yet
    payload = preview.context["payload"]
    assert payload

    done = organiser_client.post(
        _url(assembly, "advocacy_tracker_file_confirm"), {"payload": payload}, follow=True
    )
    assert "Applied: 1 change." in done.content.decode()
    assert Tracking.objects.get(recommendation=tracker[2]).notes == "Chase the minister"
    assert StatusChange.objects.filter(source="import", field="notes").count() == 1


def test_preview_lists_errors_with_row_and_column_and_offers_no_confirm(
    organiser_client: Any, assembly: Any, tracker: Any
) -> None:
    rows = _download(organiser_client, assembly)
    rows[2][HEADER.index("response_status")] = "perhaps"
    rows[3][HEADER.index("notes")] = "=1+1"
    preview = _upload(organiser_client, assembly, rows)
    plan = preview.context["plan"]
    assert [(e.row, e.column) for e in plan.errors] == [(3, "response_status"), (4, "notes")]
    body = preview.content.decode()
    assert "perhaps" in body
    assert "Apply these changes" not in body


def test_a_tampered_or_foreign_payload_applies_nothing(
    organiser_client: Any, assembly: Any, tracker: Any
) -> None:
    history = StatusChange.objects.count()
    response = organiser_client.post(
        _url(assembly, "advocacy_tracker_file_confirm"), {"payload": "forged:value"}, follow=True
    )
    assert "The preview has expired or was changed" in response.content.decode()
    assert StatusChange.objects.count() == history


def test_a_file_that_is_not_csv_or_xlsx_is_refused(
    organiser_client: Any, assembly: Any, tracker: Any
) -> None:
    response = _upload(organiser_client, assembly, [["x"]], name="T.txt")
    assert response.status_code == 200
    assert "The file must end in .csv or .xlsx." in response.content.decode()


def test_another_tenant_and_members_get_404(
    client: Any, assembly: Any, tracker: Any, other_organiser: Any, member: Any
) -> None:
    for person in (other_organiser, member):
        client.force_login(person)
        for name in ("advocacy_tracker_file", "advocacy_tracker_file_csv", "advocacy_tracker_file_xlsx"):
            assert client.get(_url(assembly, name)).status_code == 404
        assert client.post(_url(assembly, "advocacy_tracker_file_confirm"), {}).status_code == 404


def test_a_viewer_downloads_but_cannot_import(client: Any, tenant: Any, assembly: Any, tracker: Any) -> None:
    from tests.factories import TeamMembershipFactory, UserFactory

    viewer = UserFactory(username="alpha-viewer@example.org")
    TeamMembershipFactory(team=tenant.team, user=viewer, role="viewer")
    client.force_login(viewer)
    page = client.get(_url(assembly))
    assert page.status_code == 200
    assert "Preview the changes" not in page.content.decode()
    assert client.get(_url(assembly, "advocacy_tracker_file_csv")).status_code == 200
    assert client.post(_url(assembly, "advocacy_tracker_file_confirm"), {}).status_code == 403


def test_xlsx_upload_previews_and_applies(organiser_client: Any, assembly: Any, tracker: Any) -> None:
    from openpyxl import load_workbook

    from advocacy.models import Response

    xlsx = organiser_client.get(_url(assembly, "advocacy_tracker_file_xlsx")).content
    workbook = load_workbook(io.BytesIO(xlsx))
    sheet = workbook.worksheets[0]
    sheet.cell(row=3, column=HEADER.index("response_status") + 1, value="rejected")
    sheet.cell(row=3, column=HEADER.index("response_date") + 1, value="2026-06-01")
    out = io.BytesIO()
    workbook.save(out)
    upload = SimpleUploadedFile("T.xlsx", out.getvalue())
    preview = organiser_client.post(_url(assembly), {"file": upload})
    assert [(c.row, c.column) for c in preview.context["plan"].changes] == [
        (3, "response_status"),
        (3, "response_date"),
    ]
    organiser_client.post(
        _url(assembly, "advocacy_tracker_file_confirm"), {"payload": preview.context["payload"]}
    )
    assert Response.objects.get(recommendation=tracker[1]).status == "rejected"


def test_the_dashboard_links_to_the_tracker_file(organiser_client: Any, assembly: Any) -> None:
    page = organiser_client.get(reverse("admin:assemblies_assembly_dashboard", args=[assembly.pk]))
    assert page.status_code == 200
    assert _url(assembly) in page.content.decode()
    assert "Tracker file" in page.content.decode()


def test_confirm_refuses_when_the_tracker_changed_since_the_preview(
    organiser_client: Any, assembly: Any, tracker: Any
) -> None:
    from advocacy.tracking import services as tracking
    from assemblies.actors import SYSTEM

    rows = _download(organiser_client, assembly)
    rows[3][HEADER.index("notes")] = "From the file"
    preview = _upload(organiser_client, assembly, rows)
    # Meanwhile a colleague writes another note on another recommendation.
    tracking.tracking_update(recommendation=tracker[0], notes="From a colleague", by=SYSTEM, source="admin")
    done = organiser_client.post(
        _url(assembly, "advocacy_tracker_file_confirm"), {"payload": preview.context["payload"]}, follow=True
    )
    assert "the tracker has changed since the preview" in done.content.decode()
    assert Tracking.objects.get(recommendation=tracker[0]).notes == "From a colleague"
    assert not Tracking.objects.filter(recommendation=tracker[2], notes="From the file").exists()
