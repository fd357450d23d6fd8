"""A confirmation step for organiser actions that cannot be taken back.

``ConfirmActionMixin`` goes where ``ActionMixin`` would: GET shows what will
happen (who is emailed and how many, what cannot be undone) with one button;
the POST does the work only when it carries ``confirmed=yes`` (and, where the
screen asks for one, the explicit tick). A POST without it, e.g. from an old
one-click form, lands on the confirmation page instead of acting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from .screens import ActionMixin


@dataclass
class Confirmation:
    """What the confirmation page says."""

    question: Any  # "Move to “Closed”?"
    consequences: list[Any] = field(default_factory=list)  # what will happen, in plain words
    warnings: list[Any] = field(default_factory=list)  # shown as an alert (e.g. seats unconfirmed)
    final: Any = ""  # what cannot be undone
    button: Any = ""  # the button's label (default: "Yes, go ahead")
    tick: Any = ""  # when set, the POST needs this box ticked
    hidden: dict[str, str] = field(default_factory=dict)  # fields the action needs (e.g. "to")
    refusals: list[Any] = field(default_factory=list)  # when set, no button: it cannot be done now


class ConfirmActionMixin(ActionMixin):
    """GET: the confirmation page; POST: act, only when confirmed."""

    http_method_names: Sequence[str] = ["get", "head", "post"]
    confirm_template: ClassVar[str] = "admin/confirm_action.html"

    def confirmation(self) -> Confirmation:
        raise NotImplementedError

    def needs_confirmation(self) -> bool:
        """False when this particular use is harmless (e.g. the first letters)."""
        return True

    def confirmation_url(self) -> str:
        """Where a POST that was not confirmed is sent (the GET of this screen)."""
        return self.request.path

    def cancel_url(self) -> str:
        return self.redirect_url()  # type: ignore[attr-defined]

    def render_confirmation(self, *, error: str = "", status: int = 200) -> TemplateResponse:
        confirmation = self.confirmation()
        context = self.get_context_data(  # type: ignore[attr-defined]
            confirmation=confirmation, cancel_url=self.cancel_url(), error=error, action_url=self.request.path
        )
        return TemplateResponse(self.request, self.confirm_template, context, status=status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_confirmation()

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.needs_confirmation():
            if request.POST.get("confirmed") != "yes":
                return HttpResponseRedirect(self.confirmation_url())
            tick = self.confirmation().tick
            if tick and request.POST.get("understood") != "yes":
                error = str(_("Tick the box to confirm, or cancel."))
                return self.render_confirmation(error=error, status=400)
        return super().post(request, *args, **kwargs)
