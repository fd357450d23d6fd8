"""Members' pages (spokesperson opt-in, media requests to answer on a phone)
and the public pages (affiliates, signing and reporting, in the news) of the
people part. Public pages exist only for public assemblies after the report."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from advocacy.models import Affiliate, AffiliateStatus, MediaInvite, Sector, Tone
from advocacy.power.plugin import AFTER_THE_REPORT
from assemblies.access import member_assembly, public_assembly
from assemblies.models import Assembly
from lottery.rate_limits import over_rate_limit

from . import selectors, services
from .forms import AffiliateReportForm, AffiliateSignForm, AnswerForm, SpokespersonForm


def advocacy_public_assembly(slug: str) -> Assembly:
    """A public assembly after its report (published, follow-up, closed); 404 otherwise."""
    assembly = public_assembly(slug)
    if assembly.stage not in AFTER_THE_REPORT:
        raise Http404
    return assembly


def _form_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            field = {"media": "channels"}.get(field, field)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- portal: spokespeople ----------------------------------------------------------------
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def portal_spokesperson(request: HttpRequest, slug: str) -> HttpResponse:
    assembly, membership = member_assembly(request, slug)
    current = selectors.spokesperson_of(membership)
    initial = (
        {
            "is_available": current.is_available,
            "channels": current.media,
            "recommendations": current.recommendations.all(),
        }
        if current
        else {"is_available": True}
    )
    form = SpokespersonForm(request.POST or None, assembly=assembly, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.spokesperson_opt_in(
                member=membership,
                recommendations=data["recommendations"],
                media=data["channels"],
                is_available=data["is_available"],
                by=request.user,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Saved. The organisers can now ask you."))
            return HttpResponseRedirect(reverse("portal:advocacy_spokesperson", args=[assembly.slug]))
    return render(
        request,
        "advocacy/people/portal_spokesperson.html",
        {
            "assembly": assembly,
            "form": form,
            "spokesperson": current,
            "invites": selectors.member_invites(membership),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def portal_request(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    assembly, membership = member_assembly(request, slug)
    invite = get_object_or_404(
        MediaInvite.objects.select_related("request", "spokesperson__member__assembly"),
        request__pk=pk,
        request__assembly=assembly,
        spokesperson__member=membership,
    )
    form = AnswerForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            accept = form.cleaned_data["answer"] == "accept"
            services.invite_answer(invite=invite, accept=accept, by=request.user)
            messages.success(
                request,
                _("Thank you: you accepted. The organisers will be in touch.")
                if accept
                else _("Thank you: you declined. The organisers will ask someone else."),
            )
            return HttpResponseRedirect(reverse("portal:advocacy_request", args=[assembly.slug, pk]))
        messages.error(request, _("Choose accept or decline."))
    return render(
        request,
        "advocacy/people/portal_request.html",
        {
            "assembly": assembly,
            "invite": invite,
            "media_request": invite.request,
            "recommendations": invite.request.recommendations.order_by("number"),
        },
        status=400 if request.method == "POST" else 200,
    )


# --- public: affiliates ---------------------------------------------------------------------------
def affiliates(request: HttpRequest, slug: str) -> HttpResponse:
    assembly = advocacy_public_assembly(slug)
    rows = list(selectors.public_affiliates(assembly))
    sectors = [(label, [a for a in rows if a.sector == value]) for value, label in Sector.choices]
    return render(
        request,
        "advocacy/people/public_affiliates.html",
        {
            "assembly": assembly,
            "sectors": [(label, items) for label, items in sectors if items],
            "count": len(rows),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def affiliate_sign(request: HttpRequest, slug: str) -> HttpResponse:
    assembly = advocacy_public_assembly(slug)
    form = AffiliateSignForm(request.POST or None, assembly=assembly)
    if request.method == "POST" and over_rate_limit(request, "affiliate-sign"):
        form.add_error(None, _("Too many attempts from your connection. Wait a minute and try again."))
        return render(
            request, "advocacy/people/public_sign.html", {"assembly": assembly, "form": form}, status=429
        )
    if request.method == "POST" and form.is_valid():
        try:
            services.affiliate_sign(assembly=assembly, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            return render(request, "advocacy/people/public_sign_done.html", {"assembly": assembly})
    return render(
        request,
        "advocacy/people/public_sign.html",
        {"assembly": assembly, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def affiliate_confirm(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    assembly = advocacy_public_assembly(slug)
    affiliate = services.affiliate_confirm(assembly=assembly, token=token)
    if affiliate is None:
        raise Http404
    return render(
        request, "advocacy/people/public_confirmed.html", {"assembly": assembly, "affiliate": affiliate}
    )


@require_http_methods(["GET", "HEAD", "POST"])
def affiliate_report(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    assembly = advocacy_public_assembly(slug)
    affiliate = get_object_or_404(
        Affiliate, assembly=assembly, report_token=token, status=AffiliateStatus.CONFIRMED
    )
    form = AffiliateReportForm(request.POST or None)
    done = False
    if request.method == "POST" and over_rate_limit(request, "affiliate-report"):
        form.add_error(None, _("Too many attempts from your connection. Wait a minute and try again."))
        context = {"assembly": assembly, "affiliate": affiliate, "form": form, "done": False}
        return render(request, "advocacy/people/public_report.html", context, status=429)
    if request.method == "POST" and form.is_valid():
        try:
            services.affiliate_report(affiliate=affiliate, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            done = True
            form = AffiliateReportForm()
    return render(
        request,
        "advocacy/people/public_report.html",
        {"assembly": assembly, "affiliate": affiliate, "form": form, "done": done},
        status=400 if request.method == "POST" and not done else 200,
    )


# --- public: in the news ------------------------------------------------------------------------
def news(request: HttpRequest, slug: str) -> HttpResponse:
    assembly = advocacy_public_assembly(slug)
    return render(
        request,
        "advocacy/people/public_news.html",
        {
            "assembly": assembly,
            "items": selectors.public_news(assembly),
            "summary": selectors.news_summary(assembly),
            "tones": Tone,
        },
    )
