"""Reports' part of the demo (``seed_reports``, called from ``recommendations.demo.load``):
Riverside Housing Assembly's final report in two versions, the second
published with its data files; the first stays a draft, as an organiser's
earlier try that was never published.

Idempotent and fast on the next load: each version is rendered once (the job
runs inline without a worker); a later load finds them and does nothing.
"""

from __future__ import annotations

from django.db import transaction

from assemblies.actors import SYSTEM
from assemblies.models import Assembly
from reports.models import Document, DocumentKind, DocumentStatus

from . import services
from .tasks import report_render_run


def _render(assembly: Assembly) -> list[Document]:
    with transaction.atomic():
        made = services.report_render(assembly=assembly, kind=DocumentKind.FINAL, by=SYSTEM)
    for document in made:  # already run on commit when tasks are eager; else run here
        report_render_run(document_id=document.pk)
    return [Document.objects.get(pk=d.pk) for d in made]


def seed_reports(assembly: Assembly) -> list[Document]:
    finals = Document.objects.filter(assembly=assembly, kind=DocumentKind.FINAL)
    rendered = finals.filter(rendered_at__isnull=False).values("version").distinct().count()
    for _ in range(max(0, 2 - rendered)):
        _render(assembly)
    second = [d for d in finals.filter(version=2) if d.status == DocumentStatus.DRAFT and d.is_rendered]
    for document in second:
        services.report_publish(document=document, by=SYSTEM)
    return list(finals.filter(status=DocumentStatus.PUBLISHED))
