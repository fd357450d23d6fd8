"""What drafting puts into the registry (called from recommendations.plugin)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assemblies.models import Assembly, Member
from assemblies.registry import PortalLink, TeamPortalLink, registry
from deliberation.voice import audiences
from recommendations.rules import VIEW_RECOMMENDATIONS


def _drafts_url(assembly: Assembly) -> str:
    return reverse("portal:recommendations_drafts", args=[assembly.slug])


def _has_drafts(assembly: Assembly, member: Member) -> bool:
    return assembly.recommendations.exists()


def _erase(member: Member) -> None:
    from .services import erase_member

    erase_member(member)


def _working_groups(assembly: Assembly) -> list[tuple[int, str]]:
    from recommendations.models import WorkingGroup

    return list(
        WorkingGroup.objects.filter(assembly=assembly).order_by("name", "id").values_list("pk", "name")
    )


def _working_group_members(assembly: Assembly, group_id: int) -> QuerySet[Member]:
    return Member.objects.filter(
        assembly=assembly, working_groups__assembly=assembly, working_groups__pk=group_id
    )


def register() -> None:
    registry.erasure_hook(_erase)
    # Organisers' announcements can go to the members of one working group.
    audiences.register(
        audiences.ExtraAudience(
            key="working_group",
            label=_("The members of a working group"),
            choices=_working_groups,
            members=_working_group_members,
        )
    )
    registry.portal_link(PortalLink(_("Recommendations"), _drafts_url, _has_drafts, order=60))
    registry.team_portal_link(
        TeamPortalLink(_("Recommendations"), _drafts_url, VIEW_RECOMMENDATIONS, order=60)
    )
    registry.audit_labels(
        {
            "recommendations.created": _("Recommendation created"),
            "recommendations.saved": _("Draft saved"),
            "recommendations.commented": _("Comment added"),
            "recommendations.comment_hidden": _("Comment hidden"),
            "recommendations.amendment_proposed": _("Amendment proposed"),
            "recommendations.amendment_withdrawn": _("Amendment withdrawn"),
            "recommendations.amendment_accepted": _("Amendment accepted"),
            "recommendations.amendment_rejected": _("Amendment rejected"),
            "recommendations.amendment_to_vote": _("Amendment put to the vote"),
            "recommendations.amendment_became_recommendation": _("Amendment became a recommendation"),
        }
    )
