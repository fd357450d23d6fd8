"""The organiser's screens: tenancy, permissions, plain errors."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from assemblies.models import Role
from jobs.models import Job
from jobs.services import job_claim, job_fail_unclaimed, job_finish, job_progress, job_restart
from lottery.invitations import services
from lottery.models import Address, Invitation, InvitationRound
from tests.factories import TeamMembershipFactory, UserFactory

from .conftest import address_csv, csv_file


@pytest.fixture
def round(round_factory: Any) -> InvitationRound:
    return round_factory(address_csv(40), region_column="Region")


def url(name: str, round: InvitationRound, *args: Any) -> str:
    return reverse(f"admin:lottery_invitationround_{name}", args=[round.pk, *args])


def test_organiser_sees_own_round(organiser_client: Any, round: InvitationRound) -> None:
    response = organiser_client.get(url("detail", round))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Draw the addresses to invite" in body and "north" in body and "js/htmx.min.js" in body
    assert "Address import" in body and "Rows read" in body and "hx-get" not in body  # done: no polling


def test_upload_through_the_admin(
    organiser_client: Any, assembly: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(
            reverse("admin:lottery_invitationround_add"),
            {
                "name": "R",
                "assembly": assembly.pk,
                "address_file": csv_file(address_csv(10)),
                "region_column": "",
            },
        )
    created = InvitationRound.objects.get()
    assert response.status_code == 302 and response["Location"] == url("detail", created)
    assert created.rows_imported == 10


def test_upload_with_wrong_columns_is_refused_at_once(organiser_client: Any, assembly: Any) -> None:
    response = organiser_client.post(
        reverse("admin:lottery_invitationround_add"),
        {"name": "R", "assembly": assembly.pk, "address_file": csv_file("street;zip\nx;y\n")},
    )
    assert response.status_code == 200
    assert "no address column" in response.content.decode() and "street;zip" in response.content.decode()
    assert not InvitationRound.objects.exists()


def test_draw_and_downloads(organiser_client: Any, round: InvitationRound) -> None:
    response = organiser_client.post(
        url("draw", round), {"mode": "total", "size": "10", "seed": "s"}, follow=True
    )
    assert "10 addresses were drawn" in response.content.decode()
    response = organiser_client.post(url("draw", round), {"mode": "total", "size": "10"}, follow=True)
    assert "drawn only once" in response.content.decode()
    response = organiser_client.get(url("print_csv", round))
    assert response.status_code == 200
    assert len(b"".join(response.streaming_content).splitlines()) == 11


def test_letters_and_downloads(
    organiser_client: Any, round: InvitationRound, organiser: Any, django_capture_on_commit_callbacks: Any
) -> None:
    services.invitation_round_draw(round=round, size=4, seed="s", by=organiser)
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(url("letters", round), follow=True)
    assert "being made in 1 batch" in response.content.decode()
    response = organiser_client.get(url("batch_pdf", round, 1))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    response = organiser_client.get(url("letters_zip", round))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"PK")
    assert organiser_client.get(url("batch_pdf", round, 2)).status_code == 404
    # Making them again asks first: what is deleted, and that the codes stay.
    again = organiser_client.get(url("letters", round)).content.decode()
    assert "Make the letters again?" in again and "registration code" in again


def test_the_round_page_polls_the_import_job_and_reloads_when_it_ends(
    organiser_client: Any, round: InvitationRound
) -> None:
    job = round.import_job
    job_restart(job)
    token = job_claim(job.pk) or ""
    job_progress(
        job.pk, token, done=job.total // 2, details={"rows_read": 20, "rows_imported": 19, "rows_rejected": 1}
    )
    body = organiser_client.get(url("detail", round)).content.decode()
    poll = reverse("admin:assemblies_job_progress", args=[job.pk])
    assert f'hx-get="{poll}"' in body and 'hx-trigger="every 2s"' in body and "50 %" in body
    assert "<dd>19</dd>" in body  # the rows so far, from the job

    running = organiser_client.get(poll, HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in running and "<dd>19</dd>" in running.content.decode()
    job_finish(job.pk, token)
    assert organiser_client.get(poll, HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"


def test_a_failed_import_says_why_and_offers_to_import_again(
    organiser_client: Any, round: InvitationRound, django_capture_on_commit_callbacks: Any
) -> None:
    job_fail_unclaimed(round.import_job, message="The file has no address column.")
    body = organiser_client.get(url("detail", round)).content.decode()
    assert "The file has no address column." in body and "Import the file again" in body
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(url("import", round), follow=True)
    assert "The import starts again." in response.content.decode()
    round.refresh_from_db()
    assert round.import_job.status == "done" and round.rows_imported == 40
    assert Address.objects.filter(round=round).count() == 40


def test_bad_draw_inputs_give_plain_messages(organiser_client: Any, round: InvitationRound) -> None:
    for data, message in [
        ({"mode": "total", "size": "lots"}, "whole number"),
        ({"mode": "total", "size": "41"}, "only 40"),
        ({"mode": "regions", "region:north": "100"}, "only 20"),
    ]:
        response = organiser_client.post(url("draw", round), data, follow=True)
        assert response.status_code == 200 and message in response.content.decode()
    assert not Invitation.objects.exists()


def test_other_tenant_gets_404(
    client: Any, other_organiser: Any, round: InvitationRound, organiser: Any
) -> None:
    services.invitation_round_draw(round=round, size=3, by=organiser)
    client.force_login(other_organiser)
    for name, args in [
        ("detail", ()),
        ("print_csv", ()),
        ("letters_zip", ()),
        ("batch_pdf", (1,)),
        ("draw", ()),
        ("letters", ()),
        ("import", ()),
    ]:
        assert client.get(url(name, round, *args)).status_code == 404, name
        assert client.post(url(name, round, *args)).status_code == 404, name
    assert client.get(reverse("admin:lottery_invitationround_change", args=[round.pk])).status_code == 404


def test_viewer_sees_but_cannot_draw_or_download(client: Any, tenant: Any, round: InvitationRound) -> None:
    viewer = UserFactory(username="viewer@example.org")
    TeamMembershipFactory(team=tenant.team, user=viewer, role=Role.VIEWER)
    client.force_login(viewer)
    response = client.get(url("detail", round))
    assert response.status_code == 200 and "<form" not in response.content.decode().split("content-main")[1]
    assert client.post(url("draw", round), {"mode": "total", "size": "3"}).status_code == 403
    assert client.get(url("print_csv", round)).status_code == 403
    assert not Invitation.objects.exists()


def test_anonymous_redirected_to_login(client: Any, round: InvitationRound) -> None:
    assert client.get(url("detail", round)).status_code == 302


def test_changelist_query_count_does_not_grow(
    organiser_client: Any, round_factory: Any, django_assert_max_num_queries: Any
) -> None:
    for _ in range(3):
        round_factory(address_csv(3))
    changelist = reverse("admin:lottery_invitationround_changelist")
    organiser_client.get(changelist)  # warm caches
    with django_assert_max_num_queries(12):
        response = organiser_client.get(changelist)
    assert response.status_code == 200 and response.content.decode().count("/recruitment/") == 3


# --- deleting a round ---------------------------------------------------------


def _drawn_round_with_a_registration(round: InvitationRound, organiser: Any) -> Any:
    from tests.factories import RespondentFactory

    services.invitation_round_draw(round=round, size=10, seed="s", by=organiser)
    invitation = Invitation.objects.filter(round=round).first()
    return RespondentFactory(assembly=round.assembly, invitation=invitation, first_name="Ada", address="")


def test_delete_confirmation_counts_instead_of_listing_every_address(
    organiser_client: Any, organiser: Any, round: InvitationRound, django_assert_max_num_queries: Any
) -> None:
    _drawn_round_with_a_registration(round, organiser)
    delete_url = reverse("admin:lottery_invitationround_delete", args=[round.pk])
    with django_assert_max_num_queries(40):
        response = organiser_client.get(delete_url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "40 addresses" in body and "10 invitations and their registration codes" in body
    assert "1 people who registered keep their registration" in body
    assert "High Street" not in body  # no address is listed, let alone a million


def test_delete_removes_addresses_codes_and_files_but_keeps_registrations(
    organiser_client: Any,
    organiser: Any,
    round: InvitationRound,
    django_assert_max_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from assemblies.models import AuditEvent
    from lottery.models import Address

    respondent = _drawn_round_with_a_registration(round, organiser)
    stored = round.address_file.name
    storage = round.address_file.storage
    assert storage.exists(stored)
    delete_url = reverse("admin:lottery_invitationround_delete", args=[round.pk])
    # Set-based deletes: the number of queries does not grow with the rows.
    # (Two of them ask whether the round's jobs are running; one deletes the jobs.)
    with django_assert_max_num_queries(40), django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(delete_url, {"post": "yes"})
    assert response.status_code == 302
    assert not InvitationRound.objects.filter(pk=round.pk).exists()
    assert not Address.objects.filter(round_id=round.pk).exists()
    assert not Invitation.objects.filter(round_id=round.pk).exists()
    assert not storage.exists(stored)
    respondent.refresh_from_db()
    assert respondent.invitation_id is None and respondent.first_name == "Ada"
    event = AuditEvent.objects.get(action="lottery.round_deleted")
    assert event.data["addresses"] == 40 and event.data["invitations"] == 10


def test_a_round_being_imported_cannot_be_deleted(organiser_client: Any, round: InvitationRound) -> None:
    from django.utils import timezone

    Job.objects.filter(pk=round.import_job_id).update(status="running", heartbeat_at=timezone.now())
    delete_url = reverse("admin:lottery_invitationround_delete", args=[round.pk])
    response = organiser_client.post(delete_url, {"post": "yes"}, follow=True)
    assert response.status_code == 200
    assert "being worked on" in response.content.decode()
    assert InvitationRound.objects.filter(pk=round.pk).exists()


def test_another_tenant_cannot_delete_a_round(client: Any, other_tenant: Any, round: InvitationRound) -> None:
    client.force_login(other_tenant.organiser)
    delete_url = reverse("admin:lottery_invitationround_delete", args=[round.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 404
    assert InvitationRound.objects.filter(pk=round.pk).exists()
