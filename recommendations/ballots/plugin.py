"""What deciding and the published pages put into assemblies' registry
(called from ``recommendations.plugin``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assemblies.models import Assembly, Member, Stage
from assemblies.registry import ApiEndpoint, DashboardLink, DemoPart, Figure, PortalLink, Section, registry

from ..rules import VIEW_RECOMMENDATIONS

AUDIT_LABELS = {
    "recommendations.ballot_created": _("Ballot created"),
    "recommendations.ballot_opened": _("Ballot opened"),
    "recommendations.ballot_closed": _("Ballot closed and counted"),
    "recommendations.ballot_deleted": _("Ballot deleted"),
    "recommendations.voted": _("A member voted (the choice is secret)"),
    "recommendations.voted_assisted": _("A paper ballot was recorded (the choice is secret)"),
    "recommendations.priority_created": _("Priority vote created"),
    "recommendations.priority_opened": _("Priority vote opened"),
    "recommendations.priority_voted": _("A member gave their priorities (secret)"),
    "recommendations.priority_closed": _("Priority vote closed and counted"),
    "recommendations.minority_statement_added": _("Minority statement added"),
    "recommendations.minority_statement_withdrawn": _("Minority statement withdrawn"),
}
VOTING_SEEN = (Stage.DECIDING, Stage.PUBLISHED, Stage.FOLLOW_UP, Stage.CLOSED)


def _votes_visible(assembly: Assembly, member: Member) -> bool:
    return assembly.stage in VOTING_SEEN


def _dashboard_section(assembly: Assembly) -> Section | None:
    from .selectors import assembly_summary

    if assembly.stage not in VOTING_SEEN:
        return None
    summary = assembly_summary(assembly)
    return Section(
        key="deciding",
        title=_("Deciding"),
        figures=[
            Figure(_("Recommendations decided"), summary.decided),
            Figure(_("Adopted"), summary.adopted),
            Figure(_("80 % or more in favour"), summary.above.get("80", 0)),
        ],
    )


def _load_demo() -> list[str]:
    from ..demo import load

    return load()


def register() -> None:
    from ..public.api import PublicRecommendationViewSet
    from ..public.selectors import public_section
    from .screens import PRIORITY_ROUTES, ROUTES
    from .services import ballots_stage_guard

    registry.admin_screens("recommendations/ballot/", ROUTES)
    registry.admin_screens("recommendations/priorityround/", PRIORITY_ROUTES)
    registry.api(ApiEndpoint("recommendations", PublicRecommendationViewSet, "public-recommendation"))
    registry.stage_guard(ballots_stage_guard)
    registry.public_section(public_section)
    registry.dashboard_section(_dashboard_section)
    registry.audit_labels(AUDIT_LABELS)
    registry.next_steps(
        {
            Stage.DECIDING: _(
                "Set up a ballot for each recommendation, open them in the room, close them to count; "
                "the assembly can move on once every ballot is closed."
            ),
        }
    )
    registry.dashboard_link(
        DashboardLink(
            _("Ballots and results"),
            lambda a: reverse("admin:recommendations_ballot_assembly", args=[a.pk]),
            VIEW_RECOMMENDATIONS,
            order=50,
        )
    )
    registry.portal_link(
        PortalLink(
            _("Votes"),
            lambda a: reverse("portal:recommendations_ballots", args=[a.slug]),
            _votes_visible,
            order=50,
        )
    )
    registry.demo(DemoPart("recommendations", _load_demo, order=40))


__all__: list[Any] = ["register"]
