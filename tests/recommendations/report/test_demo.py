"""The demo's reports: Riverside Housing Assembly's final report in two
versions, the second published (at least 8 pages: its lottery, its four
sessions, its twelve recommendations with results), with its data files."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from assemblies.demo import seed_demo
from recommendations.demo import RIVERSIDE_SLUG, load
from reports.models import Document, DocumentFile

from .conftest import pdf_of

pytestmark = pytest.mark.django_db


def test_riverside_publishes_its_final_report(client: Any, django_capture_on_commit_callbacks: Any) -> None:
    from deliberation.demo import load as load_deliberation
    from lottery.demo import _seed_riverside

    with django_capture_on_commit_callbacks(execute=True):
        seed_demo()
        _seed_riverside()  # the lottery's part, for Riverside only (the rest is slow)
        load_deliberation()
        load()
        load()  # idempotent: nothing rendered again

    documents = Document.objects.filter(assembly__slug=RIVERSIDE_SLUG).order_by("version")
    assert [(d.version, d.status) for d in documents] == [(1, "draft"), (2, "published")]
    published = documents[1]
    assert published.pages >= 8 and DocumentFile.objects.filter(document=published).count() == 3
    text = "\n".join(" ".join(p.extract_text().split()) for p in pdf_of(published).pages)
    assert "SHA-256" in text and "seats were filled by a civic lottery" in text
    data = json.loads(published.files.get(format="json").file.open("rb").read())
    assert len(data["sessions"]) == 4
    # Data files carry numbers, never a share formatted for one language ("9,09 %").
    lowest = data["selection"]["lowest_chance"]
    assert isinstance(lowest, float) and 0 < lowest <= 1
    assert "12. Regional housing compact" in text and "Cap yearly rent rises" in text
    html = client.get(reverse("recommendations:reports", args=[RIVERSIDE_SLUG])).content.decode()
    assert "final-report-en-v2.pdf" in html and "final-report-en-v1" not in html
