"""The organisers' selection screens: quotas, runs, commitment, draw,
confirmations, replacements, letters (mounted under
/admin/lottery/selectionrun/ by ``lottery.plugin``)."""

from __future__ import annotations

import json
import secrets
from typing import Any

from celery import current_app
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from assemblies.confirm import ConfirmActionMixin, Confirmation
from assemblies.jobs import job_context
from assemblies.registry import Route
from assemblies.rules import SEE_PERSONAL_DATA
from assemblies.screens import ActionMixin, AssemblyScreen, ObjectScreen
from lottery.models import (
    DrawStatus,
    RecruitmentSettings,
    Respondent,
    RespondentStatus,
    RunKind,
    SelectionRun,
)
from lottery.rules import FINALISE_PANEL, RUN_SELECTION, VIEW_RECRUITMENT

from . import reserves, selectors, services
from .letters import selected_letter_pdf


def _assembly_url(assembly_id: int) -> str:
    return reverse("admin:lottery_selectionrun_assembly", args=[assembly_id])


def _run_url(run_id: int) -> str:
    return reverse("admin:lottery_selectionrun_run", args=[run_id])


# --- an assembly's selection -----------------------------------------------------------
class SelectionScreen(AssemblyScreen):
    permission = VIEW_RECRUITMENT
    template_name = "admin/lottery/selectionrun/assembly.html"
    opts_model = SelectionRun

    def get_subtitle(self) -> Any:
        return _("Selection")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        assembly = self.assembly
        return self.render(
            runs=selectors.runs_for(assembly),
            can_run=self.may(RUN_SELECTION),
            can_finalise=self.may(FINALISE_PANEL),
            see_names=self.may(SEE_PERSONAL_DATA),
            people=selectors.selected_people(assembly),
            reserves=selectors.reserves(assembly),
            panel=(panel := selectors.panel_figures(assembly)),
            vacant=panel.vacant,
            vacancies=(vacancies := reserves.vacancies(assembly)),
            open_seats={v.left.pk for v in vacancies if v.outcome == "open" and v.left is not None},
            recruitment=RecruitmentSettings.objects.filter(assembly=assembly).first(),
            pool_size=Respondent.objects.filter(assembly=assembly, status__in=services.FRESH_POOL).count(),
            published=SelectionRun.objects.filter(
                assembly=assembly,
                kind=RunKind.SELECTION,
                status__in=(DrawStatus.COMMITTED, DrawStatus.DRAWN),
            ).exists(),
            request_key=secrets.token_hex(16),
            # Without a worker (the laptop demo) the run computes inside this
            # request: say so, since no progress can be shown meanwhile.
            runs_inline=bool(current_app.conf.task_always_eager),
            time_limit=settings.SELECTION_TIME_LIMIT,
        )


class QuotasScreen(AssemblyScreen):
    permission = VIEW_RECRUITMENT
    template_name = "admin/lottery/selectionrun/quotas.html"
    opts_model = SelectionRun

    def get_subtitle(self) -> Any:
        return _("Quotas and feasibility")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render(feasibility=selectors.quota_feasibility(self.assembly))


class StartRunScreen(ActionMixin, AssemblyScreen):
    permission = RUN_SELECTION

    def act(self) -> Any:
        run = services.selection_run_start(
            assembly=self.assembly, request_key=self.request.POST.get("request_key", ""), by=self.request.user
        )
        return HttpResponseRedirect(_run_url(run.pk))

    def redirect_url(self) -> str:
        return _assembly_url(self.assembly.pk)


class FinaliseScreen(ConfirmActionMixin, AssemblyScreen):
    """Finalising closes replacements for good: say what is still open (seats
    not confirmed, vacant seats, reserves) and ask for a tick when any is."""

    permission = FINALISE_PANEL

    def confirmation(self) -> Confirmation:
        panel = selectors.panel_figures(self.assembly)
        if not panel.drawn:
            # The service refuses too; say so before describing an erasure clock.
            return Confirmation(
                _("Finalise the panel?"), refusals=[_("Draw the panel before finalising it.")]
            )
        recruitment = RecruitmentSettings.objects.filter(assembly=self.assembly).first()
        days = recruitment.retention_days if recruitment else 0
        consequences = [
            _("No reserve can be called and no replacement drawn any more: a seat left empty stays empty."),
            ngettext(
                "The clock starts for erasing the respondents who were not selected: "
                "they are deleted after %(days)s day.",
                "The clock starts for erasing the respondents who were not selected: "
                "they are deleted after %(days)s days.",
                days,
            )
            % {"days": days},
            _("Nobody is emailed."),
        ]
        warnings = []
        if panel.unconfirmed:
            warnings.append(
                ngettext(
                    "%(open)s of %(seats)s seats is not confirmed yet (%(selected)s waiting for an answer, "
                    "%(vacant)s vacant). If you finalise now, anyone who declines later cannot be replaced.",
                    "%(open)s of %(seats)s seats are not confirmed yet (%(selected)s waiting for an answer, "
                    "%(vacant)s vacant). If you finalise now, anyone who declines later cannot be replaced.",
                    panel.unconfirmed,
                )
                % {
                    "open": panel.unconfirmed,
                    "seats": panel.seats,
                    "selected": panel.selected,
                    "vacant": panel.vacant,
                }
            )
        return Confirmation(
            _("Finalise the panel?"),
            consequences=consequences,
            warnings=warnings,
            final=_("Replacements cannot be reopened, and erased respondents cannot be brought back."),
            button=_("Finalise the panel"),
            tick=_("I understand that seats not confirmed now cannot be refilled.")
            if panel.unconfirmed
            else "",
        )

    def act(self) -> Any:
        services.panel_finalise(assembly=self.assembly, by=self.request.user)
        return _("The panel is final. Replacements are closed.")

    def redirect_url(self) -> str:
        return _assembly_url(self.assembly.pk)


# --- one selection run ---------------------------------------------------------------------
class RunScreenBase(ObjectScreen):
    model = SelectionRun
    permission = VIEW_RECRUITMENT
    opts_model = SelectionRun
    select_related = ("replaces", "job")
    lookup_kwarg = "object_id"

    def redirect_url(self) -> str:
        return _run_url(self.object.pk)


class RunScreen(RunScreenBase):
    template_name = "admin/lottery/selectionrun/run.html"

    def get_subtitle(self) -> Any:
        run = self.object
        return f"{run.get_kind_display()} · {formats.date_format(run.created_at, 'DATETIME_FORMAT')}"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        run = self.object
        return self.render(
            **selectors.run_figures(run),
            **job_context(run.job),
            can_run=self.may(RUN_SELECTION),
        )


class CommitScreen(ActionMixin, RunScreenBase):
    permission = RUN_SELECTION

    def act(self) -> Any:
        services.selection_publish_commitment(
            run=self.object,
            randomness_source=self.request.POST.get("randomness_source", ""),
            by=self.request.user,
        )
        return _("The commitment is published. Now obtain the public randomness and draw.")


class DrawScreen(ActionMixin, RunScreenBase):
    permission = RUN_SELECTION

    def act(self) -> Any:
        services.selection_draw(
            run=self.object, randomness=self.request.POST.get("randomness", ""), by=self.request.user
        )
        return _("The panel is drawn. The selected respondents are being emailed.")


class BundleScreen(RunScreenBase):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        run = self.object
        if not run.bundle:
            raise Http404
        response = HttpResponse(
            json.dumps(run.bundle, ensure_ascii=False, indent=1),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{run.assembly.slug}-selection-{run.pk}.json"'
        )
        return response


# --- one selected person ---------------------------------------------------------------------
class RespondentScreenBase(ObjectScreen):
    model = Respondent
    lookup_kwarg = "respondent_id"

    def redirect_url(self) -> str:
        return _assembly_url(self.assembly.pk)


class LetterScreen(RespondentScreenBase):
    permission = SEE_PERSONAL_DATA

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        respondent = self.object
        if respondent.status != RespondentStatus.SELECTED or not respondent.confirm_token:
            raise Http404
        response = HttpResponse(selected_letter_pdf(respondent), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="letter-{respondent.pseudonym}.pdf"'
        return response


def _who(screen: RespondentScreenBase, respondent: Respondent) -> str:
    """A respondent as this organiser may see them: the name only with the
    personal-data permission, the pseudonym always."""
    if screen.may(SEE_PERSONAL_DATA):
        return f"{respondent.first_name} {respondent.last_name} ({respondent.pseudonym})"
    return respondent.pseudonym


def _next_reserve_line(screen: RespondentScreenBase, check: Any) -> Any:
    if check is None:
        return _(
            "No reserve keeps every quota, so the seat stays vacant until you draw a replacement "
            "(a new lottery with everyone still on the panel seated)."
        )
    return _(
        "The seat is offered to reserve no. %(n)s, %(who)s, the first on the reserve list who keeps "
        "every quota. They are emailed a link to accept or decline (or, if they have no email "
        "address, you print their letter)."
    ) % {"n": check.position, "who": _who(screen, check.respondent)}


def _skipped_line(screen: RespondentScreenBase, skipped: list[Any]) -> list[Any]:
    if not skipped:
        return []
    labels = reserves.feature_labels(screen.assembly)
    return [
        _("Passed over: %(list)s.")
        % {
            "list": "; ".join(
                f"{_('no. %(n)s') % {'n': c.position}} ({reserves.explain(c.misfit, labels)})"
                for c in skipped
            )
        }
    ]


class ReplaceScreen(ConfirmActionMixin, RespondentScreenBase):
    """Fill a vacant seat: the first reserve who keeps every quota, or, when
    none does, a replacement draw."""

    permission = RUN_SELECTION

    def confirmation(self) -> Confirmation:
        leaving = self.object
        chosen, skipped = reserves.first_fitting_reserve(self.assembly)
        question = _("Fill the seat left by %(who)s?") % {"who": _who(self, leaving)}
        if chosen is not None:
            return Confirmation(
                question,
                consequences=[_next_reserve_line(self, chosen), *_skipped_line(self, skipped)],
                final=_("The reserve's email cannot be recalled once sent."),
                button=_("Offer the seat to reserve no. %(n)s") % {"n": chosen.position},
                hidden={"request_key": secrets.token_hex(16)},
            )
        return Confirmation(
            question,
            consequences=[
                _("No reserve keeps every quota."),
                *_skipped_line(self, skipped),
                _(
                    "A replacement draw is computed: everyone still on the panel keeps their seat and the "
                    "lottery fills every vacant seat so that each quota holds. You then publish its "
                    "commitment and draw it with public randomness; nobody is emailed before that draw."
                ),
            ],
            button=_("Start a replacement draw"),
            hidden={"request_key": secrets.token_hex(16)},
        )

    def act(self) -> Any:
        chosen, _skipped = reserves.first_fitting_reserve(self.assembly)
        if chosen is not None:
            reserve = services.reserve_call(respondent=self.object, by=self.request.user)
            return _("The seat is offered to reserve no. %(n)s (%(who)s), who is being emailed.") % {
                "n": chosen.position,
                "who": reserve.pseudonym,
            }
        run = services.replacement_start(
            respondent=self.object, by=self.request.user, request_key=self.request.POST.get("request_key", "")
        )
        return HttpResponseRedirect(_run_url(run.pk))


class WithdrawScreen(ConfirmActionMixin, RespondentScreenBase):
    """Record a drop-out: say whose seat it is and where it goes next."""

    permission = RUN_SELECTION

    def confirmation(self) -> Confirmation:
        leaving = self.object
        recruitment = RecruitmentSettings.objects.filter(assembly=self.assembly).first()
        consequences: list[Any] = [
            _("%(who)s leaves the panel; if they have a members' account, it no longer opens this assembly.")
            % {"who": _who(self, leaving)}
        ]
        if recruitment is not None and recruitment.panel_final_at is not None:
            consequences.append(_("The panel is final: the seat stays empty."))
        else:
            # After the drop-out one more seat is vacant: check the reserves as they will stand.
            vacant = selectors.panel_figures(self.assembly).vacant + 1
            checks = reserves.reserve_checks(self.assembly, vacant=vacant, leaving=leaving)
            chosen = next((c for c in checks if c.fits), None)
            skipped = checks[: checks.index(chosen)] if chosen is not None else checks
            consequences += [_next_reserve_line(self, chosen), *_skipped_line(self, skipped)]
        return Confirmation(
            _("Record that %(who)s drops out?") % {"who": _who(self, leaving)},
            consequences=consequences,
            final=_(
                "A drop-out cannot be taken back: to return, they would need a vacant seat like anyone else."
            ),
            button=_("Record the drop-out"),
        )

    def act(self) -> Any:
        services.respondent_withdraw(respondent=self.object, by=self.request.user)
        return _("The drop-out is recorded.")


ROUTES = [
    Route("assembly/<int:pk>/", SelectionScreen, "lottery_selectionrun_assembly"),
    Route("assembly/<int:pk>/quotas/", QuotasScreen, "lottery_selectionrun_quotas"),
    Route("assembly/<int:pk>/start/", StartRunScreen, "lottery_selectionrun_start"),
    Route("assembly/<int:pk>/finalise/", FinaliseScreen, "lottery_selectionrun_finalise"),
    Route("<int:object_id>/run/", RunScreen, "lottery_selectionrun_run"),
    Route("<int:object_id>/commit/", CommitScreen, "lottery_selectionrun_commit"),
    Route("<int:object_id>/draw/", DrawScreen, "lottery_selectionrun_draw"),
    Route("<int:object_id>/bundle.json", BundleScreen, "lottery_selectionrun_bundle"),
    Route("respondent/<int:respondent_id>/letter.pdf", LetterScreen, "lottery_selectionrun_letter"),
    Route("respondent/<int:respondent_id>/replace/", ReplaceScreen, "lottery_selectionrun_replace"),
    Route("respondent/<int:respondent_id>/withdraw/", WithdrawScreen, "lottery_selectionrun_withdraw"),
]
