"""Who may take a vacant seat (reads for the replacement rule).

The rule, published on the assembly's selection page: a vacant seat goes to
the first reserve, in the published reserve order, whose answers keep every
quota satisfied; only when no reserve fits does a replacement draw (a new
lottery with everyone still on the panel seated) fill it.

"Keeps every quota satisfied" with ``v`` seats vacant: once the reserve is
seated, no feature is over its maximum and, in every category, the ``v - 1``
seats still vacant can make up what the minimums still miss. With one seat
vacant that is exactly "the panel meets every quota".

What happened to each vacancy is kept in the audit log
(``lottery.reserve_called``, ``lottery.no_reserve_fits``) with pseudonyms and
the reason each skipped reserve did not fit, and read back here for the
selection screen and the public page.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from assemblies.models import Assembly, AuditEvent
from lottery.models import Feature, Respondent, RespondentStatus, SelectionRun

from .problem import ON_PANEL, pool_of, quotas_of
from .selectors import vacant_seats

#: Audit actions that record a vacancy's outcome.
CALLED = "lottery.reserve_called"
NO_FIT = "lottery.no_reserve_fits"


@dataclass(frozen=True)
class Misfit:
    """Why a reserve does not fit, as data (rendered in the reader's language)."""

    why: str  # "household", "max", "min" or "answers"
    category: str = ""
    feature: str = ""
    seats: int = 0
    limit: int = 0

    def as_data(self) -> dict[str, Any]:
        return {"why": self.why, "category": self.category, "feature": self.feature,
                "seats": self.seats, "limit": self.limit}  # fmt: skip


@dataclass(frozen=True)
class ReserveCheck:
    respondent: Respondent
    position: int
    misfit: Misfit | None = None

    @property
    def fits(self) -> bool:
        return self.misfit is None


def explain(misfit: dict[str, Any] | Misfit | None, labels: dict[tuple[str, str], str]) -> str:
    """A misfit in plain words, e.g. "Gender: Female would have 6 seats (at most 5)"."""
    if misfit is None:
        return ""
    data = misfit.as_data() if isinstance(misfit, Misfit) else misfit
    name = labels.get((data.get("category", ""), data.get("feature", "")), data.get("feature", ""))
    if data.get("why") == "no_seat":
        return _("no seat is vacant")
    if data.get("why") == "household":
        return _("shares a household with someone on the panel")
    if data.get("why") == "answers":
        return _("did not answer every question the quotas need")
    if data.get("why") == "max":
        return ngettext(
            "%(group)s would have %(n)s seat (at most %(limit)s)",
            "%(group)s would have %(n)s seats (at most %(limit)s)",
            int(data.get("seats") or 0),
        ) % {
            "group": name,
            "n": data.get("seats"),
            "limit": data.get("limit"),
        }
    return ngettext(
        "%(group)s would have %(n)s seat (at least %(limit)s needed)",
        "%(group)s would have %(n)s seats (at least %(limit)s needed)",
        int(data.get("seats") or 0),
    ) % {
        "group": name,
        "n": data.get("seats"),
        "limit": data.get("limit"),
    }


def feature_labels(assembly: Assembly, features: list[Feature] | None = None) -> dict[tuple[str, str], str]:
    """(category name, feature value) → "Category: Feature" in the current
    language; ``features``: the assembly's, when already read."""
    language = get_language()
    if features is None:
        features = list(Feature.objects.filter(assembly=assembly).select_related("category"))
    return {
        (f.category.name, f.value): f"{f.category.label_in(language) or f.category.name}: "
        f"{f.label_in(language)}"
        for f in features
    }


def reserve_checks(
    assembly: Assembly, *, vacant: int | None = None, leaving: Respondent | None = None
) -> list[ReserveCheck]:
    """Every reserve in reserve order, and whether seating them now keeps
    every quota satisfied (see the module's docstring). ``leaving`` previews
    a drop-out not recorded yet: they count as gone (pass ``vacant`` with it)."""
    vacant = vacant_seats(assembly) if vacant is None else vacant
    reserves = list(
        Respondent.objects.filter(assembly=assembly, status=RespondentStatus.RESERVE).order_by(
            "reserve_position", "pk"
        )
    )
    if vacant < 1 or not reserves:
        return [ReserveCheck(r, r.reserve_position or 0, Misfit("no_seat")) for r in reserves]
    people = {p.id: p for p in pool_of(assembly, (*ON_PANEL, RespondentStatus.RESERVE))[0]}
    on_panel = Respondent.objects.filter(assembly=assembly, status__in=ON_PANEL)
    if leaving is not None:
        on_panel = on_panel.exclude(pk=leaving.pk)
    seats: Counter[tuple[str, str]] = Counter()
    homes = set()
    for pseudonym in on_panel.values_list("pseudonym", flat=True):
        person = people.get(pseudonym)
        if person is not None:
            seats.update(person.features.items())
            if person.household:
                homes.add(person.household)
    quotas = quotas_of(assembly)
    checks = []
    for reserve in reserves:
        person = people.get(reserve.pseudonym)
        if person is None:
            misfit: Misfit | None = Misfit("answers")
        elif person.household and person.household in homes:
            misfit = Misfit("household")
        else:
            misfit = _misfit(seats + Counter(person.features.items()), quotas, vacant - 1)
        checks.append(ReserveCheck(reserve, reserve.reserve_position or 0, misfit))
    return checks


def _misfit(seats: Counter[tuple[str, str]], quotas: list[Any], left: int) -> Misfit | None:
    """The first quota the panel ``seats`` breaks with ``left`` seats still to fill."""
    missing: Counter[str] = Counter()
    short: dict[str, Any] = {}
    for q in quotas:
        n = seats[(q.category, q.feature)]
        if n > q.max:
            return Misfit("max", q.category, q.feature, n, q.max)
        if n < q.min:
            missing[q.category] += q.min - n
            short.setdefault(q.category, q)
    for category, gap in missing.items():
        if gap > left:
            q = short[category]
            return Misfit("min", q.category, q.feature, seats[(q.category, q.feature)], q.min)
    return None


def first_fitting_reserve(assembly: Assembly) -> tuple[ReserveCheck | None, list[ReserveCheck]]:
    """The reserve who gets the next vacant seat, and the reserves skipped before them."""
    skipped: list[ReserveCheck] = []
    for check in reserve_checks(assembly):
        if check.fits:
            return check, skipped
        skipped.append(check)
    return None, skipped


# --- what happened to each vacancy --------------------------------------------------
@dataclass
class Vacancy:
    """A seat left by someone who declined or dropped out, and how it was filled."""

    left: Respondent | None  # None on public pages: who left is not published
    when: Any
    outcome: str  # "reserve", "draw", "open"
    reserve: str = ""  # pseudonym of the reserve who was offered the seat
    position: int | None = None
    skipped: list[tuple[int, str, str]] = field(default_factory=list)  # (position, pseudonym, reason)
    run: SelectionRun | None = None


def vacancies(
    assembly: Assembly,
    *,
    with_people: bool = True,
    features: list[Feature] | None = None,
    replacements: list[SelectionRun] | None = None,
) -> list[Vacancy]:
    """Every vacancy in the order it arose, with its outcome, from the audit log
    and the replacement runs (a handful of rows: no pagination). A public page
    gives the published ``replacements`` it has read (a draw not yet published
    leaves its seat open there)."""
    labels = feature_labels(assembly, features)
    leavers = {
        r.pseudonym: r
        for r in Respondent.objects.filter(
            assembly=assembly, status__in=(RespondentStatus.DECLINED, RespondentStatus.WITHDRAWN)
        )
        .only("pk", "pseudonym", "first_name", "last_name", "status", "assembly_id")
        .order_by("pk")  # not the model's order, which joins the assembly for nothing
    }
    if replacements is None:
        replacements = list(
            SelectionRun.objects.filter(assembly=assembly, replaces__isnull=False)
            .exclude(status="failed")
            .defer("bundle")
            .order_by("created_at")
        )
    runs = {run.replaces_id: run for run in replacements if run.replaces_id is not None}
    rows: dict[str, Vacancy] = {}
    for event in AuditEvent.objects.filter(assembly=assembly, action__in=(CALLED, NO_FIT)).order_by(
        "created_at", "pk"
    ):
        pseudonym = str(event.data.get("replaces", ""))
        skipped = [
            (int(s.get("position") or 0), str(s.get("reserve", "")), explain(s.get("misfit"), labels))
            for s in event.data.get("skipped", [])
        ]
        row = rows.setdefault(pseudonym, Vacancy(leavers.get(pseudonym), event.created_at, "open"))
        row.skipped = skipped  # the latest attempt says why reserves were passed over
        if event.action == CALLED:
            row.outcome, row.reserve = "reserve", str(event.data.get("reserve", ""))
            row.position = event.data.get("position")
    for pseudonym, respondent in leavers.items():
        row = rows.setdefault(pseudonym, Vacancy(respondent, None, "open"))
        run = runs.get(respondent.pk)
        if row.outcome == "open" and run is not None:
            row.outcome, row.run = "draw", run
    ordered = sorted(rows.values(), key=lambda v: (v.when is None, v.when))
    if not with_people:
        for row in ordered:
            row.left = None
    return ordered
