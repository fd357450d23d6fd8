"""The registry other apps plug into, and the organiser screens' base.

Each test registers on a throwaway ``Registry`` where it can, or restores the
global one, so no registration leaks into the next test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

from assemblies import services
from assemblies.models import Role, Stage
from assemblies.registry import DashboardLink, PortalLink, Registry, Section, registry
from assemblies.rules import MANAGE_ASSEMBLY, VIEW_ASSEMBLY
from assemblies.screens import ActionMixin, AssemblyScreen
from tests.factories import AssemblyFactory, TeamMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def restore_registry() -> Iterator[None]:
    guards, hooks = list(registry.stage_guards), list(registry.stage_hooks)
    yield
    registry.stage_guards[:], registry.stage_hooks[:] = guards, hooks


def test_a_stage_guard_refuses_the_move_with_its_reason(tenant: Any, restore_registry: None) -> None:
    def ballot_open(assembly: Any, to_stage: str) -> str | None:
        return "A ballot is still open." if to_stage == Stage.DECIDING else None

    registry.stage_guard(ballot_open)

    with pytest.raises(ValidationError, match="A ballot is still open"):
        services.assembly_transition(assembly=tenant.assembly, to_stage=Stage.DECIDING, by=tenant.organiser)
    tenant.assembly.refresh_from_db()
    assert tenant.assembly.stage == Stage.DELIBERATING


def test_a_stage_hook_runs_once_after_commit(
    tenant: Any, restore_registry: None, django_capture_on_commit_callbacks: Any
) -> None:
    seen: list[tuple[str, str]] = []
    registry.stage_hook(lambda assembly, old, new, by: seen.append((old, new)))

    with django_capture_on_commit_callbacks(execute=True):
        services.assembly_transition(assembly=tenant.assembly, to_stage=Stage.DECIDING, by=tenant.organiser)

    assert seen == [(Stage.DELIBERATING, Stage.DECIDING)]


def test_registering_twice_is_a_no_op() -> None:
    local = Registry()
    link = DashboardLink("Members", lambda a: "/members/", VIEW_ASSEMBLY)
    local.dashboard_link(link)
    local.dashboard_link(link)
    local.next_steps({Stage.DRAFT: "Write the remit."})
    local.next_steps({Stage.DRAFT: "Write the remit."})

    assert len(local.dashboard_links) == 1
    assert local.next_steps_for(Stage.DRAFT) == ["Write the remit."]


def test_dashboard_links_follow_the_users_permission(tenant: Any) -> None:
    local = Registry()
    local.dashboard_link(DashboardLink("Look", lambda a: "/look/", VIEW_ASSEMBLY))
    local.dashboard_link(DashboardLink("Change", lambda a: "/change/", MANAGE_ASSEMBLY))
    viewer = UserFactory()
    TeamMembershipFactory(team=tenant.team, user=viewer, role=Role.VIEWER, assembly=tenant.assembly)

    assert [label for label, _url in local.links_for(tenant.assembly, viewer)] == ["Look"]
    assert [label for label, _url in local.links_for(tenant.assembly, tenant.organiser)] == ["Look", "Change"]


def test_public_and_portal_sections_come_from_the_apps(tenant: Any) -> None:
    local = Registry()
    local.public_section(lambda a: Section("x", "Figures", [], [("Read more", "/more/")]))
    local.public_section(lambda a: None)  # nothing to say about this assembly
    local.portal_link(PortalLink("Your tables", lambda a: "/tables/", lambda a, m: m.status == "confirmed"))

    assert [s.key for s in local.public_sections_for(tenant.assembly)] == ["x"]
    membership = tenant.assembly.members.get(user=tenant.member)
    assert local.portal_links_for(tenant.assembly, membership) == [("Your tables", "/tables/")]


def test_the_lottery_plugs_in_without_assemblies_naming_it(organiser_client: Any, tenant: Any) -> None:
    """Recruitment's next steps, dashboard links and public pages are all registered by lottery."""
    assert registry.next_steps_for(Stage.RECRUITING)
    assert any(group.prefix == "lottery/selectionrun/" for group in registry.screen_groups)
    assert reverse("lottery:selection_public", kwargs={"slug": "x"}) == "/assemblies/x/selection/"
    assert reverse("lottery:register") == "/register/"

    body = organiser_client.get(
        reverse("admin:assemblies_assembly_dashboard", args=[tenant.assembly.pk])
    ).content.decode()

    assert reverse("admin:lottery_selectionrun_assembly", args=[tenant.assembly.pk]) in body


# --- the screens' base -----------------------------------------------------------------
class Touch(ActionMixin, AssemblyScreen):
    permission = MANAGE_ASSEMBLY
    calls: list[int] = []

    def act(self) -> Any:
        if self.request.POST.get("fail"):
            raise ValidationError("That cannot be done now.")
        self.calls.append(self.assembly.pk)
        return "Done."

    def redirect_url(self) -> str:
        return "/back/"


def _post(user: Any, pk: int, method: str = "post", **data: str) -> Any:
    from django.contrib.messages.storage.fallback import FallbackStorage

    request = getattr(RequestFactory(), method)("/x/", data)
    request.user = user
    request.session = {}  # type: ignore[assignment]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    response = Touch.as_view()(request, pk=pk)
    response.said = [str(m) for m in request._messages._queued_messages]  # type: ignore[attr-defined]
    return response


def test_screen_answers_404_for_another_tenant_whatever_the_method(tenant: Any, other_tenant: Any) -> None:
    from django.http import Http404

    for method in ("get", "post"):
        with pytest.raises(Http404):
            _post(other_tenant.organiser, tenant.assembly.pk, method)


def test_screen_answers_403_without_permission_then_405_for_a_wrong_method(tenant: Any) -> None:
    from django.core.exceptions import PermissionDenied

    viewer = UserFactory()
    TeamMembershipFactory(team=tenant.team, user=viewer, role=Role.VIEWER, assembly=tenant.assembly)
    with pytest.raises(PermissionDenied):
        _post(viewer, tenant.assembly.pk)

    assert _post(tenant.organiser, tenant.assembly.pk, "get").status_code == 405


def test_action_screen_calls_the_service_or_says_why_not(tenant: Any) -> None:
    Touch.calls = []
    ok = _post(tenant.organiser, tenant.assembly.pk)
    refused = _post(tenant.organiser, tenant.assembly.pk, fail="1")

    assert (ok.status_code, ok["Location"], ok.said) == (302, "/back/", ["Done."])
    assert (refused.status_code, refused.said) == (302, ["That cannot be done now."])
    assert Touch.calls == [tenant.assembly.pk]


def test_another_tenant_assembly_created_later_is_still_a_404(tenant: Any) -> None:
    from django.http import Http404

    later = AssemblyFactory()
    with pytest.raises(Http404):
        _post(tenant.organiser, later.pk)
