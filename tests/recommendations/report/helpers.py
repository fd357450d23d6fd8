"""A published assembly with adopted recommendations and closed ballots
(frozen counts, as a ballot's close leaves them), sessions and a speaker."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from assemblies.models import Stage
from deliberation.models import SessionStatus
from recommendations.models import Ballot, BallotStatus, MinorityStatement, Recommendation, Threshold
from tests.factories import AgendaItemFactory, SessionFactory, SpeakerFactory


def close_ballot(rec: Recommendation, yes: int, no: int, abstain: int = 0, *, days_ago: int = 10) -> Ballot:
    closed = timezone.now() - dt.timedelta(days=days_ago)
    total = yes + no + abstain
    return Ballot.objects.create(
        assembly=rec.assembly, recommendation=rec, question=f"Do you adopt {rec.number}?",
        threshold=Threshold.TWO_THIRDS, opens_at=closed - dt.timedelta(hours=1), closes_at=closed,
        status=BallotStatus.CLOSED, closed_at=closed, secret=None,
        results={"counts": {"yes": yes, "no": no, "abstain": abstain}, "votes": total, "assisted": 0,
                 "turnout": total, "electorate": 50},
    )  # fmt: skip


def reported_assembly(assembly: Any, n: int = 3, *, publish: bool = True) -> list[Recommendation]:
    """``n`` adopted recommendations (number i: 40 - i yes, i no), two held sessions."""
    recs = []
    for i in range(1, n + 1):
        rec = Recommendation.objects.create(
            assembly=assembly, number=i, status="adopted", title=f"Recommendation title {i}",
            text=f"The council should do thing {i}.\n\nA second paragraph for {i}.",
            rationale=f"Members heard evidence {i}.", addressee="Riverside Council",
        )  # fmt: skip
        close_ballot(rec, 40 - i, i, 1, days_ago=10 + n - i)
        recs.append(rec)
    MinorityStatement.objects.create(
        recommendation=recs[0], text="We disagree: too slow.", signed_as="Two members"
    )
    speaker = SpeakerFactory(assembly=assembly, name="Dr Ada Speaker", is_public=True)
    for day in (30, 20):
        session = SessionFactory(
            assembly=assembly, is_public=True, status=SessionStatus.HELD, title=f"Weekend {day}",
            starts_at=timezone.now() - dt.timedelta(days=day),
            ends_at=timezone.now() - dt.timedelta(days=day) + dt.timedelta(hours=6),
        )  # fmt: skip
        AgendaItemFactory(session=session, title=f"Talk on day {day}").speakers.add(speaker)
    if publish:
        assembly.stage = Stage.PUBLISHED
        assembly.is_public = True
        assembly.save(update_fields=["stage", "is_public"])
    return recs


def stored_document(
    assembly: Any, *, version: int = 1, status: str = "draft", kind: str = "final", language: str = "en"
) -> Any:
    """A rendered version without WeasyPrint: small stand-in bytes in each format."""
    from reports.models import Document
    from reports.services import document_name, store_file

    document = Document.objects.create(
        assembly=assembly, kind=kind, language=language, version=version,
        name=document_name(kind, language, version), title=f"Report v{version}", pages=1,
        rendered_at=timezone.now(), status=status,
        published_at=timezone.now() if status == "published" else None,
    )  # fmt: skip
    store_file(document, "pdf", b"%PDF-1.7 stand-in " + str(version).encode())
    store_file(document, "json", b'{"report": {"version": %d}}' % version)
    store_file(document, "csv", b"number,title\r\n1,One\r\n")
    return document
