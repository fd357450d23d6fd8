"""What recruitment and selection put into assemblies' registry (from
``LotteryConfig.ready``): screens, public pages, dashboard figures and links,
next steps, audit labels and the lottery's part of the demo."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assemblies.models import Assembly, Stage
from assemblies.registry import AppUrls, DashboardLink, DemoPart, Section, registry

from .audit_labels import AUDIT_ACTION_LABELS
from .dashboard import recruitment_section
from .rules import VIEW_RECRUITMENT


def public_selection_section(assembly: Assembly) -> Section | None:
    """A link to "How the members were chosen" once there is a selection."""
    if not assembly.selection_runs.exists():
        return None
    url = reverse("lottery:selection_public", kwargs={"slug": assembly.slug})
    return Section(
        "selection", _("How the members were chosen"), [], [(_("How the members were chosen"), url)]
    )


def _load_demo() -> list[str]:
    from django.conf import settings

    from .demo import seed_lottery_demo

    code = seed_lottery_demo()
    return [f"  Register as a respondent:   {settings.SITE_URL}/register/?code={code}"] if code else []


def register() -> None:
    from .invitations.screens import ROUTES as INVITATION_ROUTES
    from .registration.screens import ROUTES as REGISTRATION_ROUTES
    from .selection.screens import ROUTES as SELECTION_ROUTES

    registry.admin_screens("lottery/selectionrun/", SELECTION_ROUTES)
    registry.admin_screens("lottery/invitationround/", INVITATION_ROUTES)
    registry.admin_screens("lottery/", REGISTRATION_ROUTES)
    registry.urls(AppUrls("lottery", public="lottery.selection.public_urls", site="lottery.urls"))
    registry.audit_labels(AUDIT_ACTION_LABELS)
    registry.dashboard_section(recruitment_section)
    registry.public_section(public_selection_section)
    registry.next_steps(
        {
            Stage.RECRUITING: _("Send invitation letters and watch registrations against your quotas."),
            Stage.SELECTING: _(
                "Check the quotas, run the lottery, publish the commitment and draw the panel."
            ),
        }
    )
    registry.dashboard_link(
        DashboardLink(
            _("Recruitment and selection"),
            lambda a: reverse("admin:lottery_selectionrun_assembly", args=[a.pk]),
            VIEW_RECRUITMENT,
            order=10,
        )
    )
    registry.dashboard_link(
        DashboardLink(
            _("Invitation rounds"),
            lambda a: reverse("admin:lottery_invitationround_changelist") + f"?assembly__id__exact={a.pk}",
            VIEW_RECRUITMENT,
            order=20,
        )
    )
    registry.demo(DemoPart("lottery", _load_demo, order=20))
