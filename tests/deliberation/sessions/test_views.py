"""The member's schedule, the calendar feeds' access, the public programme
and the API, with the personas: another assembly's anything is a 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from assemblies.models import MemberStatus
from deliberation.models import Evidence, Participant, SessionStatus
from deliberation.sessions import services
from tests.factories import AgendaItemFactory, SessionFactory, SpeakerFactory

pytestmark = pytest.mark.django_db


def _schedule(slug: str) -> str:
    return reverse("portal:deliberation_schedule", args=[slug])


def test_member_reads_what_is_next_where_and_what_to_read(client: Any, tenant: Any, session: Any) -> None:
    item = session.items.get(title="Buses and trams")
    speaker = SpeakerFactory(assembly=tenant.assembly, name="Dr Ada Lane", organisation="Transport Lab")
    item.speakers.add(speaker)
    Evidence.objects.create(
        assembly=tenant.assembly, item=item, title="Bus usage study", url="https://example.org/bus"
    )
    client.force_login(tenant.member)
    response = client.get(_schedule(tenant.assembly.slug))
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "Weekend one",
        "Saturday 8 June 2030",
        "10:00",
        "16:00",
        "Town Hall",
        "Northshire NS1 1AA",
        "Step-free entrance on Mill Lane",
        "10:30",  # the second item's start
        "Buses and trams",
        "Dr Ada Lane",
        "What to read before",
        'href="https://example.org/bus"',
        "Bus usage study",
    ):
        assert text in page, text
    token = Participant.objects.get(member__user=tenant.member).calendar_token
    assert f"/calendar/{token}.ics" in page


def test_evidence_files_link_to_the_portal_download(client: Any, tenant: Any, session: Any) -> None:
    item = session.items.first()
    evidence = Evidence.objects.create(
        assembly=tenant.assembly, item=item, title="Slides", file="x/slides.pdf"
    )
    client.force_login(tenant.member)
    page = client.get(_schedule(tenant.assembly.slug)).content.decode()
    url = reverse("portal:deliberation_evidence_file", args=[tenant.assembly.slug, evidence.pk])
    assert f'href="{url}"' in page


def test_the_portal_page_shows_your_next_session(client: Any, tenant: Any, session: Any) -> None:
    client.force_login(tenant.member)
    page = client.get(reverse("portal:assembly", args=[tenant.assembly.slug])).content.decode()
    assert (
        "Your next session" in page
        and "Weekend one" in page
        and "Saturday 8 June 2030, 10:00 to 16:00" in page
    )
    assert _schedule(tenant.assembly.slug) in page


def test_schedule_without_sessions_says_so(client: Any, tenant: Any) -> None:
    client.force_login(tenant.member)
    page = client.get(_schedule(tenant.assembly.slug)).content.decode()
    assert "No session is planned yet" in page


@pytest.mark.parametrize("persona", ["other_member", "other_organiser", "other_facilitator", "organiser"])
def test_schedule_is_a_404_for_anyone_not_a_member_there(
    client: Any, tenant: Any, session: Any, persona: str, request: Any
) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_schedule(tenant.assembly.slug)).status_code == 404
    reset = reverse("portal:deliberation_calendar_reset", args=[tenant.assembly.slug])
    assert client.post(reset).status_code == 404


def test_a_member_sees_only_their_assembly(client: Any, tenant: Any, other_tenant: Any, session: Any) -> None:
    SessionFactory(assembly=other_tenant.assembly, title="Beta weekend")
    client.force_login(tenant.member)
    page = client.get(_schedule(tenant.assembly.slug)).content.decode()
    assert "Beta weekend" not in page
    assert client.get(_schedule(other_tenant.assembly.slug)).status_code == 404


def test_reset_gives_a_new_feed_and_the_old_one_404s(
    client: Any, tenant: Any, membership: Any, session: Any
) -> None:
    old = services.participant_for(membership).calendar_token
    old_url = reverse("deliberation:member_calendar", args=[old])
    assert client.get(old_url).status_code == 200
    client.force_login(tenant.member)
    reset = reverse("portal:deliberation_calendar_reset", args=[tenant.assembly.slug])
    assert client.get(reset).status_code == 405
    response = client.post(reset, follow=True)
    assert "Your calendar has a new address" in response.content.decode()
    new = Participant.objects.get(pk=membership.participant.pk).calendar_token
    assert new != old
    client.logout()
    assert client.get(old_url).status_code == 404
    assert client.get(reverse("deliberation:member_calendar", args=[new])).status_code == 200


def test_a_withdrawn_members_feed_stops(client: Any, membership: Any, session: Any) -> None:
    token = services.participant_for(membership).calendar_token
    membership.status = MemberStatus.WITHDRAWN
    membership.save()
    assert client.get(reverse("deliberation:member_calendar", args=[token])).status_code == 404


def test_public_programme_lists_public_sessions_speakers_and_published_evidence(
    client: Any, tenant: Any, session: Any
) -> None:
    session.mode, session.online_url = "hybrid", "https://meet.example.org/private-room"
    session.save()
    item = session.items.get(title="Buses and trams")
    item.speakers.add(SpeakerFactory(assembly=tenant.assembly, name="Dr Ada Lane"))
    item.speakers.add(SpeakerFactory(assembly=tenant.assembly, name="Anonymous Resident", is_public=False))
    Evidence.objects.create(
        assembly=tenant.assembly, item=item, title="Published study", url="https://e.org/a", is_published=True
    )
    Evidence.objects.create(assembly=tenant.assembly, item=item, title="Draft memo", url="https://e.org/b")
    SessionFactory(assembly=tenant.assembly, title="Members only day", is_public=False)
    SessionFactory(
        assembly=tenant.assembly, title="Called off", is_public=True, status=SessionStatus.CANCELLED
    )
    response = client.get(reverse("deliberation:programme", args=[tenant.assembly.slug]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Weekend one" in page and "10:30" in page and "Dr Ada Lane" in page and "Published study" in page
    for hidden in ("Anonymous Resident", "Draft memo", "Members only day", "Called off", "meet.example.org"):
        assert hidden not in page, hidden
    public_page = client.get(tenant.assembly.get_absolute_url()).content.decode()
    assert reverse("deliberation:programme", args=[tenant.assembly.slug]) in public_page


def test_no_public_section_without_public_sessions(client: Any, tenant: Any) -> None:
    SessionFactory(assembly=tenant.assembly, is_public=False)
    page = client.get(tenant.assembly.get_absolute_url()).content.decode()
    assert reverse("deliberation:programme", args=[tenant.assembly.slug]) not in page


def test_public_pages_404_for_unknown_or_private_assemblies(client: Any, tenant: Any, session: Any) -> None:
    for name in ("deliberation:programme", "deliberation:programme_calendar"):
        assert client.get(reverse(name, args=["no-such-assembly"])).status_code == 404
    tenant.assembly.is_public = False
    tenant.assembly.save()
    for name in ("deliberation:programme", "deliberation:programme_calendar"):
        assert client.get(reverse(name, args=[tenant.assembly.slug])).status_code == 404


def test_public_feed_has_public_sessions_only(client: Any, tenant: Any, session: Any) -> None:
    session.mode, session.online_url = "hybrid", "https://meet.example.org/private-room"
    session.save()
    SessionFactory(assembly=tenant.assembly, title="Members only day", is_public=False)
    response = client.get(reverse("deliberation:programme_calendar", args=[tenant.assembly.slug]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["Weekend one"]
    assert b"meet.example.org" not in response.content  # the link to join is for members


def test_api_lists_public_sessions_only(client: Any, tenant: Any, other_tenant: Any, session: Any) -> None:
    SessionFactory(assembly=tenant.assembly, title="Members only day", is_public=False)
    SessionFactory(assembly=other_tenant.assembly, title="Beta public", is_public=True)
    item = session.items.get(title="Buses and trams")
    item.speakers.add(SpeakerFactory(assembly=tenant.assembly, name="Dr Ada Lane"))
    item.speakers.add(SpeakerFactory(assembly=tenant.assembly, name="Anonymous Resident", is_public=False))
    response = client.get("/api/v1/sessions/", {"assembly": tenant.assembly.slug})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    result = data["results"][0]
    assert result["title"] == "Weekend one" and result["assembly"] == tenant.assembly.slug
    assert "online_url" not in result
    assert [i["title"] for i in result["agenda"]] == ["Welcome", "Buses and trams"]
    assert result["agenda"][1]["starts_at"].startswith("2030-06-08T10:30:00+01:00")
    assert [s["name"] for s in result["agenda"][1]["speakers"]] == ["Dr Ada Lane"]
    assert client.get("/api/v1/sessions/", {"assembly": "nope"}).json()["count"] == 0
    tenant.assembly.is_public = False
    tenant.assembly.save()
    assert client.get("/api/v1/sessions/", {"assembly": tenant.assembly.slug}).json()["count"] == 0


def test_api_is_in_the_openapi_schema(client: Any) -> None:
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/sessions/" in schema and "PublicSession" in schema


def test_schedule_query_count_does_not_grow(
    client: Any, tenant: Any, django_assert_max_num_queries: Any
) -> None:
    def add_session(n: int) -> None:
        start = timezone.now() + dt.timedelta(days=5 + n)
        s = SessionFactory(assembly=tenant.assembly, starts_at=start, ends_at=start + dt.timedelta(hours=6))
        for k in range(3):
            item = AgendaItemFactory(session=s, position=k)
            item.speakers.add(SpeakerFactory(assembly=tenant.assembly))
            Evidence.objects.create(
                assembly=tenant.assembly, item=item, title=f"E{n}{k}", url="https://e.org"
            )

    client.force_login(tenant.member)
    url = _schedule(tenant.assembly.slug)
    add_session(0)
    client.get(url)  # the participant row is made on the first visit
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(1, 6):
        add_session(n)
    with CaptureQueriesContext(connection) as six:
        assert client.get(url).status_code == 200
    assert len(six) == len(one) <= 20, [q["sql"] for q in six.captured_queries]


def test_public_programme_query_count_does_not_grow(client: Any, tenant: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add_session(n: int) -> None:
        start = timezone.now() + dt.timedelta(days=5 + n)
        s = SessionFactory(
            assembly=tenant.assembly, starts_at=start, ends_at=start + dt.timedelta(hours=6), is_public=True
        )
        for k in range(2):
            item = AgendaItemFactory(session=s, position=k)
            item.speakers.add(SpeakerFactory(assembly=tenant.assembly))

    url = reverse("deliberation:programme", args=[tenant.assembly.slug])
    add_session(0)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(1, 6):
        add_session(n)
    with CaptureQueriesContext(connection) as six:
        client.get(url)
    assert len(six) == len(one) <= 15
