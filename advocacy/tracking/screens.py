"""Organiser screens of the tracker (under /admin/advocacy/response/): the
assembly's tracker, overdue responses, and one recommendation's page where the
response, milestones, notes and impact are recorded, private links are sent to
institutions and their entries reviewed. Every write goes through
``advocacy.tracking.services``."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assemblies.registry import Route
from assemblies.screens import AssemblyScreen, ObjectScreen
from recommendations.drafting.diff import word_diff
from recommendations.models import Recommendation
from recommendations.models.drafting import RecommendationStatus

from ..models import ImplementationStatus, InstitutionLink, Milestone, Response, StatusChange
from ..rules import MANAGE_ADVOCACY, VIEW_ADVOCACY
from . import selectors, services
from .forms import ImpactForm, LinkForm, MilestoneForm, NotesForm, ResponseForm

FIELD_LABELS = {
    "response_status": gettext_lazy("Response"),
    "response_date": gettext_lazy("Date of the response"),
    "response_due": gettext_lazy("Response due by"),
    "justification": gettext_lazy("Justification"),
    "source_url": gettext_lazy("Source document"),
    "institution": gettext_lazy("Institution"),
    "response_published": gettext_lazy("Shown in public"),
    "implementation_status": gettext_lazy("Implementation"),
    "milestone": gettext_lazy("Milestone"),
    "notes": gettext_lazy("Notes"),
}


class TrackerScreen(AssemblyScreen):
    permission = VIEW_ADVOCACY
    template_name = "advocacy/tracking/admin_tracker.html"
    opts_model = Response

    def get_subtitle(self) -> Any:
        return _("Responses and implementation")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        rows = selectors.tracker_rows(self.assembly, public=False)
        return self.render(
            rows=rows,
            headline=selectors.headline(self.assembly, public=False),
            public_headline=selectors.headline(self.assembly),
            overdue=[row for row in rows if row.overdue],
            pending=[row for row in rows if row.response is not None and row.response.pending],
            scorecards=selectors.scorecards(self.assembly),
            is_public=selectors.tracker_is_public(self.assembly),
            can_manage=self.may(MANAGE_ADVOCACY),
        )


class OverdueScreen(AssemblyScreen):
    permission = VIEW_ADVOCACY
    template_name = "advocacy/tracking/admin_overdue.html"
    opts_model = Response

    def get_subtitle(self) -> Any:
        return _("Overdue responses")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render(responses=list(selectors.overdue_responses(self.assembly)))


class RecommendationScreen(ObjectScreen):
    """One recommendation's tracker: GET shows it; POST ``action`` records
    (response, milestone, notes, impact, link, accept, discard)."""

    model = Recommendation
    permission = VIEW_ADVOCACY
    template_name = "advocacy/tracking/admin_recommendation.html"
    opts_model = Response
    http_method_names: ClassVar[list[str]] = ["get", "head", "post"]  # type: ignore[misc]

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().filter(status=RecommendationStatus.ADOPTED)

    def get_title(self) -> Any:
        return f"{self.object.number}. {self.object.title}"

    def get_subtitle(self) -> Any:
        return self.assembly.title

    def url(self) -> str:
        return reverse("admin:advocacy_response_recommendation", args=[self.object.pk])

    def forms(self, bound: str | None = None) -> dict[str, Any]:
        response = Response.objects.filter(recommendation=self.object).select_related("institution").first()
        initial: dict[str, Any] = {"is_published": True, "due_on": services.default_due_on(self.assembly)}
        if response is not None:
            initial = {
                "status": response.status,
                "institution": response.institution_id,
                "responded_on": response.responded_on,
                "due_on": response.due_on,
                "justification": response.justification,
                "source_url": response.source_url,
                "is_published": response.is_published,
            }
        tracking = getattr(self.object, "tracking", None)
        data = self.request.POST if self.request.method == "POST" else None
        return {
            "response": response,
            "response_form": ResponseForm(
                data if bound == "response" else None,
                initial=initial,
                assembly=self.assembly,
                prefix="response",
            ),
            "milestone_form": MilestoneForm(data if bound == "milestone" else None, prefix="milestone"),
            "notes_form": NotesForm(
                data if bound == "notes" else None,
                initial={"notes": tracking.notes if tracking else ""},
                prefix="notes",
            ),
            "impact_form": ImpactForm(
                data if bound == "impact" else None, recommendation=self.object, prefix="impact"
            ),
            "link_form": LinkForm(
                data if bound == "link" else None,
                initial={
                    "email": response.institution.contact_email if response and response.institution else ""
                },
                prefix="link",
            ),
        }

    def context(self, forms: dict[str, Any]) -> dict[str, Any]:
        recommendation = self.object
        milestones = list(Milestone.objects.filter(recommendation=recommendation).order_by("date", "id"))
        for milestone in milestones:
            if milestone.status == ImplementationStatus.IMPLEMENTED_WEAKER and milestone.enacted_text:
                milestone.diff = word_diff(recommendation.text, milestone.enacted_text)  # type: ignore[attr-defined]
        response = forms["response"]
        return {
            **forms,
            "recommendation": recommendation,
            "tracking": getattr(recommendation, "tracking", None),
            "milestones": milestones,
            "tags": list(recommendation.impact_tags.select_related("milestone")),
            "history": [
                (change, FIELD_LABELS.get(change.field, change.field))
                for change in StatusChange.objects.filter(recommendation=recommendation)
                .select_related("by")
                .order_by("-effective_on", "-recorded_at", "-id")
            ],
            "links": [
                (link, services.link_state(link))
                for link in InstitutionLink.objects.filter(response=response)
            ]
            if response
            else [],
            "pending": response.pending if response else {},
            "overdue": selectors.is_overdue(response),
            "ratings": response.ratings.count() if response else 0,
            "can_manage": self.may(MANAGE_ADVOCACY),
        }

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render(**self.context(self.forms()))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.may(MANAGE_ADVOCACY):
            raise PermissionDenied
        action = str(request.POST.get("action", ""))
        handlers = {
            "response": self.save_response,
            "milestone": self.save_milestone,
            "notes": self.save_notes,
            "impact": self.save_impact,
            "link": self.send_link,
            "accept": self.accept,
            "discard": self.discard,
        }
        if action not in handlers:
            messages.error(request, _("Unknown action."))
            return HttpResponseRedirect(self.url())
        forms = self.forms(bound=action)
        try:
            done = handlers[action](forms)
        except ValidationError as error:
            form = forms.get(f"{action}_form")
            if form is not None and hasattr(error, "error_dict"):
                for key, errors in error.message_dict.items():
                    form.add_error(key if key in form.fields else None, errors)
            else:
                messages.error(request, " ".join(error.messages))
            return self.render(**self.context(forms), status_code=400)
        if done is None:  # the form is invalid: show it again with its errors
            response = self.render(**self.context(forms))
            response.status_code = 400
            return response
        messages.success(request, str(done))
        return HttpResponseRedirect(self.url())

    def render(self, status_code: int = 200, **extra: Any) -> Any:
        response = super().render(**extra)
        response.status_code = status_code
        return response

    # --- actions (each returns the success message, or None for an invalid form) ----------
    def save_response(self, forms: dict[str, Any]) -> Any:
        form = forms["response_form"]
        if not form.is_valid():
            return None
        written = services.response_record(
            recommendation=self.object, data=form.cleaned_data, by=self.request.user
        )
        return _("The response is saved.") if written.changed else _("Nothing changed.")

    def save_milestone(self, forms: dict[str, Any]) -> Any:
        form = forms["milestone_form"]
        if not form.is_valid():
            return None
        services.milestone_add(recommendation=self.object, data=form.cleaned_data, by=self.request.user)
        return _("The milestone is added.")

    def save_notes(self, forms: dict[str, Any]) -> Any:
        form = forms["notes_form"]
        if not form.is_valid():
            return None
        services.tracking_update(
            recommendation=self.object, notes=form.cleaned_data["notes"], by=self.request.user, source="admin"
        )
        return _("The notes are saved.")

    def save_impact(self, forms: dict[str, Any]) -> Any:
        form = forms["impact_form"]
        if not form.is_valid():
            return None
        services.impact_tag_add(recommendation=self.object, by=self.request.user, **form.cleaned_data)
        return _("The impact is tagged.")

    def send_link(self, forms: dict[str, Any]) -> Any:
        form = forms["link_form"]
        if not form.is_valid():
            return None
        response = services.response_for(self.object)
        link = services.institution_link_create(
            response=response, email=form.cleaned_data["email"], by=self.request.user
        )
        return _("A private link was emailed to %(email)s; it works once, for %(days)s days.") % {
            "email": link.email,
            "days": services.LINK_DAYS,
        }

    def accept(self, forms: dict[str, Any]) -> Any:
        services.pending_accept(response=services.response_for(self.object), by=self.request.user)
        return _("The institution's response is published.")

    def discard(self, forms: dict[str, Any]) -> Any:
        services.pending_discard(response=services.response_for(self.object), by=self.request.user)
        return _("The institution's entry is discarded.")


ROUTES = [
    Route("assembly/<int:pk>/", TrackerScreen, "advocacy_response_assembly"),
    Route("assembly/<int:pk>/overdue/", OverdueScreen, "advocacy_response_overdue"),
    Route("recommendation/<int:pk>/", RecommendationScreen, "advocacy_response_recommendation"),
]
