"""Every route of the project, walked through the resolver, for every persona.

A new route that this file does not classify fails ``test_every_route_is_classified``:
decide who may see it, then add it below. The rules:
- the other tenant's organiser and member get 404 for anything of tenant A;
- anonymous visitors get 200 on public routes, and the login page (or a 404,
  or 401 from the API) everywhere else;
- nothing answers 500.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.authtoken.models import Token

from assemblies.admin_base import SuperuserOnlyAdminMixin, TenantModelAdmin
from assemblies.audit import audit_record
from assemblies.models import Assembly, Member, TeamMembership
from assemblies.screens import AnyAssemblyScreen, Screen
from jobs.services import job_create
from lottery.models import (
    Category,
    Feature,
    InvitationRound,
    PoolImport,
    RecruitmentSettings,
    RespondentStatus,
    SelectionRun,
)
from notifications.services import queue_email
from tests.factories import make_pool


@dataclass(frozen=True)
class Route:
    route: str
    name: str
    screen: type | None = None  # the organiser screen's class, for registered screens


def _walk(resolver: URLResolver, prefix: str = "", ns: tuple[str, ...] = ()) -> Iterator[Route]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = (pattern.namespace,) if pattern.namespace else ()
            yield from _walk(pattern, prefix + str(pattern.pattern), ns + namespace)
        elif isinstance(pattern, URLPattern):
            view_class = getattr(pattern.callback, "view_class", None)
            screen = view_class if isinstance(view_class, type) and issubclass(view_class, Screen) else None
            yield Route(prefix + str(pattern.pattern), ":".join((*ns, pattern.name or "")), screen)


ROUTES = sorted(set(_walk(get_resolver())), key=lambda r: r.route)

# --- classification --------------------------------------------------------
PUBLIC = {
    "assemblies:home",
    "assemblies:public-detail",
    "api:api-root",
    "api:public-assembly-list",
    "api:public-assembly-detail",
    "api:public-assembly-figures",
    "api-schema",
    "api-docs",
    "health",
    "lottery:register",
    "lottery:register-done",
    "lottery:selection_public",
    # A selected respondent's page, reached through the secret token in their letter.
    "lottery:selection_confirm",
    # Where a selected respondent types the short code from their letter (rate-limited).
    "lottery:selection_confirm_code",
    # The public evidence library of a public assembly (empty until something is published).
    "deliberation:evidence_library",
}
# Public, but only once the thing exists (a committed lottery); 404 before.
PUBLIC_WHEN_READY = {"lottery:selection_bundle", "lottery:register-privacy"}
# Sessions and agenda: the public programme, its iCal feed and the API (public
# sessions of public assemblies only), and a member's private feed, whose token
# is the key (404 for any other token).
PUBLIC |= {
    "deliberation:programme",
    "deliberation:programme_calendar",
    "api:session-list",
}
PUBLIC_WHEN_READY |= {"deliberation:member_calendar", "api:session-detail"}
# A published evidence file (404 when not published, or not there).
PUBLIC_WHEN_READY |= {"deliberation:evidence_public_file"}
# Deciding and publishing: the recommendations API is public (an empty list for an
# assembly not published); the pages and downloads exist once the assembly is published.
PUBLIC |= {"api:public-recommendation-list"}
PUBLIC_WHEN_READY |= {
    "recommendations:list",
    "recommendations:detail",
    "recommendations:print",
    "recommendations:download_csv",
    "recommendations:download_json",
}
# Reports: the API lists published reports (an empty list otherwise); the reports page
# exists once the assembly is published, and a file only once its version is published
# (a draft is a 404: the world's report is a draft).
PUBLIC |= {"api:public-report-list"}
PUBLIC_WHEN_READY |= {
    "recommendations:reports",
    "recommendations:report_pdf",
    "recommendations:report_json",
    "recommendations:report_csv",
}
# Public steps that send a visitor back to the first step when they skipped it.
PUBLIC_MAY_REDIRECT = {"lottery:register-details"}
# The laptop demo's mailbox: 200 only with DEBUG on, a 404 for everyone otherwise.
DEMO_ONLY = {"notifications:mailbox", "notifications:mailbox-detail"}
# allauth's own pages: reachable by anyone, they handle "not logged in" themselves.
ACCOUNT_PAGES_PREFIX = "accounts/"
MEMBER_AREA = {"portal:home", "accounts:after-login"}
TENANT_OBJECT = {
    "portal:assembly",
    # Drafting: drafts, the editor, history, comments (and hiding one), amendments and their actions.
    "portal:recommendations_drafts",
    "portal:recommendations_draft",
    "portal:recommendations_edit",
    "portal:recommendations_history",
    "portal:recommendations_comment",
    "portal:recommendations_comment_hide",
    "portal:recommendations_amend",
    "portal:recommendations_amendment",
    "portal:recommendations_amendment_support",
    "portal:recommendations_amendment_withdraw",
    "portal:recommendations_amendment_accept",
    "portal:recommendations_amendment_reject",
    "portal:recommendations_amendment_to_vote",
    "portal:recommendations_amendment_to_recommendation",
    # Tables in the app: the member's table, facilitators' tables and outputs, plenary minutes.
    "portal:deliberation_my_tables",
    "portal:deliberation_facilitate_tables",
    "portal:deliberation_facilitate_output",
    "portal:deliberation_minutes",
    "portal:deliberation_minutes_detail",
    # Attendance and stipends: facilitators' check-in (pages, endpoint, service worker), members' expenses.
    "portal:deliberation_checkin_sessions",
    "portal:deliberation_checkin",
    "portal:deliberation_checkin_record",
    "portal:deliberation_checkin_sw",
    "portal:deliberation_expenses",
    "portal:deliberation_expense_receipt",
    # Members' voice and care: concerns, announcements, my data; the facilitator's home.
    "portal:deliberation_concern",
    "portal:deliberation_announcements",
    "portal:deliberation_my_data",
    "portal:deliberation_facilitate",
    # Sessions and agenda: the member's schedule and "reset my calendar link" (POST).
    "portal:deliberation_schedule",
    "portal:deliberation_calendar_reset",
    # Speakers and evidence: members' evidence and questions; facilitators' questions page.
    "portal:deliberation_evidence",
    "portal:deliberation_evidence_file",
    "portal:deliberation_questions",
    "portal:deliberation_facilitate_questions",
    "admin:assemblies_assembly_dashboard",
    "admin:assemblies_assembly_transition",
    "admin:view_on_site",
    "api:managed-assembly-detail",
    "api:managed-assembly-audit-events",
    "api:managed-assembly-members",
    "api:managed-assembly-transition",
}
# Deciding: members' ballots, their vote, priority votes and minority statements.
TENANT_OBJECT |= {
    "portal:recommendations_ballots",
    "portal:recommendations_ballot",
    "portal:recommendations_priority",
    "portal:recommendations_minority",
}
# Advocacy, power literacy and people who carry it forward: the learning module, the power map
# (no internal notes), the spokesperson's page and their media requests (members of the assembly);
# affiliates, signing and in the news are public after the report (404 before); the
# confirmation and report links are keys (404 for any other token).
TENANT_OBJECT |= {
    "portal:advocacy_power",
    "portal:advocacy_power_lesson",
    "portal:advocacy_power_map",
    "portal:advocacy_spokesperson",
    "portal:advocacy_request",
}
PUBLIC_WHEN_READY |= {
    "advocacy:affiliates",
    "advocacy:affiliate_sign",
    "advocacy:news",
    "advocacy:affiliate_confirm",
    "advocacy:affiliate_report",
}
# Responses, implementation and the public tracker: the tracker, its downloads and feed
# exist once the assembly has reported (404 before); the tracker API is an empty list
# until then; follow confirmations, unsubscribing and the institutions' entry page are
# keyed by their token (404 for any other); following is POST only; members rate the
# responses in the portal.
PUBLIC |= {"api:tracker-list"}
PUBLIC_WHEN_READY |= {
    "advocacy:tracker",
    "advocacy:tracker_csv",
    "advocacy:tracker_json",
    "advocacy:tracker_feed",
    "advocacy:tracker_follow_confirm",
    "advocacy:tracker_unsubscribe",
    "advocacy:respond",
}
TENANT_OBJECT |= {"portal:advocacy_responses"}
ORGANISER_AREA = {
    "admin:index",
    "admin:app_list",
    "admin:password_change",
    "admin:password_change_done",
    "admin:jsi18n",
    "admin:autocomplete",
    "api:managed-assembly-list",
}
SPECIAL = {
    "advocacy:tracker_follow": "POST only (a GET is a 405); rate-limited, double opt-in",
    "admin:login": "redirects to the one login page",
    "admin:logout": "Django's admin logout, POST only",
    "set_language": "POST; a GET just redirects back",
    "admin:": "the admin's catch-all for unknown URLs",
}
ADMIN_MODEL = re.compile(r"^admin/(?P<app>\w+)/(?P<model>\w+)/(?P<rest>.*)$")


def classify(route: Route) -> str:
    if route.name in SPECIAL:
        return "special"
    for kind, names in (
        ("public", PUBLIC | PUBLIC_WHEN_READY | PUBLIC_MAY_REDIRECT),
        ("demo", DEMO_ONLY),
        ("member", MEMBER_AREA),
        ("tenant", TENANT_OBJECT),
        ("organiser", ORGANISER_AREA),
    ):
        if route.name in names:
            return kind
    if route.screen is not None:
        # Registered organiser screens say themselves what they are about.
        return "organiser" if issubclass(route.screen, AnyAssemblyScreen) else "tenant"
    match = ADMIN_MODEL.match(route.route)
    if match:
        model_admin = _model_admin(match["app"], match["model"])
        if model_admin is None:
            return "unclassified"
        object_level = any(arg in match["rest"] for arg in ("object_id", "<id>", "<int:pk>", "respondent_id"))
        if isinstance(model_admin, TenantModelAdmin):
            return "tenant" if object_level else "organiser"
        if isinstance(model_admin, SuperuserOnlyAdminMixin):
            return "superuser"
    if route.route.startswith(ACCOUNT_PAGES_PREFIX) and not route.name.startswith("accounts:"):
        return "account"
    return "unclassified"


def _model_admin(app_label: str, model_name: str) -> admin.ModelAdmin | None:
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label == app_label and model._meta.model_name == model_name:
            return model_admin
    return None


# --- a world with one of everything in tenant A ------------------------------
@pytest.fixture
def world(tenant: Any, other_tenant: Any) -> dict[str, Any]:
    assembly = tenant.assembly
    member = Member.objects.get(assembly=assembly, user=tenant.member)
    audit = audit_record(action="test.event", by=tenant.organiser, assembly=assembly, obj=assembly)
    message = queue_email(
        to="alpha-member@example.org",
        template="stage_changed",
        context={"assembly_title": assembly.title, "stage_label": "Deliberating", "url": "/"},
        assembly=assembly,
        user=tenant.member,
    )
    token = Token.objects.create(user=tenant.organiser)
    respondents = make_pool(assembly, n=12, k=4, reserves=2)
    selected = respondents[0]
    selected.status = RespondentStatus.SELECTED
    selected.confirm_token = "alpha-confirm-token"
    selected.save()
    invitation_round = InvitationRound.objects.create(assembly=assembly, name="Alpha letters")
    run = SelectionRun.objects.create(
        assembly=assembly, request_key="alpha-run", panel_size=4, status="computed"
    )
    objects: dict[str, Any] = {
        "assemblies.assembly": assembly,
        "assemblies.member": member,
        "assemblies.organisation": tenant.organisation,
        "assemblies.organiserteam": tenant.team,
        "assemblies.teammembership": TeamMembership.objects.filter(team=tenant.team).first(),
        "assemblies.auditevent": audit,
        "notifications.outboxmessage": message,
        "auth.user": tenant.member,
        "authtoken.tokenproxy": token,
        "lottery.respondent": selected,
        "lottery.category": Category.objects.filter(assembly=assembly).first(),
        "lottery.feature": Feature.objects.filter(assembly=assembly).first(),
        "lottery.recruitmentsettings": RecruitmentSettings.objects.get(assembly=assembly),
        "lottery.invitationround": invitation_round,
        "lottery.selectionrun": run,
        "jobs.job": job_create(assembly_id=assembly.pk, kind="lottery.address_import"),
        "lottery.poolimport": PoolImport.objects.create(
            assembly=assembly, file_name="pool.csv", sha256="0" * 64, dry_run=True
        ),
        **_evidence_world(assembly, member),
    }
    objects |= _voice_world(tenant, member)
    objects |= _attendance_world(assembly, member)
    objects |= _tables_world(assembly)
    objects |= _sessions_world(assembly)
    objects |= _drafting_world(assembly)
    objects |= _deciding_world(assembly)
    objects |= _advocacy_people_world(assembly, member)
    objects |= _advocacy_tracking_world(assembly)
    objects |= _reports_world(assembly)
    return {"tenant": tenant, "objects": objects}


def _voice_world(tenant: Any, member: Member) -> dict[str, Any]:
    """Members' voice and care: an announcement sent and a concern raised."""
    from assemblies.actors import SYSTEM
    from deliberation.voice import services as voice

    announcement = voice.announcement_send(
        assembly=tenant.assembly,
        audience="all",
        subjects={"en": "Lunch"},
        bodies={"en": "Bring a packed lunch."},
        by=tenant.organiser,
    )
    concern = voice.concern_raise(member=member, text="A private worry", by=SYSTEM)
    return {"deliberation.announcement": announcement, "deliberation.concern": concern}


def _evidence_world(assembly: Assembly, member: Member) -> dict[str, Any]:
    """Speakers and evidence: a topic, a speaker, an evidence item and a question."""
    from tests.factories import EvidenceFactory, QuestionFactory, SessionFactory, SpeakerFactory, TopicFactory

    topic = TopicFactory(assembly=assembly)
    return {
        "deliberation.topic": topic,
        "deliberation.speaker": SpeakerFactory(assembly=assembly, topic=topic),
        "deliberation.evidence": EvidenceFactory(assembly=assembly),
        "deliberation.question": QuestionFactory(session=SessionFactory(assembly=assembly), member=member),
    }


def _attendance_world(assembly: Assembly, member: Member) -> dict[str, Any]:
    """Attendance and stipends: a session under way and a member's expense claim."""
    from decimal import Decimal

    from deliberation.attendance import services as attendance
    from tests.factories import SessionFactory

    return {
        "attendance.session": SessionFactory(assembly=assembly),
        "attendance.expense": attendance.expense_claim(
            member=member,
            kind="travel",
            amount=Decimal("4.20"),
            description="Bus",
            session=None,
            receipt=None,
            by=member.user,
        ),
    }


def _sessions_world(assembly: Assembly) -> dict[str, Any]:
    """Sessions and agenda: a public session with one agenda item."""
    from tests.factories import AgendaItemFactory, SessionFactory

    session = SessionFactory(assembly=assembly, is_public=True)
    return {"deliberation.session": session, "deliberation.agendaitem": AgendaItemFactory(session=session)}


def _tables_world(assembly: Assembly) -> dict[str, Any]:
    """Tables in the app: a session with a table plan (not computed)."""
    from deliberation.models import TablePlan
    from tests.factories import SessionFactory

    plan = TablePlan.objects.create(session=SessionFactory(assembly=assembly), rounds=2, table_count=2)
    return {"deliberation.tableplan": plan}


def _deciding_world(assembly: Assembly) -> dict[str, Any]:
    """Deciding: a ballot (not open), a priority vote and a minority statement."""
    from recommendations.models import Ballot, MinorityStatement, PriorityRound, Recommendation

    rec = Recommendation.objects.create(assembly=assembly, number=99, title="Deciding", text="Text.")
    return {
        "recommendations.ballot": Ballot.objects.create(assembly=assembly, recommendation=rec, question="?"),
        "recommendations.priorityround": PriorityRound.objects.create(assembly=assembly),
        "recommendations.minoritystatement": MinorityStatement.objects.create(recommendation=rec, text="No."),
    }


def _reports_world(assembly: Assembly) -> dict[str, Any]:
    """Reports: a rendered draft of the final report (its files stored), under the
    screens' prefix admin/recommendations/report/."""
    from tests.recommendations.report.helpers import stored_document

    return {"recommendations.report": stored_document(assembly)}


def _drafting_world(assembly: Assembly) -> dict[str, Any]:
    """Drafting: a working group and its draft, number 1 (the walk's ``<number>``)."""
    from tests.factories import WorkingGroupFactory, make_draft

    group = WorkingGroupFactory(assembly=assembly)
    draft = make_draft(assembly, group=group)
    return {"recommendations.workinggroup": group, "recommendations.recommendation": draft}


def _advocacy_people_world(assembly: Assembly, member: Member) -> dict[str, Any]:
    """Power literacy and people: a stakeholder, a tactic, a spokesperson with a media
    request, an affiliate and a media item."""
    from advocacy.people import services as people
    from assemblies.actors import SYSTEM
    from tests.factories import AffiliateFactory, MediaItemFactory, StakeholderFactory, TacticFactory

    spokesperson = people.spokesperson_opt_in(member=member, recommendations=[], media=["tv"], by=SYSTEM)
    return {
        "advocacy.stakeholder": StakeholderFactory(assembly=assembly),
        "advocacy.tactic": TacticFactory(assembly=assembly),
        "advocacy.spokesperson": spokesperson,
        "advocacy.mediarequest": people.media_request_send(
            assembly=assembly, title="Interview", spokespeople=[spokesperson], by=SYSTEM
        ),
        "advocacy.affiliate": AffiliateFactory(assembly=assembly),
        "advocacy.mediaitem": MediaItemFactory(assembly=assembly),
    }


def _advocacy_tracking_world(assembly: Assembly) -> dict[str, Any]:
    """Responses and implementation: an adopted recommendation with its response,
    a milestone and an institution, and a follower."""
    from advocacy.models import Follower
    from advocacy.tracking import services as tracking
    from assemblies.actors import SYSTEM
    from tests.factories import InstitutionFactory, make_adopted

    rec = make_adopted(assembly, title="Tracked")
    institution = InstitutionFactory(assembly=assembly)
    response = tracking.response_record(
        recommendation=rec, data={"status": "accepted", "institution": institution}, by=SYSTEM
    ).object
    tracking.milestone_add(
        recommendation=rec, data={"date": "2026-11-01", "title": "Act", "status": "implemented"}, by=SYSTEM
    )
    follower = Follower.objects.create(assembly=assembly, recommendation=rec, email="fan@example.org")
    return {
        "advocacy.response": response,
        "advocacy.institution": institution,
        "advocacy.follower": follower,
        "advocacy.tracked_recommendation": rec,
    }


def concrete_url(route: Route, world: dict[str, Any]) -> str:
    assembly: Assembly = world["tenant"].assembly
    objects = world["objects"]
    match = ADMIN_MODEL.match(route.route)
    label = f"{match['app']}.{match['model']}" if match else ""
    obj = objects.get(label)
    if route.name.startswith("notifications:"):
        pk = objects["notifications.outboxmessage"].pk
    elif route.name.startswith("admin:lottery_invitationround"):
        pk = objects["lottery.invitationround"].pk
    elif route.name == "admin:assemblies_job_progress":
        pk = objects["jobs.job"].pk
    elif route.name.startswith("admin:lottery_poolimport"):
        pk = objects["lottery.poolimport"].pk
    elif route.name.startswith("admin:deliberation_tableplan_"):
        pk = objects["deliberation.tableplan"].pk
    elif route.name.startswith("admin:deliberation_minutes_"):
        pk = objects["deliberation.tableplan"].session_id
    elif route.name == "admin:advocacy_response_recommendation":
        pk = objects["advocacy.tracked_recommendation"].pk
    else:
        pk = assembly.pk
    values = {
        "session_pk": str(objects["attendance.session"].pk),
        "member_pk": str(objects["assemblies.member"].pk),
        "expense_pk": str(objects["attendance.expense"].pk),
        "slug": assembly.slug,
        "pk": str(pk),
        "number": "1",
        "respondent_id": str(objects["lottery.respondent"].pk),
        "token": objects["lottery.respondent"].confirm_token,
        "object_id": str(obj.pk) if obj is not None else "999999",
        "id": str(world["tenant"].member.pk),
        "content_type_id": str(ContentType.objects.get_for_model(Assembly).pk),
        "app_label": "assemblies",
        "format": "csv" if route.name == "admin:lottery_respondent_export" else "json",
        "url": "no-such-page/",
        "key": "not-a-real-key",
        "uidb36": "1",
    }
    url = route.route
    if route.name == "admin:view_on_site":
        return f"/admin/r/{values['content_type_id']}/{assembly.pk}/"
    url = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values[m[1]], url)
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m[1]], url)
    url = url.replace("^", "").replace("$", "").replace("\\.", ".").replace("/?", "")
    if route.name == "api:api-root" and url.endswith("json"):
        url = url[: -len("json")] + ".json"
    return "/" + url


def is_login_redirect(response: Any) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# --- the tests ------------------------------------------------------------------
def test_every_route_is_classified() -> None:
    unclassified = [f"{r.route} ({r.name})" for r in ROUTES if classify(r) == "unclassified"]
    assert not unclassified, "Classify these routes in tests/test_url_permissions.py:\n" + "\n".join(
        unclassified
    )


POST_ONLY = {"api:managed-assembly-transition", "admin:assemblies_assembly_transition"}
# Files that exist only after work was done (letters rendered, a bundle computed):
# the organiser's own tenant may get a 404 before that.
NOT_YET_GENERATED = {
    "admin:lottery_invitationround_batch_pdf",
    "admin:lottery_invitationround_letters_zip",
    "admin:lottery_invitationround_print_csv",
    "admin:lottery_selectionrun_bundle",
    "admin:deliberation_attendance_receipt",  # the world's expense has no receipt
    "admin:deliberation_evidence_file",  # the URL's pk is the assembly's, not an evidence item's
}
# Actions nobody but a superuser is offered, even in their own tenant.
NOT_OFFERED_TO_ORGANISERS = {
    "admin:assemblies_auditevent_add",
    "admin:assemblies_auditevent_delete",
    "admin:assemblies_organisation_add",
    "admin:notifications_outboxmessage_add",
    "admin:notifications_outboxmessage_delete",
    "admin:autocomplete",  # 403 without the query string naming a field
    "admin:lottery_respondent_add",  # respondents register or are imported
    "admin:lottery_respondent_delete",  # erasure has its own audited screen
    "admin:lottery_selectionrun_add",  # runs are started from the selection screen
    "admin:lottery_selectionrun_delete",  # runs are the record of a public lottery
    "admin:deliberation_question_add",  # members send questions from the portal
    "admin:deliberation_question_delete",  # facilitators hide them instead
}


# Spokespeople opt in themselves in the portal; media requests are sent from their screen.
NOT_OFFERED_TO_ORGANISERS |= {"admin:advocacy_spokesperson_add", "admin:advocacy_mediarequest_add"}
# Responses are recorded on the tracker's screens (through the services, into the history);
# followers come and go by their own links only.
NOT_OFFERED_TO_ORGANISERS |= {
    "admin:advocacy_response_add",
    "admin:advocacy_response_delete",
    "admin:advocacy_follower_add",
    "admin:advocacy_follower_delete",
}


# Minority statements are the members' own words: organisers read them, never add or delete.
NOT_OFFERED_TO_ORGANISERS |= {
    "admin:recommendations_minoritystatement_add",
    "admin:recommendations_minoritystatement_delete",
}


def _get(client: Any, url: str, route: Route | None = None) -> Any:
    if route is not None and route.name in POST_ONLY:
        return client.post(url, {"to": "deciding"}, HTTP_ACCEPT="text/html,application/json")
    return client.get(url, HTTP_ACCEPT="text/html,application/json")


@pytest.mark.django_db
def test_other_tenant_gets_404_for_everything_of_tenant_a(
    client: Any, world: dict[str, Any], other_tenant: Any
) -> None:
    failures = []
    for persona in (other_tenant.organiser, other_tenant.member):
        client.force_login(persona)
        for route in ROUTES:
            kind = classify(route)
            if kind not in ("tenant", "superuser"):
                continue
            url = concrete_url(route, world)
            response = _get(client, url, route)
            if response.status_code != 404:
                failures.append(f"{persona.email} {url} ({route.name}): {response.status_code}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_members_get_404_in_the_organisers_area(
    client: Any, world: dict[str, Any], other_tenant: Any
) -> None:
    client.force_login(world["tenant"].member)
    failures = []
    for route in ROUTES:
        if classify(route) != "organiser" or route.name.startswith("api:"):
            continue
        url = concrete_url(route, world)
        response = _get(client, url)
        if response.status_code != 404:
            failures.append(f"{url} ({route.name}): {response.status_code}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_organiser_area_lists_nothing_of_the_other_tenant(
    client: Any, world: dict[str, Any], other_tenant: Any
) -> None:
    client.force_login(other_tenant.organiser)
    tenant = world["tenant"]
    secrets = [tenant.assembly.title, tenant.organisation.name, "Alpha Member", tenant.member.email]
    for route in ROUTES:
        if classify(route) != "organiser":
            continue
        url = concrete_url(route, world)
        if route.name == "admin:autocomplete":
            url += "?app_label=assemblies&model_name=member&field_name=assembly&term=Alpha"
        response = _get(client, url)
        # 403 or 404 only where the action is offered to nobody (adding audit events).
        offered = route.name not in NOT_OFFERED_TO_ORGANISERS or route.name == "admin:autocomplete"
        allowed = (200, 302) if offered else (403, 404)
        assert response.status_code in allowed, f"{url}: {response.status_code}"
        body = response.content.decode()
        for secret in secrets:
            assert secret not in body, f"{url} shows {secret!r} to another tenant"
    # The same lists filtered on tenant A's id show nothing either.
    response = _get(client, f"/admin/assemblies/member/?assembly__id__exact={tenant.assembly.pk}")
    assert "Alpha Member" not in response.content.decode()


@pytest.mark.django_db
def test_anonymous_visitors(client: Any, world: dict[str, Any]) -> None:
    failures = []
    for route in ROUTES:
        kind = classify(route)
        url = concrete_url(route, world)
        response = _get(client, url)
        status = response.status_code
        if route.name in PUBLIC_WHEN_READY:
            ok = status in (200, 404)
        elif route.name in PUBLIC_MAY_REDIRECT:
            ok = status == 302 and not is_login_redirect(response)
        elif kind == "public":
            ok = status == 200
        elif kind == "demo":
            ok = status == (200 if settings.DEBUG and settings.PLENARY_DEMO_MAILBOX else 404)
        elif kind == "account":
            ok = status == 200 or (status == 302 and not response["Location"].startswith("/admin"))
        elif kind == "special":
            ok = status in (302, 404, 405)
        elif route.name.startswith("api:"):
            ok = status in (401, 404)
        else:
            ok = is_login_redirect(response) or status == 404
        if not ok:
            failures.append(f"{url} ({route.name}, {kind}): {status} {response.get('Location', '')}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_own_tenant_organiser_reaches_every_tenant_page(client: Any, world: dict[str, Any]) -> None:
    """The mirror image: the 404s above come from tenancy, not broken pages."""
    client.force_login(world["tenant"].organiser)
    failures = []
    for route in ROUTES:
        if classify(route) not in ("tenant", "organiser") or route.name.startswith("portal:"):
            continue
        url = concrete_url(route, world)
        response = _get(client, url)
        expected: tuple[int, ...] = (200, 302, 405)
        if route.name in NOT_OFFERED_TO_ORGANISERS:
            expected = (403, 404)
        elif route.name in NOT_YET_GENERATED:
            expected = (200, 404)
        if response.status_code not in expected:
            failures.append(f"{url} ({route.name}): {response.status_code}")
    assert not failures, "\n".join(failures)


# --- viewers and facilitators: no personal data (issue 9, item 3) -------------
# Routes whose pages carry people's contact details or messages to them: the
# outbox and the API. Each is walked for both roles, and nothing of tenant A's
# people may appear (addresses, the member's name, live confirm tokens).
PERSONAL_DATA_ROUTES = re.compile(r"^(admin:notifications_outboxmessage|api:)")


@pytest.mark.parametrize("role", ["viewer", "facilitator"])
@pytest.mark.django_db
def test_viewers_and_facilitators_read_no_personal_data(
    client: Any, world: dict[str, Any], role: str
) -> None:
    from tests.factories import TeamMembershipFactory, UserFactory

    tenant = world["tenant"]
    reader = UserFactory(username=f"alpha-{role}@example.org")
    TeamMembershipFactory(team=tenant.team, user=reader, role=role)
    client.force_login(reader)
    respondent = world["objects"]["lottery.respondent"]
    secrets = [tenant.member.email, "Alpha Member", respondent.email, respondent.confirm_token]
    walked, failures = 0, []
    for route in ROUTES:
        if not PERSONAL_DATA_ROUTES.match(route.name):
            continue
        walked += 1
        url = concrete_url(route, world)
        response = _get(client, url, route)
        body = response.content.decode()
        if response.status_code >= 500:
            failures.append(f"{url} ({route.name}): {response.status_code}")
        failures += [f"{url} ({route.name}) shows {s!r} to a {role}" for s in secrets if s in body]
    # The outbox is closed to them outright; the assembly itself stays readable.
    outbox = world["objects"]["notifications.outboxmessage"]
    assert client.get(f"/admin/notifications/outboxmessage/{outbox.pk}/change/").status_code == 404
    assert client.get(f"/api/v1/manage/assemblies/{tenant.assembly.pk}/").status_code == 200
    assert walked >= 10
    assert not failures, "\n".join(failures)
