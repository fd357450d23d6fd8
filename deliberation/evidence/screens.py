"""Organisers' screens of the speakers-and-evidence part: the programme's
balance per topic, and evidence files downloaded from the admin (mounted
under /admin/deliberation/… by ``deliberation.evidence.plugin``)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assemblies.registry import Route
from assemblies.screens import AssemblyScreen, ObjectScreen
from deliberation.models import Evidence, Speaker
from deliberation.rules import MANAGE_PROGRAMME, VIEW_PROGRAMME
from reports.files import serve_file

from . import selectors


class BalanceScreen(AssemblyScreen):
    """Per topic: which positions have been heard and which are scheduled,
    with a warning where only one side is heard."""

    permission = VIEW_PROGRAMME
    template_name = "deliberation/evidence/admin/balance.html"
    opts_model = Speaker

    def get_subtitle(self) -> Any:
        return _("Speakers and balance")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        topics = selectors.balance(self.assembly, now=timezone.now())
        return self.render(
            topics=topics,
            warnings=[t.warning for t in topics if t.warning],
            can_manage=self.may(MANAGE_PROGRAMME),
        )


class EvidenceFileScreen(ObjectScreen):
    """The stored file of an evidence item, for organisers (through the one file layer)."""

    permission = VIEW_PROGRAMME
    model = Evidence

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        evidence: Evidence = self.object
        if not evidence.file:
            raise Http404
        return serve_file(evidence.file, download_name=evidence.file_name, content_type=evidence.content_type)


BALANCE_ROUTES = [Route("assembly/<int:pk>/balance/", BalanceScreen, "deliberation_speaker_balance")]
EVIDENCE_ROUTES = [Route("<int:pk>/file/", EvidenceFileScreen, "deliberation_evidence_file")]
