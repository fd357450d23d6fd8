"""What attendance and stipends register (called from deliberation.plugin):
the organisers' screens, the dashboard's attendance figures and links, the
members' "My expenses" and the facilitators' check-in links, audit labels."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assemblies.models import Assembly, Member, MemberRole
from assemblies.registry import DashboardLink, Figure, PortalLink, Section, registry


def attendance_section(assembly: Assembly) -> Section | None:
    """Sessions held, members flagged for missed sessions, claims waiting;
    None before the first session."""
    from deliberation.models import Expense, ExpenseStatus, Session, SessionStatus

    from .selectors import MISSED_SESSIONS_FLAG, flagged_members

    sessions = Session.objects.filter(assembly=assembly)
    if not sessions.exists():
        return None
    flagged = flagged_members(assembly)
    figures = [
        Figure(_("Sessions held"), sessions.filter(status=SessionStatus.HELD).count()),
        Figure(
            _("Members who missed %(n)s sessions or more") % {"n": MISSED_SESSIONS_FLAG},
            len(flagged),
        ),
        Figure(
            _("Expense claims waiting"),
            Expense.objects.filter(assembly=assembly, status=ExpenseStatus.CLAIMED).count(),
        ),
    ]
    links = [
        (
            _("Attendance and missed sessions"),
            reverse("admin:deliberation_attendance_overview", args=[assembly.pk]),
        ),
        (_("Expenses and stipends"), reverse("admin:deliberation_attendance_expenses", args=[assembly.pk])),
    ]
    return Section("attendance", _("Attendance"), figures, links)


def _facilitates(assembly: Assembly, member: Member) -> bool:
    from deliberation.rules import FACILITATE

    return bool(member.user.has_perm(FACILITATE, assembly))


def register() -> None:
    from deliberation.rules import FACILITATE, VIEW_PROGRAMME

    from .screens import ROUTES

    registry.admin_screens("deliberation/attendance/", ROUTES)
    registry.dashboard_section(attendance_section)
    registry.dashboard_link(
        DashboardLink(
            gettext_lazy("Attendance, access needs and stipends"),
            lambda a: reverse("admin:deliberation_attendance_overview", args=[a.pk]),
            VIEW_PROGRAMME,
            order=60,
        )
    )
    registry.dashboard_link(
        DashboardLink(
            gettext_lazy("Check-in (the facilitators' phone page)"),
            lambda a: reverse("portal:deliberation_checkin_sessions", args=[a.slug]),
            FACILITATE,
            order=61,
        )
    )
    registry.portal_link(
        PortalLink(
            gettext_lazy("My expenses and stipends"),
            lambda a: reverse("portal:deliberation_expenses", args=[a.slug]),
            lambda a, m: m.role != MemberRole.FACILITATOR,
            order=60,
        )
    )
    registry.portal_link(
        PortalLink(
            gettext_lazy("Check members in"),
            lambda a: reverse("portal:deliberation_checkin_sessions", args=[a.slug]),
            _facilitates,
            order=61,
        )
    )
    registry.audit_labels(
        {
            "deliberation.checked_in": gettext_lazy("Member checked in"),
            "deliberation.attendance_marked": gettext_lazy("Attendance recorded"),
            "deliberation.attendance_closed": gettext_lazy("Session closed: the rest recorded absent"),
            "deliberation.member_withdrawn": gettext_lazy("Member left the assembly"),
            "deliberation.access_needs_changed": gettext_lazy("Access needs changed"),
            "deliberation.expense_claimed": gettext_lazy("Expense claimed"),
            "deliberation.expense_approved": gettext_lazy("Expense approved"),
            "deliberation.expense_rejected": gettext_lazy("Expense not approved"),
            "deliberation.expense_paid": gettext_lazy("Expense paid"),
            "deliberation.stipends_added": gettext_lazy("Stipends added"),
        }
    )
