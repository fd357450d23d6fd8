from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from assemblies.actors import SYSTEM
from recommendations.report import services
from reports.models import Document

from .helpers import reported_assembly


def render(assembly: Any, capture: Any, kind: str = "final", **kwargs: Any) -> list[Document]:
    """Make a report through the service; the job runs inline (on commit, eager Celery)."""
    with capture(execute=True):
        made = services.report_render(assembly=assembly, kind=kind, by=kwargs.pop("by", SYSTEM), **kwargs)
    return [Document.objects.get(pk=d.pk) for d in made]


def pdf_of(document: Document) -> PdfReader:
    with document.files.get(format="pdf").file.open("rb") as handle:
        return PdfReader(io.BytesIO(handle.read()))


@pytest.fixture
def final_report(assembly: Any, django_capture_on_commit_callbacks: Any) -> Document:
    reported_assembly(assembly, 12)
    return render(assembly, django_capture_on_commit_callbacks)[0]
