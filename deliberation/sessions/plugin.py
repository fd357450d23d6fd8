"""What the sessions part registers (called from deliberation.plugin): the
move-item screens, the dashboard link and next step, the members' schedule
link and "Your next session", the public programme's section, the API and
the audit labels."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assemblies.figures import Tally, tally
from assemblies.models import Assembly, Stage
from assemblies.registry import ApiEndpoint, DashboardLink, Figure, PortalLink, Section, registry
from deliberation.rules import VIEW_PROGRAMME

AUDIT_ACTION_LABELS = {
    "deliberation.session_added": _("Session planned"),
    "deliberation.session_changed": _("Session changed"),
    "deliberation.session_reminded": _("Session reminder sent"),
    "deliberation.agenda_reordered": _("Agenda reordered"),
    "deliberation.calendar_link_reset": _("Calendar link reset by the member"),
}


def public_programme_section(assembly: Assembly) -> Section | None:
    """The "Programme" link on the public assembly page, once a session is public."""
    from deliberation.models import Session, SessionStatus

    if not assembly.is_public:  # Session.objects.public(), counted in one statement
        return None
    (count,) = tally(
        Tally(
            Session,
            {"assembly": assembly.pk, "is_public": True},
            exclude={"status": SessionStatus.CANCELLED.value},
        )
    )
    if not count:
        return None
    return Section(
        "programme",
        _("Programme"),
        [Figure(_("Public sessions"), count)],
        [
            (_("See the programme"), reverse("deliberation:programme", args=[assembly.slug])),
            (
                _("Add the programme to your calendar"),
                reverse("deliberation:programme_calendar", args=[assembly.slug]),
            ),
        ],
    )


def register() -> None:
    from .api import PublicSessionViewSet
    from .screens import ROUTES
    from .views import next_session_section

    registry.admin_screens("deliberation/agendaitem/", ROUTES)
    registry.audit_labels(AUDIT_ACTION_LABELS)
    registry.api(ApiEndpoint("sessions", PublicSessionViewSet, "session"))
    registry.public_section(public_programme_section)
    if hasattr(registry, "portal_section"):
        registry.portal_section(next_session_section)
    registry.dashboard_link(
        DashboardLink(
            _("Sessions and agenda"),
            lambda a: reverse("admin:deliberation_session_changelist") + f"?assembly__id__exact={a.pk}",
            VIEW_PROGRAMME,
            order=30,
        )
    )
    registry.next_steps(
        {
            Stage.DELIBERATING: _(
                "Plan the sessions and their agenda; members see their schedule and get reminders "
                "a week and a day before each session."
            )
        }
    )
    registry.portal_link(
        PortalLink(
            _("Your schedule"),
            lambda a: reverse("portal:deliberation_schedule", args=[a.slug]),
            order=20,
        )
    )
