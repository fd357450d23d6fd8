"""What recruitment and selection put into assemblies' registry (from
``LotteryConfig.ready``): screens, public pages, dashboard figures and links,
next steps, audit labels, the kinds of background job and the lottery's part of the demo."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assemblies.models import Stage
from assemblies.registry import AppUrls, DashboardLink, DemoPart, registry
from jobs import kinds
from jobs.kinds import JobKind
from jobs.kinds import register as register_job_kind

from .audit_labels import AUDIT_ACTION_LABELS
from .dashboard import panel_section, public_selection_section, recruitment_section
from .rules import VIEW_RECRUITMENT


def _load_demo() -> list[str]:
    from django.conf import settings

    from .demo import seed_lottery_demo

    code = seed_lottery_demo()
    return [f"  Register as a respondent:   {settings.SITE_URL}/register/?code={code}"] if code else []


def register() -> None:
    from .invitations.screens import ROUTES as INVITATION_ROUTES
    from .registration.screens import ROUTES as REGISTRATION_ROUTES
    from .registration.status import recruiting_guard
    from .selection.screens import ROUTES as SELECTION_ROUTES

    registry.admin_screens("lottery/selectionrun/", SELECTION_ROUTES)
    registry.admin_screens("lottery/invitationround/", INVITATION_ROUTES)
    registry.admin_screens("lottery/", REGISTRATION_ROUTES)
    registry.urls(AppUrls("lottery", public="lottery.selection.public_urls", site="lottery.urls"))
    registry.audit_labels(AUDIT_ACTION_LABELS)
    # Residents cannot register without a privacy notice and a contact.
    registry.stage_guard(recruiting_guard)
    registry.dashboard_section(recruitment_section)
    registry.dashboard_section(panel_section)
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
    _register_jobs()


def _register_jobs() -> None:
    """Each kind's task takes the job's target (a round, a run), so that a
    stale job can be published again by ``jobs.tasks.requeue_stale_jobs``."""
    from .invitations.selectors import IMPORT_JOB, LETTERS_JOB
    from .selection.services.runs import RUN_JOB

    register_job_kind(
        JobKind(
            IMPORT_JOB,
            _("Address import"),
            "lottery.invitations.tasks.import_addresses",
            "admin/lottery/invitationround/_import_detail.html",
        )
    )
    register_job_kind(
        JobKind(
            LETTERS_JOB,
            _("Invitation letters"),
            "lottery.invitations.tasks.resume_letters",
            "admin/lottery/invitationround/_letters_detail.html",
        )
    )
    register_job_kind(
        JobKind(
            RUN_JOB,
            _("Selection run"),
            "lottery.selection.tasks.compute_selection_run",
            "admin/lottery/selectionrun/_leximin_progress.html",
        )
    )
    kinds.register(
        JobKind(
            "lottery.pool_import",
            _("Checking the pool file"),
            "lottery.registration.tasks.run_pool_import",
            "admin/lottery/respondent/_import_progress.html",
        )
    )
