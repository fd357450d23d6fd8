"""Followers, institutions' private links, overdue reminders and members' ratings."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from advocacy.models import Follower, InstitutionLink, Rating, Reminder, Response
from advocacy.tracking import notify, services
from advocacy.tracking.tasks import remind_overdue_responses
from assemblies.models import Member, Role
from notifications.models import OutboxMessage
from tests.factories import MemberFactory, TeamMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_limits() -> None:
    cache.clear()


def _link(message: OutboxMessage, part: str) -> str:
    found = re.search(r"https?://[^\s\"<]+" + re.escape(part) + r"[^\s\"<]*", message.body_text)
    assert found, message.body_text
    return found.group(0).split("://", 1)[1].split("/", 1)[1].join(["/", ""])


# --- followers -------------------------------------------------------------------------
def _follow(client: Any, tracked: Any, email: str, number: int | None = None) -> Any:
    data = {"email": email} | ({"recommendation": number} if number else {})
    return client.post(reverse("advocacy:tracker_follow", args=[tracked.assembly.slug]), data)


def test_follow_double_opt_in_then_one_email_per_change_and_unsubscribe(
    client: Any, tracked: Any, django_capture_on_commit_callbacks: Any
) -> None:
    response = _follow(client, tracked, "Fan@Example.org", number=4)
    assert response.status_code == 200 and "Check your email" in response.content.decode()
    confirm = OutboxMessage.objects.get(recipient="fan@example.org", template="advocacy_follow_confirm")
    # Before confirming, a change sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        services.milestone_add(
            recommendation=tracked.recs[3],
            data={"date": "2026-11-02", "title": "Talks", "status": "in_progress"},
            by=tracked.organiser,
        )
    assert not OutboxMessage.objects.filter(template="advocacy_status_changed").exists()

    page = client.get(_link(confirm, "/tracker/follow/"))
    assert page.status_code == 200 and "You are following" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.response_record(
            recommendation=tracked.recs[3],
            data={"status": "accepted", "responded_on": "2026-11-03"},
            by=tracked.organiser,
        )
        services.response_record(  # another recommendation: not followed
            recommendation=tracked.recs[1], data={"status": "referred"}, by=tracked.organiser
        )
    news = OutboxMessage.objects.filter(template="advocacy_status_changed")
    assert news.count() == 1
    assert "changed from “No response yet” to “Accepted”" in news.get().body_text
    # Announcing the same change again sends nothing more.
    change_ids = list(tracked.recs[3].status_changes.values_list("pk", flat=True))
    assert notify.announce_changes(change_ids) == 0
    assert news.count() == 1

    unsubscribe = _link(news.get(), "/tracker/unsubscribe/")
    assert "Stop the emails" in client.get(unsubscribe).content.decode()
    assert Follower.objects.get().unsubscribed_at is None  # a GET (a mail scanner) changes nothing
    assert "Emails stopped" in client.post(unsubscribe).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.milestone_add(
            recommendation=tracked.recs[3],
            data={"date": "2026-11-04", "title": "Done", "status": "implemented"},
            by=tracked.organiser,
        )
    assert news.count() == 1


def test_an_assembly_follower_hears_of_every_recommendation_once(
    client: Any, tracked: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _follow(client, tracked, "all@example.org")
    _follow(client, tracked, "all@example.org", number=2)
    for follower in Follower.objects.all():
        services_confirm = client.get(reverse("advocacy:tracker_follow_confirm", args=[follower.token]))
        assert services_confirm.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        services.tracking_update(
            recommendation=tracked.recs[1],
            implementation_status="in_progress",
            by=tracked.organiser,
            source="admin",
        )
    assert (
        OutboxMessage.objects.filter(template="advocacy_status_changed", recipient="all@example.org").count()
        == 1
    )


def test_follow_is_rate_limited_and_refuses_bad_input(client: Any, tracked: Any, settings: Any) -> None:
    assert _follow(client, tracked, "not an email").status_code == 302
    assert _follow(client, tracked, "x@example.org", number=99).status_code == 404
    for _i in range(5):
        _follow(client, tracked, "same@example.org")
    _follow(client, tracked, "same@example.org")
    assert OutboxMessage.objects.filter(recipient="same@example.org").count() == 5
    settings.PLENARY_REGISTRATION_CODE_RATE_LIMIT = 2
    cache.clear()
    statuses = [_follow(client, tracked, f"p{i}@example.org").status_code for i in range(4)]
    assert statuses[-1] == 429
    assert client.get(reverse("advocacy:tracker_follow_confirm", args=["nope"])).status_code == 404


# --- institutions' private links ----------------------------------------------------------
def test_an_institution_enters_its_response_and_the_organisers_publish_it(
    organiser_client: Any, client: Any, tracked: Any
) -> None:
    rec = tracked.recs[3]
    url = reverse("admin:advocacy_response_recommendation", args=[rec.pk])
    page = organiser_client.post(url, {"action": "link", "link-email": "clerk@council.example.org"})
    assert page.status_code == 302
    email = OutboxMessage.objects.get(template="advocacy_institution_link")
    assert email.recipient == "clerk@council.example.org"
    respond = _link(email, "/respond/")

    form = client.get(respond)
    assert form.status_code == 200 and "union" in form.content.decode()
    bad = client.post(respond, {"status": "maybe", "responded_on": "soon"})
    assert bad.status_code == 200 and "error-summary" in bad.content.decode()
    done = client.post(
        respond,
        {
            "status": "accepted",
            "responded_on": "2026-11-28",
            "justification": "We will do it.",
            "source_url": "",
        },
    )
    assert "Thank you" in done.content.decode()
    response = Response.objects.get(recommendation=rec)
    assert response.status == "no_response" and response.pending["status"] == "accepted"
    # Used: a clear page, and nothing changes.
    again = client.get(respond)
    assert again.status_code == 410 and "already been sent" in again.content.decode()

    review = organiser_client.get(url).content.decode()
    assert "We will do it." in review and "Publish it as the response" in review
    assert organiser_client.post(url, {"action": "accept"}).status_code == 302
    response.refresh_from_db()
    assert response.status == "accepted" and response.pending == {}
    assert response.responded_on == dt.date(2026, 11, 28)
    change = rec.status_changes.get(field="response_status")
    assert change.source == "institution" and change.by == tracked.organiser


def test_an_expired_link_says_so_and_an_entry_can_be_discarded(
    client: Any, organiser_client: Any, tracked: Any
) -> None:
    rec = tracked.recs[3]
    link = services.institution_link_create(response=rec.response, by=tracked.organiser, send=False)
    InstitutionLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    page = client.get(reverse("advocacy:respond", args=[link.token]))
    assert page.status_code == 410 and "This link has expired." in page.content.decode()
    assert client.get(reverse("advocacy:respond", args=["unknown"])).status_code == 404

    fresh = services.institution_link_create(response=rec.response, by=tracked.organiser, send=False)
    services.institution_submit(token=fresh.token, data={"status": "rejected", "responded_on": "2026-11-29"})
    url = reverse("admin:advocacy_response_recommendation", args=[rec.pk])
    organiser_client.post(url, {"action": "discard"})
    rec.response.refresh_from_db()
    assert rec.response.pending == {} and rec.response.status == "no_response"


# --- overdue reminders -----------------------------------------------------------------------
def test_overdue_responses_are_reminded_once_a_week(tracked: Any) -> None:
    viewer = UserFactory(username="alpha-viewer@example.org")
    team = tracked.organiser.team_memberships.first().team
    TeamMembershipFactory(team=team, user=viewer, role=Role.VIEWER)
    monday = dt.date(2026, 11, 30)
    assert notify.remind_overdue(monday) == 1  # the organiser (owner) only, not the viewer
    message = OutboxMessage.objects.get(template="advocacy_overdue_responses")
    assert message.recipient == tracked.organiser.email
    assert "4. Tenants' union" in message.body_text
    assert "5. Green retrofits" not in message.body_text  # a response exists, not yet public
    assert notify.remind_overdue(monday + dt.timedelta(days=3)) == 0  # same week
    assert notify.remind_overdue(monday + dt.timedelta(days=7)) == 1  # next week
    assert Reminder.objects.count() == 2
    services.response_record(
        recommendation=tracked.recs[3],
        data={"status": "rejected", "responded_on": "2026-12-01"},
        by=tracked.organiser,
    )
    assert notify.remind_overdue(monday + dt.timedelta(days=14)) == 0


def test_the_beat_task_reminds_today_and_not_twice(tracked: Any) -> None:
    assert remind_overdue_responses.delay().get() == 1
    assert remind_overdue_responses.delay().get() == 0
    assert OutboxMessage.objects.filter(template="advocacy_overdue_responses").count() == 1


def test_the_overdue_screen_and_admin_list_flag_them(organiser_client: Any, tracked: Any) -> None:
    body = organiser_client.get(
        reverse("admin:advocacy_response_overdue", args=[tracked.assembly.pk])
    ).content.decode()
    assert "Tenants&#x27; union" in body or "Tenants' union" in body
    assert "Rent caps" not in body
    listing = organiser_client.get(
        reverse("admin:advocacy_response_changelist") + "?overdue=yes"
    ).content.decode()
    assert "union" in listing and "Rent caps" not in listing
    dashboard = organiser_client.get(reverse("admin:advocacy_response_assembly", args=[tracked.assembly.pk]))
    assert "1 overdue response" in dashboard.content.decode()


# --- members' ratings ------------------------------------------------------------------------------
def test_a_member_rates_a_response_and_sees_the_average(client: Any, tracked: Any, member: Any) -> None:
    client.force_login(member)
    url = reverse("portal:advocacy_responses", args=[tracked.assembly.slug])
    page = client.get(url).content.decode()
    assert "Build social homes" in page
    assert "Green retrofits" not in page  # unpublished: not offered
    assert "Tenants" not in page  # no response yet: nothing to rate
    response = tracked.recs[0].response
    other = MemberFactory(assembly=tracked.assembly, user=UserFactory(username="alpha-two@example.org"))
    services.rating_set(response=response, score=4, by=other.user)
    assert client.post(url, {"response": response.pk, "score": "9"}).status_code == 302
    assert client.post(url, {"response": response.pk, "score": "8"}).status_code == 302  # replaces
    member_row = Member.objects.get(user=member, assembly=tracked.assembly)
    assert Rating.objects.get(response=response, member=member_row).score == 8
    assert "6.0 out of 10 (2 ratings)" in client.get(url).content.decode()
    assert (
        "6.0 out of 10 (2 ratings)"
        in client.get(reverse("advocacy:tracker", args=[tracked.assembly.slug])).content.decode()
    )
    client.post(url, {"response": response.pk, "score": "11"})
    assert Rating.objects.get(response=response, member=member_row).score == 8


def test_ratings_are_for_members_of_the_assembly_only(
    client: Any, tracked: Any, other_member: Any, organiser: Any
) -> None:
    client.force_login(other_member)
    url = reverse("portal:advocacy_responses", args=[tracked.assembly.slug])
    assert client.get(url).status_code == 404
    assert client.post(url, {"response": tracked.recs[0].response.pk, "score": "1"}).status_code == 404
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.rating_set(response=tracked.recs[0].response, score=5, by=organiser)


def test_the_organiser_records_a_response_and_a_milestone_on_the_screen(
    organiser_client: Any, tracked: Any
) -> None:
    rec = tracked.recs[3]
    url = reverse("admin:advocacy_response_recommendation", args=[rec.pk])
    bad = organiser_client.post(
        url, {"action": "response", "response-status": "accepted", "response-source_url": "nope"}
    )
    assert bad.status_code == 400 and "Enter a valid URL" in bad.content.decode()
    ok = organiser_client.post(
        url,
        {
            "action": "response",
            "response-status": "accepted",
            "response-responded_on": "2026-12-01",
            "response-institution": tracked.institution.pk,
            "response-due_on": "2026-09-30",
            "response-is_published": "on",
        },
    )
    assert ok.status_code == 302
    rec.response.refresh_from_db()
    assert rec.response.status == "accepted"
    weak = organiser_client.post(
        url,
        {
            "action": "milestone",
            "milestone-date": "2026-12-02",
            "milestone-title": "Small grant",
            "milestone-kind": "budget",
            "milestone-status": "implemented_weaker",
            "milestone-enacted_text": "Fund a tenants' advice line.",
        },
    )
    assert weak.status_code == 302
    page = organiser_client.get(url).content.decode()
    assert "Small grant" in page and "<del>" in page and "<td>Implementation</td>" in page


def test_impact_is_tagged_on_a_milestone_and_shown_in_public(
    organiser_client: Any, client: Any, tracked: Any
) -> None:
    rec = tracked.recs[0]
    milestone = rec.milestones.order_by("date").last()
    url = reverse("admin:advocacy_response_recommendation", args=[rec.pk])
    done = organiser_client.post(
        url,
        {"action": "impact", "impact-area": "systems_structures", "impact-kind": "instrumental",
         "impact-description": "A new housing duty", "impact-milestone": milestone.pk},
    )  # fmt: skip
    assert done.status_code == 302
    tag = rec.impact_tags.get()
    assert tag.milestone == milestone and tag.area == "systems_structures"
    other = tracked.recs[1].milestones.create(date=dt.date(2026, 9, 1), title="x", status="in_progress")
    refused = organiser_client.post(
        url,
        {
            "action": "impact",
            "impact-area": "state_actors",
            "impact-kind": "capacity",
            "impact-milestone": other.pk,
        },
    )
    assert refused.status_code == 400
    body = client.get(reverse("advocacy:tracker", args=[tracked.assembly.slug])).content.decode()
    assert "Systems and structures · Instrumental: A new housing duty" in body


def test_followers_hear_of_a_response_when_it_is_published(
    client: Any, tracked: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _follow(client, tracked, "later@example.org", number=5)
    client.get(reverse("advocacy:tracker_follow_confirm", args=[Follower.objects.get().token]))
    rec = tracked.recs[4]  # accepted in principle, not published
    with django_capture_on_commit_callbacks(execute=True):
        services.response_record(
            recommendation=rec, data={"justification": "Still a draft."}, by=tracked.organiser
        )
    assert not OutboxMessage.objects.filter(template="advocacy_status_changed").exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.response_record(recommendation=rec, data={"is_published": True}, by=tracked.organiser)
    news = OutboxMessage.objects.get(template="advocacy_status_changed")
    assert "changed from “No response yet” to “Accepted in principle”" in news.body_text
