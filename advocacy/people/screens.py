"""Organisers' screen of the people part: send a media request or a speaking
invitation to chosen spokespeople, and see their answers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from advocacy.models import MediaRequest
from advocacy.rules import MANAGE_ADVOCACY
from assemblies.registry import Route
from assemblies.rules import SEE_PERSONAL_DATA
from assemblies.screens import AssemblyScreen

from . import selectors, services
from .forms import MediaRequestForm


class MediaRequestsScreen(AssemblyScreen):
    # The spokespeople and their answers are named members: personal data.
    permission = SEE_PERSONAL_DATA
    template_name = "advocacy/people/admin/requests.html"
    opts_model = MediaRequest
    http_method_names = ["get", "head", "post"]

    def get_subtitle(self) -> Any:
        return gettext_lazy("Media requests and speaking invitations")

    def _page(self, form: MediaRequestForm, status: int = 200) -> HttpResponse:
        response = self.render(
            form=form,
            requests=selectors.organiser_requests(self.assembly),
            spokespeople=selectors.available_spokespeople(self.assembly),
            can_manage=self.may(MANAGE_ADVOCACY),
        )
        response.status_code = status
        return response

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._page(MediaRequestForm(assembly=self.assembly))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.may(MANAGE_ADVOCACY):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        form = MediaRequestForm(request.POST, assembly=self.assembly)
        if form.is_valid():
            try:
                services.media_request_send(assembly=self.assembly, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items() if hasattr(exc, "error_dict") else []:
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Sent. Each spokesperson finds it in their portal and by email."))
                return HttpResponseRedirect(
                    reverse("admin:advocacy_mediarequest_send", args=[self.assembly.pk])
                )
        return self._page(form, status=400)


ROUTES = [Route("assembly/<int:pk>/send/", MediaRequestsScreen, "advocacy_mediarequest_send")]
