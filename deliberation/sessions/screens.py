"""Organiser screens of the sessions part: move an agenda item up or down
(the buttons beside each item on its session's admin page)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from assemblies.registry import Route
from assemblies.screens import ActionMixin, ObjectScreen
from deliberation.models import AgendaItem
from deliberation.rules import MANAGE_PROGRAMME

from . import services


class MoveItemScreen(ActionMixin, ObjectScreen):
    model = AgendaItem
    assembly_field = "session__assembly"
    lookup_kwarg = "object_id"
    permission = MANAGE_PROGRAMME
    opts_model = AgendaItem
    direction = "up"

    def act(self) -> Any:
        services.agenda_move(item=self.object, direction=self.direction, by=self.request.user)
        return _("“%(title)s” moved.") % {"title": self.object.title}

    def redirect_url(self) -> str:
        return reverse("admin:deliberation_session_change", args=[self.object.session_id]) + "#items-group"


class MoveItemUpScreen(MoveItemScreen):
    direction = "up"


class MoveItemDownScreen(MoveItemScreen):
    direction = "down"


ROUTES = [
    Route("<int:object_id>/up/", MoveItemUpScreen, "deliberation_agendaitem_up"),
    Route("<int:object_id>/down/", MoveItemDownScreen, "deliberation_agendaitem_down"),
]
