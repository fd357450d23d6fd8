"""Organiser screens of members' voice and care: write, preview and send an
announcement; the list of those sent and their printed letters; members'
concerns; the code of conduct and safeguarding contacts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assemblies.registry import Route
from assemblies.rules import MANAGE_ASSEMBLY, SEE_PERSONAL_DATA
from assemblies.screens import AssemblyScreen, ObjectScreen
from reports.pdf import render_pdf

from ..models import Announcement, Audience, Concern, ConcernStatus
from ..rules import MANAGE_PROGRAMME
from . import selectors, services
from .forms import AnnouncementForm, CareForm, ConcernUpdateForm, language_name
from .letters import letters_html


def _form_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- announcements -----------------------------------------------------------------------
class AnnouncementListScreen(AssemblyScreen):
    permission = MANAGE_PROGRAMME
    template_name = "deliberation/voice/admin/announcement_list.html"

    def get_subtitle(self) -> Any:
        return gettext_lazy("Announcements")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return self.render(announcements=selectors.announcements_of(self.assembly))


class AnnouncementNewScreen(AssemblyScreen):
    """GET: an empty form. POST "preview": who it reaches and the text in each
    language, nothing sent. POST "send": send, then the announcement's page."""

    permission = MANAGE_PROGRAMME
    template_name = "deliberation/voice/admin/announcement_form.html"
    http_method_names = ["get", "head", "post"]

    def get_subtitle(self) -> Any:
        return gettext_lazy("New announcement")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return self.render(form=AnnouncementForm(assembly=self.assembly))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = AnnouncementForm(request.POST, assembly=self.assembly)
        if not form.is_valid():
            return self.render(form=form)
        data = form.cleaned_data
        table = form.table_object()
        if data["audience"] == Audience.TABLE and table is None:
            form.add_error("table", _("Choose a table of this assembly."))
            return self.render(form=form)
        audience = form.audience_value()
        group_key, group_id = form.group()
        if request.POST.get("action") != "send":
            members = selectors.audience_members(
                self.assembly,
                audience=audience,
                session=data.get("session"),
                table=table,
                group_key=group_key,
                group_id=group_id,
            )
            first = form.languages[0]
            previews = [
                (
                    language_name(code),
                    data.get(f"subject_{code}") or data[f"subject_{first}"],
                    data.get(f"body_{code}") or data[f"body_{first}"],
                )
                for code in form.languages
            ]
            return self.render(form=form, reach=selectors.reach(members), previews=previews)
        try:
            announcement = services.announcement_send(
                assembly=self.assembly,
                audience=audience,
                session=data.get("session"),
                table=table,
                group_key=group_key,
                group_id=group_id,
                subjects=form.subjects(),
                bodies=form.bodies(),
                by=request.user,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
            return self.render(form=form)
        messages.success(
            request,
            _("Sent: %(emails)s emails queued, %(letters)s letters to print.")
            % {"emails": announcement.emails, "letters": announcement.letters},
        )
        return HttpResponseRedirect(reverse("admin:deliberation_announcement_detail", args=[announcement.pk]))


class AnnouncementScreen(ObjectScreen):
    model = Announcement
    lookup_kwarg = "object_id"
    permission = MANAGE_PROGRAMME
    template_name = "deliberation/voice/admin/announcement_detail.html"
    select_related = ("session", "sent_by")

    def get_subtitle(self) -> Any:
        return self.object.subject

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        announcement = self.object
        versions = [
            (language_name(code), announcement.subject_in(code), announcement.body_in(code))
            for code in selectors.assembly_languages(self.assembly)
        ]
        return self.render(announcement=announcement, versions=versions)


class AnnouncementLettersScreen(AnnouncementScreen):
    """The printable letters: one page per member without an email address."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        html = letters_html(self.object)
        if html is None:
            messages.info(request, _("Everyone this announcement reached has an email address: no letters."))
            return HttpResponseRedirect(
                reverse("admin:deliberation_announcement_detail", args=[self.object.pk])
            )
        response = HttpResponse(render_pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="announcement-{self.object.pk}-letters.pdf"'
        return response


# --- concerns ----------------------------------------------------------------------------
class ConcernAccess:
    """Concerns are personal data: organisers who may see it and manage the assembly."""

    request: HttpRequest

    def authorise(self) -> None:
        user = self.request.user
        assembly = self.assembly  # type: ignore[attr-defined]
        if not (user.has_perm(MANAGE_ASSEMBLY, assembly) and user.has_perm(SEE_PERSONAL_DATA, assembly)):
            raise PermissionDenied


class ConcernListScreen(ConcernAccess, AssemblyScreen):
    permission = MANAGE_ASSEMBLY
    template_name = "deliberation/voice/admin/concern_list.html"

    def get_subtitle(self) -> Any:
        return gettext_lazy("Members' concerns")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        status = request.GET.get("status") or None
        return self.render(
            concerns=selectors.concerns_of(self.assembly, status),
            status=status,
            statuses=ConcernStatus.choices,
            care=selectors.care_of(self.assembly),
        )


class ConcernScreen(ConcernAccess, ObjectScreen):
    model = Concern
    lookup_kwarg = "object_id"
    permission = MANAGE_ASSEMBLY
    visible_with = SEE_PERSONAL_DATA
    select_related = ("member", "handled_by")
    template_name = "deliberation/voice/admin/concern_detail.html"
    http_method_names = ["get", "head", "post"]

    def get_subtitle(self) -> Any:
        return str(self.object)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        form = ConcernUpdateForm(initial={"status": self.object.status, "note": self.object.note})
        return self.render(concern=self.object, form=form)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ConcernUpdateForm(request.POST)
        if form.is_valid():
            try:
                services.concern_update(
                    concern=self.object,
                    status=form.cleaned_data["status"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Saved. The member sees the new status."))
                return HttpResponseRedirect(
                    reverse("admin:deliberation_concern_assembly", args=[self.assembly.pk])
                )
        return self.render(concern=self.object, form=form)


class CareScreen(AssemblyScreen):
    permission = MANAGE_ASSEMBLY
    template_name = "deliberation/voice/admin/care_form.html"
    http_method_names = ["get", "head", "post"]

    def get_subtitle(self) -> Any:
        return gettext_lazy("Code of conduct and safeguarding")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        care = selectors.care_of(self.assembly)
        initial = {
            "code_of_conduct": care.code_of_conduct,
            "safeguarding_contacts": care.safeguarding_contacts,
            **{f"code_of_conduct_{c}": t for c, t in (care.code_of_conduct_translations or {}).items()},
        }
        return self.render(form=CareForm(initial=initial, assembly=self.assembly))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = CareForm(request.POST, assembly=self.assembly)
        if not form.is_valid():
            return self.render(form=form)
        services.care_update(
            assembly=self.assembly,
            code_of_conduct=form.cleaned_data["code_of_conduct"],
            safeguarding_contacts=form.cleaned_data["safeguarding_contacts"],
            code_of_conduct_translations=form.translations(),
            by=request.user,
        )
        messages.success(request, _("Saved. Members see it when they raise a concern."))
        return HttpResponseRedirect(reverse("admin:deliberation_concern_assembly", args=[self.assembly.pk]))


ANNOUNCEMENT_ROUTES = [
    Route("assembly/<int:pk>/", AnnouncementListScreen, "deliberation_announcement_assembly"),
    Route("assembly/<int:pk>/new/", AnnouncementNewScreen, "deliberation_announcement_new"),
    Route("<int:object_id>/", AnnouncementScreen, "deliberation_announcement_detail"),
    Route("<int:object_id>/letters/", AnnouncementLettersScreen, "deliberation_announcement_letters"),
]
CONCERN_ROUTES = [
    Route("assembly/<int:pk>/", ConcernListScreen, "deliberation_concern_assembly"),
    Route("assembly/<int:pk>/care/", CareScreen, "deliberation_concern_care"),
    Route("<int:object_id>/", ConcernScreen, "deliberation_concern_detail"),
]
