"""Members' deciding pages in the portal (phone first): open ballots, the
vote, priority votes and minority statements."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assemblies.access import member_assembly

from ..drafting.markdown import render_markdown
from ..models import Ballot, BallotStatus, PriorityMethod, PriorityRound, Recommendation, RecommendationStatus
from . import charts, selectors, services
from .forms import MinorityStatementForm, PriorityForm, VoteForm


@login_required
def portal_ballots(request: HttpRequest, slug: str) -> HttpResponse:
    assembly, member = member_assembly(request, slug)
    rounds = PriorityRound.objects.filter(assembly=assembly).exclude(status=BallotStatus.DRAFT)
    return render(
        request,
        "recommendations/ballots/portal_list.html",
        {
            "assembly": assembly,
            "ballots": selectors.member_ballots(assembly, member),
            "rounds": rounds,
            "summary": selectors.assembly_summary(assembly),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def portal_ballot(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    assembly, member = member_assembly(request, slug)
    ballot = get_object_or_404(
        Ballot.objects.select_related("recommendation", "amendment__recommendation").exclude(
            status=BallotStatus.DRAFT
        ),
        assembly=assembly,
        pk=pk,
    )
    form = VoteForm(request.POST if request.method == "POST" else None, ballot=ballot)
    if request.method == "POST" and form.is_valid():
        try:
            services.vote_cast(
                ballot=ballot, member=member, choice=form.cleaned_data["choice"], by=request.user
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            # Deliberately does not repeat the choice: the page below shows it to them alone.
            messages.success(request, _("Your vote is counted. You can change it until the ballot closes."))
            return redirect("portal:recommendations_ballot", slug=assembly.slug, pk=ballot.pk)
    current = services.my_choice(ballot=ballot, member=member)
    if current and not form.is_bound:
        form = VoteForm(initial={"choice": current}, ballot=ballot)
    result = None
    if ballot.status == BallotStatus.CLOSED or ballot.show_running_results:
        result = selectors.ballot_result(ballot)
    return render(
        request,
        "recommendations/ballots/portal_ballot.html",
        {
            "assembly": assembly,
            "ballot": ballot,
            "form": form,
            "current": selectors.option_label(ballot.kind, current) if current else None,
            "voted": ballot.participations.filter(member=member).exists(),
            "result": result,
            "chart": charts.result_chart(result, chart_id=f"ballot-{ballot.pk}-chart") if result else "",
            "is_open": ballot.status == BallotStatus.OPEN,
            "text_html": render_markdown(ballot.recommendation.text) if ballot.recommendation else "",
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def portal_priority(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    assembly, member = member_assembly(request, slug)
    round_ = get_object_or_404(
        PriorityRound.objects.exclude(status=BallotStatus.DRAFT), assembly=assembly, pk=pk
    )
    recommendations = list(round_.recommendations.order_by("number"))
    mine = services.my_priorities(round=round_, member=member)
    initial = {}
    if round_.method == PriorityMethod.RANKING:
        initial = {f"rec_{pk}": round_.dots + 1 - points for pk, points in mine.items()}
    else:
        initial = {f"rec_{pk}": points for pk, points in mine.items()}
    form = PriorityForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        round_=round_,
        recommendations=recommendations,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.priority_vote(round=round_, member=member, allocation=form.allocation(), by=request.user)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(
                request, _("Your priorities are counted. You can change them until the vote closes.")
            )
            return redirect("portal:recommendations_priority", slug=assembly.slug, pk=round_.pk)
    rows = selectors.priority_results(round_)
    return render(
        request,
        "recommendations/ballots/portal_priority.html",
        {
            "assembly": assembly,
            "round": round_,
            "form": form,
            "rows": rows,
            "chart": charts.priority_chart(rows, chart_id=f"priority-{round_.pk}-chart") if rows else "",
            "is_open": round_.status == BallotStatus.OPEN,
            "ranking": round_.method == PriorityMethod.RANKING,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def portal_minority_statement(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    assembly, member = member_assembly(request, slug)
    recommendation = get_object_or_404(
        Recommendation.objects.exclude(status=RecommendationStatus.WITHDRAWN),
        assembly=assembly,
        number=number,
    )
    form = MinorityStatementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and request.POST.get("withdraw"):
        statement = get_object_or_404(
            recommendation.minority_statements.filter(withdrawn_at__isnull=True, author=member),
            pk=request.POST["withdraw"] if request.POST["withdraw"].isdigit() else 0,
        )
        try:
            services.minority_statement_withdraw(statement=statement, by=request.user)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Your statement is withdrawn."))
        return redirect("portal:recommendations_minority", slug=assembly.slug, number=number)
    if request.method == "POST" and form.is_valid():
        try:
            services.minority_statement_add(
                recommendation=recommendation,
                member=member,
                text=form.cleaned_data["text"],
                signed_as=form.cleaned_data["signed_as"],
                by=request.user,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(
                request, _("Your statement is saved. It will be published with the recommendation.")
            )
            return redirect("portal:recommendations_minority", slug=assembly.slug, number=number)
    return render(
        request,
        "recommendations/ballots/portal_minority.html",
        {
            "assembly": assembly,
            "recommendation": recommendation,
            "form": form,
            "mine": recommendation.minority_statements.filter(withdrawn_at__isnull=True, author=member),
            "others": recommendation.minority_statements.filter(withdrawn_at__isnull=True).exclude(
                author=member
            ),
            "can_add": assembly.stage in services.STATEMENT_STAGES,
        },
    )
