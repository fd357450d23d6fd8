"""The verification bundle: everything needed to recompute a draw, and nothing more.

Django-free on purpose: ``manage.py verify_draw`` and anyone outside Plenary
can check a draw with this module and the engine alone. A bundle holds only
pseudonyms, feature values and hashed household keys (no names, no addresses).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lottery.engine import ENGINE_VERSION, Quota, Respondent, SelectionProblem, commitment, draw

BUNDLE_FORMAT = "plenary-selection-bundle/1"


class TamperedBundle(Exception):
    """The bundle does not match its commitment (or is malformed); message in plain words."""


def problem_from_bundle(bundle: Mapping[str, Any]) -> SelectionProblem:
    try:
        respondents = [
            Respondent(id=str(r["id"]), features=dict(r["features"]), household=r.get("household"))
            for r in bundle["pool"]
        ]
        quotas = [
            Quota(
                category=q["category"],
                feature=q["feature"],
                min=int(q["min"]),
                max=int(q["max"]),
                min_flex=q.get("min_flex"),
                max_flex=q.get("max_flex"),
            )
            for q in bundle["quotas"]
        ]
        return SelectionProblem(respondents, quotas, int(bundle["k"]), tuple(bundle.get("seated", ())))
    except (KeyError, TypeError, ValueError) as error:
        raise TamperedBundle(f"The bundle is incomplete or malformed ({error}).") from error


def bundle_commitment(bundle: Mapping[str, Any], randomness_source: str | None = None) -> str:
    """The commitment the bundle's contents hash to (SHA-256 hex)."""
    source = bundle.get("randomness_source", "") if randomness_source is None else randomness_source
    return commitment(
        problem_from_bundle(bundle),
        algorithm=str(bundle.get("algorithm", "")),
        panels=bundle.get("panels") or [],
        randomness_source=str(source),
        version=str(bundle.get("version", ENGINE_VERSION)),
    )


def reserve_order(
    pool: Sequence[Mapping[str, Any]], panel: Sequence[str], commitment_hex: str, randomness: str
) -> list[str]:
    """Every pool member who can still be called, in the order of the reserve list.

    Unweighted on purpose: each eligible respondent (not on the panel, not in a
    panel member's household) is ordered by SHA-256(seed, pseudonym), a uniform
    shuffle seeded by the commitment and the public randomness. Weighting by
    the LEXIMIN probabilities would favour the groups the quotas already
    protect, while a reserve never takes a seat directly: a replacement is a
    new engine run with the confirmed members fixed, which keeps every quota.
    The list only orders who is kept on standby, so the simplest rule anyone
    can check by hand (sort by a hash) is the fairest one to publish.
    """
    chosen = set(panel)
    homes = {r.get("household") for r in pool if r["id"] in chosen and r.get("household")}
    seed = hashlib.sha256(f"{commitment_hex}\x00{randomness}\x00reserves".encode()).hexdigest()
    eligible = [
        r["id"]
        for r in pool
        if r["id"] not in chosen and not (r.get("household") and r.get("household") in homes)
    ]
    return sorted(eligible, key=lambda rid: hashlib.sha256(f"{seed}\x00{rid}".encode()).hexdigest())


@dataclass(frozen=True)
class Verification:
    commitment: str
    matches: bool  # the bundle hashes to its published commitment
    index: int
    selected: tuple[str, ...]
    reserves: tuple[str, ...]
    agrees_with_published: bool | None  # None when the bundle records no result


def verify_bundle(bundle: Mapping[str, Any], randomness: str) -> Verification:
    """Recompute the commitment and the draw; raise TamperedBundle on any mismatch
    between the contents and the commitment they claim."""
    if bundle.get("format") != BUNDLE_FORMAT:
        raise TamperedBundle(f"This is not a Plenary selection bundle (format {bundle.get('format')!r}).")
    published = str(bundle.get("commitment") or "")
    if not published:
        raise TamperedBundle(
            "The bundle has no commitment: it was exported before the commitment was published."
        )
    recomputed = bundle_commitment(bundle)
    if recomputed != published:
        raise TamperedBundle(
            "The bundle does not match its commitment: the pool, the quotas, the panel size, "
            "the panels or the announced source of randomness were changed "
            f"(expected {published}, got {recomputed})."
        )
    panels = bundle.get("panels") or []
    index, selected = draw(panels, published, randomness)
    wanted = int(bundle.get("reserves_wanted") or 0)
    reserves = tuple(reserve_order(bundle["pool"], selected, published, randomness)[:wanted])
    agrees: bool | None = None
    if bundle.get("selected"):
        agrees = sorted(bundle["selected"]) == sorted(selected) and (
            str(bundle.get("randomness", randomness)) == randomness
        )
    return Verification(published, True, index, selected, reserves, agrees)
