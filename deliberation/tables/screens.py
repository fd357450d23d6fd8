"""The organisers' table screens (mounted under /admin/deliberation/tableplan/ by
``deliberation.tables.plugin``): an assembly's plans, one plan's settings,
tables, rules and result round by round, computing and re-planning as a job,
swaps, PDFs of table lists and cards, outputs, extra attributes and minutes."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assemblies.jobs import job_context
from assemblies.registry import Route
from assemblies.rules import SEE_PERSONAL_DATA
from assemblies.screens import ActionMixin, AssemblyScreen, ObjectScreen
from deliberation.models import MinutesStatus, PlanStatus, PlenaryMinutes, Session, TablePlan
from deliberation.rules import FACILITATE, MANAGE_PROGRAMME, VIEW_PROGRAMME
from reports.pdf import render_pdf

from . import selectors, services


def plans_url(assembly_id: int) -> str:
    return reverse("admin:deliberation_tables_assembly", args=[assembly_id])


def plan_url(plan_id: int) -> str:
    return reverse("admin:deliberation_tableplan_plan", args=[plan_id])


# --- an assembly's plans -----------------------------------------------------------------
class TablePlansScreen(AssemblyScreen):
    permission = VIEW_PROGRAMME
    template_name = "deliberation/tables/admin/plans.html"

    def get_subtitle(self) -> Any:
        return _("Table plans")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render(
            plans=selectors.plans_of(self.assembly),
            can_manage=self.may(MANAGE_PROGRAMME),
            may_set_attributes=self.may(AttributesScreen.permission),
            attributes=selectors.attribute_choices(self.assembly),
            members=selectors.seated_members(self.assembly).count(),
        )


class TablePlanCreateScreen(ActionMixin, AssemblyScreen):
    permission = MANAGE_PROGRAMME

    def act(self) -> Any:
        post = self.request.POST
        session = get_object_or_404(Session, assembly=self.assembly, pk=_int(post.get("session")))
        self.plan = services.table_plan_create(
            session=session,
            rounds=post.get("rounds") or 3,
            table_count=post.get("table_count") or 4,
            mix=post.getlist("mix"),
            seed=post.get("seed") or selectors.default_seed(session),
            by=self.request.user,
        )
        return _("The table plan is created: set its tables, then compute it.")

    def redirect_url(self) -> str:
        plan = getattr(self, "plan", None)
        return plan_url(plan.pk) if plan is not None else plans_url(self.assembly.pk)


class AttributesScreen(AssemblyScreen):
    """Organisers' own attributes to mix by (e.g. attitude), set member by member."""

    permission = SEE_PERSONAL_DATA
    template_name = "deliberation/tables/admin/attributes.html"
    http_method_names = ["get", "head", "post"]

    def get_subtitle(self) -> Any:
        return _("Attributes to mix tables by")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        name = (request.GET.get("name") or "").strip()
        members = list(selectors.seated_members(self.assembly))
        values = selectors.attributes_of(self.assembly, [m.pk for m in members], [name]) if name else {}
        rows = [(m, values.get(m.pk, {}).get(name, "") if name else "") for m in members]
        rows = [(m, "" if v == selectors.NOT_GIVEN else v) for m, v in rows]
        return self.render(
            name=name,
            rows=rows,
            attributes=selectors.attribute_choices(self.assembly),
            can_manage=self.may(MANAGE_PROGRAMME),
            label=selectors.member_label,
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        from django.contrib import messages
        from django.http import HttpResponseRedirect

        name = request.POST.get("name", "")
        values = {
            int(key[len("value-") :]): str(value)
            for key, value in request.POST.items()
            if key.startswith("value-") and key[len("value-") :].isdigit()
        }
        try:
            count = services.member_attributes_set(
                assembly=self.assembly, name=name, values=values, by=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return HttpResponseRedirect(
                reverse("admin:deliberation_tables_attributes", args=[self.assembly.pk])
            )
        messages.success(request, _("Saved: %(n)s members have a value.") % {"n": count})
        from django.utils.text import slugify

        return HttpResponseRedirect(
            reverse("admin:deliberation_tables_attributes", args=[self.assembly.pk])
            + f"?name={slugify(name)}"
        )


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


# --- one plan ------------------------------------------------------------------------------
class PlanScreenBase(ObjectScreen):
    model = TablePlan
    assembly_field = "session__assembly"
    select_related = ("session", "job")
    permission = VIEW_PROGRAMME

    def get_subtitle(self) -> Any:
        return _("Table plan: %(session)s") % {"session": self.object.session.title}

    def redirect_url(self) -> str:
        return plan_url(self.object.pk)


class TablePlanScreen(PlanScreenBase):
    template_name = "deliberation/tables/admin/plan.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        plan: TablePlan = self.object
        view = selectors.plan_view(plan)
        can_manage = self.may(MANAGE_PROGRAMME)
        members = list(selectors.seated_members(self.assembly)) if can_manage else []
        shown = request.GET.get("round")
        return self.render(
            plan=plan,
            view=view,
            can_manage=can_manage,
            see_names=self.may(FACILITATE) or self.may(SEE_PERSONAL_DATA),
            see_answers=self.may(SEE_PERSONAL_DATA),
            may_print=self.may(FACILITATE),
            attributes=selectors.attribute_choices(self.assembly),
            candidates=selectors.facilitator_candidates(self.assembly) if can_manage else [],
            members=members,
            pins=list(selectors.pins_of(plan)),
            apart=list(selectors.apart_of(plan)),
            rounds=range(1, plan.rounds + 1),
            shown_round=_int(shown) if shown else None,
            member_label=selectors.member_label,
            user_label=selectors.user_label,
            checked_in=plan.session.attendance.filter(status="present").count(),
            needs=selectors.access_summary(plan, view.tables) if can_manage else [],
            **(job_context(plan.job) if plan.job_id else {}),
        )


class _PlanAction(ActionMixin, PlanScreenBase):
    permission = MANAGE_PROGRAMME


class PlanSettingsScreen(_PlanAction):
    def act(self) -> Any:
        post = self.request.POST
        services.table_plan_update(
            plan=self.object,
            rounds=post.get("rounds"),
            table_count=post.get("table_count"),
            mix=post.getlist("mix"),
            seed=post.get("seed"),
            by=self.request.user,
        )
        return _("The plan's settings are saved.")


class PlanTablesScreen(_PlanAction):
    def act(self) -> Any:
        post = self.request.POST
        for table in list(self.object.tables.all()):
            n = table.number
            services.table_update(
                plan=self.object,
                number=n,
                name=post.get(f"name-{n}", table.name),
                facilitator_id=post.get(f"facilitator-{n}", ""),
                step_free=post.get(f"step_free-{n}") == "on",
                language=post.get(f"language-{n}", table.language),
                by=self.request.user,
            )
        return _("The tables are saved.")


class PlanRuleAddScreen(_PlanAction):
    def act(self) -> Any:
        post = self.request.POST
        if post.get("kind") == "apart":
            services.apart_add(
                plan=self.object,
                member_a=post.get("member_a"),
                member_b=post.get("member_b"),
                by=self.request.user,
            )
            return _("The two members will not share a table.")
        services.pin_add(
            plan=self.object,
            member_id=post.get("member"),
            table_number=post.get("table"),
            round=post.get("round") or None,
            by=self.request.user,
        )
        return _("The seat rule is added.")


class PlanRuleRemoveScreen(_PlanAction):
    def act(self) -> Any:
        post = self.request.POST
        services.rule_remove(
            plan=self.object, pin_id=post.get("pin"), apart_id=post.get("apart"), by=self.request.user
        )
        return _("The rule is removed.")


def _computed_message(plan: TablePlan, waiting: Any) -> Any:
    """What to say after a computation was queued: without a worker it ran already."""
    plan.refresh_from_db(fields=["status", "message"])
    if plan.status == PlanStatus.COMPUTING:
        return waiting
    if plan.status == PlanStatus.READY and not plan.message:
        return _("The plan is computed.")
    return None  # the page shows why it failed


class PlanComputeScreen(_PlanAction):
    def act(self) -> Any:
        services.table_plan_compute(plan=self.object, by=self.request.user)
        return _computed_message(self.object, _("The plan is being computed."))


class PlanReplanScreen(_PlanAction):
    def act(self) -> Any:
        services.table_plan_replan(
            plan=self.object, from_round=self.request.POST.get("from_round"), by=self.request.user
        )
        return _computed_message(
            self.object, _("The remaining rounds are being seated again from who is checked in.")
        )


class PlanSwapScreen(_PlanAction):
    def act(self) -> Any:
        post = self.request.POST
        services.table_plan_swap(
            plan=self.object,
            round=post.get("round"),
            member_a=post.get("member_a"),
            member_b=post.get("member_b"),
            by=self.request.user,
        )
        return _("The two members are swapped; the figures are up to date.")

    def redirect_url(self) -> str:
        return (
            plan_url(self.object.pk)
            + f"?round={_int(self.request.POST.get('round'))}#round-{_int(self.request.POST.get('round'))}"
        )


def _pdf(html: str, filename: str) -> HttpResponse:
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class PlanListsPdfScreen(PlanScreenBase):
    """Table lists: per round, per table, the names (for the room and the facilitators)."""

    permission = FACILITATE

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        view = selectors.plan_view(self.object)
        html = render_to_string(
            "deliberation/tables/pdf_lists.html",
            {"plan": self.object, "view": view, "assembly": self.assembly, "label": selectors.member_label},
        )
        return _pdf(html, f"table-lists-{self.object.pk}.pdf")


class PlanCardsPdfScreen(PlanScreenBase):
    """One card per member: their name and table in each round."""

    permission = FACILITATE

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        view = selectors.plan_view(self.object)
        cards: dict[int, list[Any]] = {}
        for rnd in view.rounds:
            for tv in rnd.tables:
                for member in tv.members:
                    cards.setdefault(member.pk, []).append((rnd.number, tv.table))
        people = sorted(
            ((view.members[pk], seats) for pk, seats in cards.items()),
            key=lambda item: selectors.member_label(item[0]),
        )
        html = render_to_string(
            "deliberation/tables/pdf_cards.html",
            {
                "plan": self.object,
                "cards": [(selectors.member_label(m), s) for m, s in people],
                "assembly": self.assembly,
            },
        )
        return _pdf(html, f"table-cards-{self.object.pk}.pdf")


class PlanOutputsScreen(PlanScreenBase):
    template_name = "deliberation/tables/admin/outputs.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        outputs = selectors.table_outputs(self.assembly).filter(plan=self.object)
        return self.render(plan=self.object, outputs=outputs, user_label=selectors.user_label)


# --- plenary minutes -------------------------------------------------------------------------
class MinutesScreenBase(ObjectScreen):
    model = Session
    permission = VIEW_PROGRAMME

    def get_subtitle(self) -> Any:
        return _("Plenary minutes: %(session)s") % {"session": self.object.title}

    def redirect_url(self) -> str:
        return reverse("admin:deliberation_minutes_session", args=[self.object.pk])


class MinutesScreen(MinutesScreenBase):
    template_name = "deliberation/tables/admin/minutes.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        minutes = PlenaryMinutes.objects.filter(session=self.object).first()
        return self.render(
            session=self.object,
            minutes=minutes,
            tally=selectors.minutes_tally(minutes) if minutes else None,
            corrections=list(selectors.corrections(minutes)) if minutes else [],
            can_manage=self.may(MANAGE_PROGRAMME),
            see_names=self.may(SEE_PERSONAL_DATA),
            statuses=MinutesStatus,
            label=selectors.member_label,
        )


class MinutesActionScreen(ActionMixin, MinutesScreenBase):
    permission = MANAGE_PROGRAMME

    def act(self) -> Any:
        action = self.request.POST.get("action")
        session, by = self.object, self.request.user
        if action == "circulate":
            services.minutes_circulate(session=session, by=by)
            return _("The minutes are sent to members for approval.")
        if action == "approve":
            services.minutes_approve(session=session, by=by)
            return _("The minutes are approved.")
        services.minutes_save(session=session, text=self.request.POST.get("text", ""), by=by)
        return _("The minutes are saved.")


ROUTES = [
    Route("assembly/<int:pk>/", TablePlansScreen, "deliberation_tables_assembly"),
    Route("assembly/<int:pk>/create/", TablePlanCreateScreen, "deliberation_tables_create"),
    Route("assembly/<int:pk>/attributes/", AttributesScreen, "deliberation_tables_attributes"),
    Route("<int:pk>/", TablePlanScreen, "deliberation_tableplan_plan"),
    Route("<int:pk>/settings/", PlanSettingsScreen, "deliberation_tableplan_settings"),
    Route("<int:pk>/tables/", PlanTablesScreen, "deliberation_tableplan_tables"),
    Route("<int:pk>/rules/add/", PlanRuleAddScreen, "deliberation_tableplan_rule_add"),
    Route("<int:pk>/rules/remove/", PlanRuleRemoveScreen, "deliberation_tableplan_rule_remove"),
    Route("<int:pk>/compute/", PlanComputeScreen, "deliberation_tableplan_compute"),
    Route("<int:pk>/replan/", PlanReplanScreen, "deliberation_tableplan_replan"),
    Route("<int:pk>/swap/", PlanSwapScreen, "deliberation_tableplan_swap"),
    Route("<int:pk>/table-lists.pdf", PlanListsPdfScreen, "deliberation_tableplan_lists_pdf"),
    Route("<int:pk>/table-cards.pdf", PlanCardsPdfScreen, "deliberation_tableplan_cards_pdf"),
    Route("<int:pk>/outputs/", PlanOutputsScreen, "deliberation_tableplan_outputs"),
    Route("session/<int:pk>/minutes/", MinutesScreen, "deliberation_minutes_session"),
    Route("session/<int:pk>/minutes/save/", MinutesActionScreen, "deliberation_minutes_action"),
]
