"""Organisers' deciding screens (mounted under /admin/recommendations/ballot/
by ``recommendations.plugin``): an assembly's ballots with turnout and
results, open and close, priority votes, and assisted (paper) voting."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assemblies.registry import Route
from assemblies.screens import ActionMixin, AssemblyScreen, ObjectScreen

from ..models import Ballot, BallotStatus, PriorityRound
from ..rules import MANAGE_RECOMMENDATIONS, MODERATE, VIEW_RECOMMENDATIONS
from . import charts, selectors, services
from .forms import AssistedVoteForm


def assembly_url(assembly_id: int) -> str:
    return reverse("admin:recommendations_ballot_assembly", args=[assembly_id])


class BallotsScreen(AssemblyScreen):
    """Every ballot of an assembly: status, turnout, results. Running results
    appear only for ballots set to show them (to members too); otherwise only
    turnout, so that watching the counts move cannot tell who voted what."""

    permission = VIEW_RECOMMENDATIONS
    template_name = "recommendations/ballots/admin_assembly.html"
    opts_model = Ballot

    def get_subtitle(self) -> Any:
        return _("Ballots and results")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        ballots = list(selectors.ballots_for_assembly(self.assembly))
        turnout = selectors.turnout_counts(ballots)
        electorate = services.voters(self.assembly).count()
        rows = []
        for ballot in ballots:
            result = None
            if ballot.status == BallotStatus.CLOSED or (
                ballot.status == BallotStatus.OPEN and ballot.show_running_results
            ):
                result = selectors.ballot_result(ballot)
            rows.append(
                {
                    "ballot": ballot,
                    "turnout": turnout.get(ballot.pk, 0),
                    "result": result,
                    "chart": charts.result_chart(result, chart_id=f"ballot-{ballot.pk}-chart")
                    if result
                    else "",
                }
            )
        rounds = []
        for round_ in PriorityRound.objects.filter(assembly=self.assembly):
            rounds.append({"round": round_, "rows": selectors.priority_results(round_)})
        return self.render(
            rows=rows,
            rounds=rounds,
            electorate=electorate,
            summary=selectors.assembly_summary(self.assembly),
            can_manage=self.may(MANAGE_RECOMMENDATIONS),
            can_assist=self.may(MODERATE),
        )


class BallotActionScreen(ActionMixin, ObjectScreen):
    model = Ballot
    permission = MANAGE_RECOMMENDATIONS
    lookup_kwarg = "object_id"

    def redirect_url(self) -> str:
        return assembly_url(self.assembly.pk) + f"#ballot-{self.object.pk}"


class OpenScreen(BallotActionScreen):
    def act(self) -> Any:
        services.ballot_open(ballot=self.object, by=self.request.user)
        return _("The ballot is open: members can vote on their phones.")


class CloseScreen(BallotActionScreen):
    def act(self) -> Any:
        ballot = services.ballot_close(ballot=self.object, by=self.request.user)
        result = selectors.ballot_result(ballot)
        return (
            _("The ballot is closed: adopted. The key is destroyed; no vote can be linked to anyone.")
            if result.adopted
            else _(
                "The ballot is closed: not adopted. The key is destroyed; no vote can be linked to anyone."
            )
        )


class AssistedVoteScreen(ObjectScreen):
    """A facilitator records a member's paper ballot (flagged as assisted).
    The page never shows anyone's current choice."""

    model = Ballot
    permission = MODERATE
    lookup_kwarg = "object_id"
    template_name = "recommendations/ballots/admin_assisted.html"
    opts_model = Ballot
    http_method_names = ["get", "head", "post"]

    def get_subtitle(self) -> Any:
        return _("Record a paper ballot")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render(ballot=self.object, form=AssistedVoteForm(ballot=self.object))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = AssistedVoteForm(request.POST, ballot=self.object)
        if form.is_valid():
            try:
                services.vote_cast(
                    ballot=self.object,
                    member=form.cleaned_data["member"],
                    choice=form.cleaned_data["choice"],
                    assisted=True,
                    by=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, _("The paper ballot is counted. Put the paper in the sealed box."))
                return HttpResponseRedirect(request.path)
        return self.render(ballot=self.object, form=form)


class PriorityActionScreen(ActionMixin, ObjectScreen):
    model = PriorityRound
    permission = MANAGE_RECOMMENDATIONS
    lookup_kwarg = "object_id"

    def redirect_url(self) -> str:
        return assembly_url(self.assembly.pk) + f"#priority-{self.object.pk}"


class PriorityOpenScreen(PriorityActionScreen):
    def act(self) -> Any:
        services.priority_open(round=self.object, by=self.request.user)
        return _("The priority vote is open.")


class PriorityCloseScreen(PriorityActionScreen):
    def act(self) -> Any:
        services.priority_close(round=self.object, by=self.request.user)
        return _("The priority vote is closed and its totals are frozen.")


ROUTES = [
    Route("assembly/<int:pk>/", BallotsScreen, "recommendations_ballot_assembly"),
    Route("<int:object_id>/open/", OpenScreen, "recommendations_ballot_open"),
    Route("<int:object_id>/close/", CloseScreen, "recommendations_ballot_close"),
    Route("<int:object_id>/assisted/", AssistedVoteScreen, "recommendations_ballot_assisted"),
]
PRIORITY_ROUTES = [
    Route("<int:object_id>/open/", PriorityOpenScreen, "recommendations_priorityround_open"),
    Route("<int:object_id>/close/", PriorityCloseScreen, "recommendations_priorityround_close"),
]
