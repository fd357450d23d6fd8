"""The tracker's public pages (under /assemblies/<slug>/, namespace
"advocacy"), the follow links and the institutions' private entry page (at
the site root), and the members' ratings (portal).

Public pages exist only for a public assembly in Published, Follow-up or
Closed; they read through ``selectors.tracker_rows(public=True)``, which shows
an unpublished response as "no response yet" and never an institution's
pending entry."""

from __future__ import annotations

import csv
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import feedgenerator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assemblies.access import member_assembly, public_assembly
from assemblies.models import Assembly
from assemblies.opendata import licence_of, licensed_download
from lottery.rate_limits import client_ip, over_rate_limit
from recommendations.drafting.diff import word_diff
from reports.csv_safety import safe_row

from ..models import (
    Follower,
    ImplementationStatus,
    Institution,
    InstitutionLink,
    Response,
    ResponseStatus,
)
from . import charts, followers, selectors, services
from .forms import FollowForm, InstitutionEntryForm, RatingForm

FILTER_KEYS = ("q", "response", "implementation", "headline", "institution", "overdue")


def tracker_assembly(slug: str) -> Assembly:
    assembly = public_assembly(slug)
    if not selectors.tracker_is_public(assembly):
        raise Http404
    return assembly


def _filters(request: HttpRequest, assembly: Assembly) -> dict[str, str]:
    raw = {key: str(request.GET.get(key, "")).strip()[:100] for key in FILTER_KEYS}
    valid = {
        "response": ResponseStatus.values,
        "implementation": ImplementationStatus.values,
        "headline": selectors.BUCKETS,
        "overdue": ("1",),
    }
    for key, allowed in valid.items():
        if raw[key] and raw[key] not in allowed:
            raw[key] = ""
    if raw["institution"] and not raw["institution"].isdigit():
        raw["institution"] = ""
    return {key: value for key, value in raw.items() if value}


def with_diffs(rows: list[selectors.Row]) -> list[selectors.Row]:
    for row in rows:
        for milestone in row.milestones:
            if milestone.status == ImplementationStatus.IMPLEMENTED_WEAKER and milestone.enacted_text:
                milestone.diff = word_diff(row.recommendation.text, milestone.enacted_text)  # type: ignore[attr-defined]
    return rows


def tracker(request: HttpRequest, slug: str) -> HttpResponse:
    assembly = tracker_assembly(slug)
    filters = _filters(request, assembly)
    rows = with_diffs(selectors.tracker_rows(assembly, public=True, filters=filters))
    series = selectors.headline_series(assembly)
    headline = series[-1] if series else selectors.headline(assembly)
    return render(
        request,
        "advocacy/tracking/tracker.html",
        {
            "assembly": assembly,
            "rows": rows,
            "filters": filters,
            "headline": headline,
            "series": series[-charts.MAX_POINTS :],
            "chart": charts.headline_chart(series),
            "labels": charts.labels(),
            "scorecards": selectors.scorecards(assembly),
            "institutions": Institution.objects.filter(assembly=assembly),
            "response_choices": ResponseStatus.choices,
            "implementation_choices": ImplementationStatus.choices,
            "headline_choices": list(charts.labels().items()),
            "follow_form": FollowForm(),
        },
    )


def _public_row(row: selectors.Row, build_url: Any, assembly: Assembly) -> dict[str, Any]:
    response = row.public_response
    latest = row.latest_milestone
    return {
        "number": row.recommendation.number,
        "title": row.recommendation.title,
        "url": build_url(reverse("recommendations:detail", args=[assembly.slug, row.recommendation.number])),
        "institution": response.institution.name if response and response.institution else "",
        "response_status": row.response_status,
        "response_date": response.responded_on.isoformat() if response and response.responded_on else "",
        "response_due": row.due_on.isoformat() if row.due_on else "",
        "overdue": row.overdue,
        "justification": response.justification if response else "",
        "source_url": response.source_url if response else "",
        "implementation_status": row.implementation_status,
        "headline": row.bucket,
        "latest_milestone": latest.title if latest else "",
        "latest_milestone_date": latest.date.isoformat() if latest else "",
        "evidence_url": latest.evidence_url if latest else "",
        "rating_average": row.rating_average,
        "rating_count": row.rating_count,
        "impact": [f"{tag.area}/{tag.kind}" for tag in row.tags],
        "milestones": [
            {
                "date": m.date.isoformat(),
                "title": m.title,
                "kind": m.kind,
                "status": m.status,
                "evidence_url": m.evidence_url,
                "enacted_text": m.enacted_text,
            }
            for m in row.milestones
        ],
    }


CSV_COLUMNS = [
    "number", "title", "url", "institution", "response_status", "response_date", "response_due", "overdue",
    "justification", "source_url", "implementation_status", "headline", "latest_milestone",
    "latest_milestone_date", "evidence_url", "rating_average", "rating_count", "impact",
]  # fmt: skip


@licensed_download
def tracker_csv(request: HttpRequest, slug: str) -> HttpResponse:
    assembly = tracker_assembly(slug)
    rows = selectors.tracker_rows(assembly, public=True, filters=_filters(request, assembly))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{assembly.slug}-tracker.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        data = _public_row(row, request.build_absolute_uri, assembly)
        data["impact"] = "; ".join(data["impact"])
        writer.writerow(safe_row(["" if data[c] is None else data[c] for c in CSV_COLUMNS]))
    return response


@licensed_download
def tracker_json(request: HttpRequest, slug: str) -> HttpResponse:
    assembly = tracker_assembly(slug)
    rows = selectors.tracker_rows(assembly, public=True, filters=_filters(request, assembly))
    body = {
        "assembly": assembly.slug,
        "licence": licence_of(assembly),
        "headline": selectors.headline(assembly).as_dict(),
        "scorecards": [card.as_dict() for card in selectors.scorecards(assembly)],
        "recommendations": [_public_row(row, request.build_absolute_uri, assembly) for row in rows],
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{assembly.slug}-tracker.json"'
    return response


def _change_text(change: Any) -> tuple[str, str]:
    recommendation = change.recommendation
    if change.field == "milestone":
        title = _("Recommendation %(number)s: %(milestone)s") % {
            "number": recommendation.number,
            "milestone": change.new,
        }
        return title, _("A new implementation step for “%(title)s”.") % {"title": recommendation.title}
    label = {"response_status": ResponseStatus, "implementation_status": ImplementationStatus}[change.field]
    try:
        old, new = str(label(change.old).label), str(label(change.new).label)
    except ValueError:
        old, new = change.old, change.new
    what = _("response") if change.field == "response_status" else _("implementation")
    title = _("Recommendation %(number)s: %(what)s now “%(new)s”") % {
        "number": recommendation.number,
        "what": what,
        "new": new,
    }
    description = _("“%(title)s”: %(what)s changed from “%(old)s” to “%(new)s”.") % {
        "title": recommendation.title,
        "what": what,
        "old": old,
        "new": new,
    }
    return title, description


def tracker_feed(request: HttpRequest, slug: str) -> HttpResponse:
    """An Atom feed of the public status changes, newest first."""
    assembly = tracker_assembly(slug)
    page = request.build_absolute_uri(reverse("advocacy:tracker", args=[slug]))
    feed = feedgenerator.Atom1Feed(
        title=_("%(assembly)s: what happened to the recommendations") % {"assembly": assembly.title},
        link=page,
        description=_("Responses and implementation of the assembly's recommendations."),
        language=get_language() or "en",
        feed_url=request.build_absolute_uri(),
        feed_guid=page,
    )
    for change in selectors.public_changes(assembly):
        title, description = _change_text(change)
        feed.add_item(
            title=title,
            link=f"{page}#recommendation-{change.recommendation.number}",
            description=description,
            unique_id=f"{page}#change-{change.pk}",
            unique_id_is_permalink=False,
            pubdate=change.recorded_at,
            updateddate=change.recorded_at,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response


# --- followers ----------------------------------------------------------------------------
@require_POST
def follow(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask to follow the assembly (or one recommendation): a confirmation email is sent."""
    assembly = tracker_assembly(slug)
    form = FollowForm(request.POST)
    target = reverse("advocacy:tracker", args=[slug])
    if over_rate_limit(request, "tracker-follow"):
        return render(request, "advocacy/tracking/follow_limited.html", {"assembly": assembly}, status=429)
    if not form.is_valid():
        messages.error(request, _("Give a valid email address to follow the recommendations."))
        return redirect(target)
    recommendation = None
    number = form.cleaned_data.get("recommendation")
    if number:
        recommendation = selectors.adopted(assembly).filter(number=number).first()
        if recommendation is None:
            raise Http404
    try:
        followers.follow_request(
            assembly=assembly,
            recommendation=recommendation,
            email=form.cleaned_data["email"],
            language=get_language() or "en",
            ip=client_ip(request),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(target)
    return render(
        request,
        "advocacy/tracking/follow_sent.html",
        {"assembly": assembly, "recommendation": recommendation},
    )


def follow_confirm(request: HttpRequest, token: str) -> HttpResponse:
    follower = followers.follow_confirm(token=token)
    if follower is None:
        return render(request, "advocacy/tracking/follow_invalid.html", status=404)
    return render(request, "advocacy/tracking/follow_confirmed.html", {"follower": follower})


@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the one button (mail scanners follow links); POST stops the emails."""
    follower = Follower.objects.select_related("assembly", "recommendation").filter(token=token).first()
    if follower is None:
        return render(request, "advocacy/tracking/follow_invalid.html", status=404)
    if request.method == "POST":
        followers.unsubscribe(follower=follower)
        return render(request, "advocacy/tracking/unsubscribed.html", {"follower": follower})
    return render(request, "advocacy/tracking/unsubscribe.html", {"follower": follower})


# --- the institutions' private entry ---------------------------------------------------------
@require_http_methods(["GET", "HEAD", "POST"])
def respond(request: HttpRequest, token: str) -> HttpResponse:
    link = (
        InstitutionLink.objects.select_related("response__recommendation__assembly", "response__institution")
        .filter(token=token)
        .first()
    )
    state = services.link_state(link)
    if state != "open" or link is None:
        return render(
            request, "advocacy/tracking/respond_closed.html", {"state": state}, status=410 if link else 404
        )
    response = link.response
    recommendation = response.recommendation
    form = InstitutionEntryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.institution_submit(token=token, data=form.cleaned_data)
        except ValidationError as error:
            for key, errors in error.message_dict.items() if hasattr(error, "error_dict") else []:
                form.add_error(key if key in form.fields else None, errors)
            if not hasattr(error, "error_dict"):
                form.add_error(None, error.messages)
        else:
            return render(
                request, "advocacy/tracking/respond_thanks.html", {"recommendation": recommendation}
            )
    return render(
        request,
        "advocacy/tracking/respond.html",
        {
            "form": form,
            "link": link,
            "recommendation": recommendation,
            "assembly": recommendation.assembly,
            "institution": response.institution,
            "text_html": _markdown(recommendation.text),
        },
    )


def _markdown(text: str) -> Any:
    from recommendations.drafting.markdown import render_markdown

    return render_markdown(text)


# --- members' ratings (portal) ----------------------------------------------------------------
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def portal_responses(request: HttpRequest, slug: str) -> HttpResponse:
    assembly, member = member_assembly(request, slug)
    if request.method == "POST":
        response = get_object_or_404(
            Response.objects.select_related("recommendation__assembly"),
            pk=str(request.POST.get("response", "0"))
            if str(request.POST.get("response", "")).isdigit()
            else 0,
            recommendation__assembly=assembly,
        )
        form = RatingForm(request.POST)
        if form.is_valid():
            try:
                services.rating_set(response=response, score=form.cleaned_data["score"], by=request.user)
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            else:
                messages.success(
                    request,
                    _("Thank you: your rating of the response to recommendation %(number)s is saved.")
                    % {"number": response.recommendation.number},
                )
        else:
            messages.error(request, _("Choose a score from 0 to 10."))
        return redirect(reverse("portal:advocacy_responses", args=[slug]) + f"#response-{response.pk}")
    rows = [
        row
        for row in selectors.tracker_rows(assembly, public=True)
        if row.public_response and row.response_status != ResponseStatus.NO_RESPONSE
    ]
    mine = selectors.my_ratings(member)
    return render(
        request,
        "advocacy/tracking/portal_responses.html",
        {
            "assembly": assembly,
            "rows": rows,
            "mine": mine,
            "scores": list(range(11)),
        },
    )
