"""What the public may read: adopted recommendations of published assemblies,
in the visitor's language, with their (aggregate) results. Nothing else ever
leaves through these functions: no drafts, no per-voter data, no authors."""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from assemblies.models import Assembly, Stage
from assemblies.translations import translated
from deliberation.models import Topic

from ..ballots.selectors import (
    RESULT_FIELDS,
    SUPPORT_LEVELS,
    BallotResult,
    assembly_summary,
    ballot_result,
    closed_ballots_prefetch,
    recommendation_result,
)
from ..models import (
    AmendmentState,
    Ballot,
    BallotStatus,
    MinorityStatement,
    PriorityRound,
    Recommendation,
    RecommendationStatus,
)
from . import extensions

PUBLISHED_STAGES = (Stage.PUBLISHED, Stage.FOLLOW_UP, Stage.CLOSED)
PAGE_SIZE = 50


def published_assemblies() -> QuerySet[Assembly]:
    return Assembly.objects.filter(is_public=True, stage__in=PUBLISHED_STAGES)


def is_published(assembly: Assembly) -> bool:
    """``published_assemblies()``'s rule, on an assembly already read."""
    return assembly.is_public and assembly.stage in PUBLISHED_STAGES


def published_assembly(slug: str) -> Assembly:
    """The assembly whose recommendations are public, else 404."""
    try:  # the slug is unique: get() (no ordering to compile, as first() would)
        assembly = Assembly.objects.select_related("organisation").get(slug=slug)
    except Assembly.DoesNotExist:
        raise Http404 from None
    # The rule checked on the row: two filters less to build.
    if not is_published(assembly):
        raise Http404
    return assembly


def render_text(text: str) -> SafeString:
    """Safe Markdown (drafting's renderer), memoised by text: the same text
    always renders to the same HTML, and a page renders three texts."""
    return _rendered(text or "")


@functools.lru_cache(maxsize=1024)
def _rendered(text: str) -> SafeString:
    from ..drafting.markdown import render_markdown

    return render_markdown(text)


def local_title(recommendation: Recommendation, language: str | None = None) -> str:
    return translated(recommendation.title, recommendation.title_translations, language)


def local_text(recommendation: Recommendation, language: str | None = None) -> str:
    return translated(recommendation.text, recommendation.text_translations, language)


def adopted(
    assembly: Assembly, *, with_ballots: bool = True, related: bool = True
) -> QuerySet[Recommendation]:
    """The published recommendations of a published assembly (any other: none),
    with their topics and (``with_ballots``) their closed ballots prefetched,
    unless not ``related`` (one recommendation reads them itself)."""
    if not is_published(assembly):
        return Recommendation.objects.none()
    found = Recommendation.objects.filter(assembly=assembly, status=RecommendationStatus.ADOPTED)
    if related:
        topics = Prefetch("topics", queryset=Topic.objects.order_by("position", "id"))
        found = found.prefetch_related(*([closed_ballots_prefetch()] if with_ballots else []), topics)
    return found.order_by("number")


@dataclass(frozen=True)
class Filters:
    q: str = ""
    topic: int | None = None
    addressee: str = ""
    support: str = ""

    @classmethod
    def from_query(cls, params: Any) -> Filters:
        topic = params.get("topic", "")
        support = params.get("support", "")
        return cls(
            q=params.get("q", "").strip()[:200],
            topic=int(topic) if topic.isdigit() else None,
            addressee=params.get("addressee", "").strip()[:300],
            support=support if support in SUPPORT_LEVELS else "",
        )

    @property
    def active(self) -> bool:
        return bool(self.q or self.topic or self.addressee or self.support)


@dataclass(frozen=True)
class PublicItem:
    recommendation: Recommendation
    title: str
    text: str
    result: BallotResult | None


def published_items(assembly: Assembly, ballots: dict[int, list[Ballot]] | None = None) -> list[PublicItem]:
    """Every published recommendation of the assembly, in the visitor's
    language, with its result; ``ballots``: the assembly's ``deciding_ballots``
    when the caller has read them (for its summary)."""
    found = list(adopted(assembly, with_ballots=ballots is None))
    if ballots is not None:
        for r in found:
            r.closed_ballots = ballots.get(r.pk, [])  # type: ignore[attr-defined]
    return [PublicItem(r, local_title(r), local_text(r), recommendation_result(r)) for r in found]


def matching(items: list[PublicItem], filters: Filters) -> list[PublicItem]:
    """The items that match the visitor's search, in their order. Every word
    (eight at most) must appear, whatever its case and accents, in the title, text,
    rationale or addressee, in any language; topic and addressee are exact.
    Done here rather than in SQL: one meaning of "contains" on every database
    (SQLite's LIKE ignores case for ASCII letters only), and a search is
    answered from the list the page keeps under the assembly's version."""
    words = [_folded(word) for word in filters.q.split()[:8]]
    found = []
    for item in items:
        rec = item.recommendation
        if filters.topic and not any(t.pk == filters.topic for t in rec.topics.all()):
            continue
        if filters.addressee and rec.addressee != filters.addressee:
            continue
        if filters.support and (
            item.result is None or item.result.share < SUPPORT_LEVELS[filters.support] - 1e-9
        ):
            continue
        if words:
            haystack = _searchable(rec)
            if not all(word in haystack for word in words):
                continue
        found.append(item)
    return found


def _searchable(rec: Recommendation) -> str:
    texts = [rec.title, rec.text, rec.rationale, rec.addressee]
    for translations in (rec.title_translations, rec.text_translations):
        texts.extend(str(value) for value in (translations or {}).values())
    return _folded("\n".join(texts))


def _folded(text: str) -> str:
    """Case and accents set aside: "RÉGIONAL" finds "regional" and "régional"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def filter_options(assembly: Assembly, items: list[PublicItem]) -> dict[str, Any]:
    """The filters' choices, from every published recommendation (``items``, as
    ``published_items`` returns them: their topics are prefetched)."""
    found = {
        t.pk: t for item in items for t in item.recommendation.topics.all() if t.assembly_id == assembly.pk
    }
    topics = sorted(found.values(), key=lambda t: (t.position, t.pk))
    addressees = {item.recommendation.addressee for item in items} - {""}
    return {
        "topics": [(t.pk, translated(t.name, t.name_translations)) for t in topics],
        # Sorted here: one order, whatever the database's collation.
        "addressees": sorted(addressees),
        "support_levels": [
            (key, _("%(percent)s %% or more in favour") % {"percent": key}) for key in SUPPORT_LEVELS
        ],
    }


def recommendation_detail(assembly: Assembly, number: int) -> dict[str, Any]:
    try:  # get(): no ordering to compile (the number is unique in the assembly)
        # With the rows the apps' sections below read (extensions.detail_related).
        recommendation = (
            adopted(assembly, related=False).select_related(*extensions.detail_related).get(number=number)
        )
    except Recommendation.DoesNotExist:
        raise Http404 from None
    # Its accepted amendments, then the closed ballots on its text and on them
    # in one query, instead of a prefetch per relation (their machinery cost 1 ms a page).
    accepted = list(recommendation.amendments.filter(state=AmendmentState.ACCEPTED))
    closed = list(
        Ballot.objects.filter(
            Q(recommendation=recommendation, amendment__isnull=True)
            | Q(amendment__in=[a.pk for a in accepted]),
            status=BallotStatus.CLOSED,
        )
        .only(*RESULT_FIELDS, "amendment_id")
        .order_by("closed_at", "id")  # deciding_ballot's order: the latest decides
    )
    recommendation.closed_ballots = [b for b in closed if b.amendment_id is None]  # type: ignore[attr-defined]
    result = recommendation_result(recommendation)
    amendments = []
    for amendment in accepted:
        votes = [b for b in closed if b.amendment_id == amendment.pk]
        # Who proposed it is a member's name: not published.
        amendments.append({"amendment": amendment, "result": ballot_result(votes[-1]) if votes else None})
    # What the page shows of each (``_body.html``), no more: the rows are built and kept as they are read.
    evidence = (
        recommendation.evidence.filter(is_published=True).only("title", "url", "summary").order_by("title")
    )
    statements = MinorityStatement.objects.filter(
        recommendation=recommendation, withdrawn_at__isnull=True
    ).only("text", "signed_as")
    priority = None
    round_ = (
        PriorityRound.objects.filter(assembly=assembly, status=BallotStatus.CLOSED)
        .only("results")
        .order_by("-closed_at")
        .first()
    )
    if round_ is not None:
        points = {int(k): int(v) for k, v in round_.results.get("points", {}).items()}
        if recommendation.pk in points:
            ranking = sorted(points, key=lambda pk: -points[pk])
            priority = {
                "rank": ranking.index(recommendation.pk) + 1,
                "of": len(ranking),
                "points": points[recommendation.pk],
            }
    return {
        "recommendation": recommendation,
        "title": local_title(recommendation),
        "text_html": render_text(local_text(recommendation)),
        "rationale_html": render_text(recommendation.rationale) if recommendation.rationale else "",
        "impact_html": render_text(recommendation.impact) if recommendation.impact else "",
        "result": result,
        "amendments": amendments,
        "evidence": list(evidence),
        "statements": list(statements),
        "priority": priority,
        "topics": [
            translated(t.name, t.name_translations) for t in recommendation.topics.order_by("position", "id")
        ],
    }


def public_rows(assembly: Assembly, build_url: Any) -> list[dict[str, Any]]:
    """The API's and the downloads' rows (``build_url(path)`` makes it absolute)."""
    from django.urls import reverse

    from .extensions import extra_fields

    rows = []
    items = published_items(assembly)
    extra = extra_fields(assembly, [item.recommendation for item in items])
    for item in items:
        rec = item.recommendation
        rows.append(
            {
                "assembly": assembly.slug,
                "number": rec.number,
                "title": item.title,
                "text": item.text,
                "addressee": rec.addressee,
                "level": rec.level,
                "topics": [t.name for t in rec.topics.all()],
                "url": build_url(reverse("recommendations:detail", args=[assembly.slug, rec.number])),
                "result": item.result.as_dict() if item.result is not None else None,
                **extra.get(rec.pk, {}),
            }
        )
    return rows


def public_section(assembly: Assembly) -> Any:
    """The "Recommendations" section on the assembly's public page."""
    from django.urls import reverse

    from assemblies.registry import Figure, Section

    if not is_published(assembly):
        return None
    summary = assembly_summary(assembly)
    if not summary.adopted:
        return None
    return Section(
        key="recommendations",
        title=_("Recommendations"),
        figures=[
            Figure(_("Adopted"), f"{summary.adopted} / {summary.decided}"),
            Figure(_("With 80 % or more in favour"), summary.above.get("80", 0)),
        ],
        links=[(_("Read the recommendations"), reverse("recommendations:list", args=[assembly.slug]))],
    )
