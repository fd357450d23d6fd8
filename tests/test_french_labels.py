"""A status label shared in English by several models agrees in French with
each model's noun (a message context per model): a ballot is "Ouvert", never
the verb "Ouvrir" of an "Open" link; a report is "Publié", an assembly "Publiée"."""

from __future__ import annotations

import re
from pathlib import Path

from django.utils import translation

from advocacy.models import ResponseStatus, TacticStatus
from assemblies.models import Stage
from recommendations.models import AmendmentState, BallotStatus, RecommendationStatus
from reports.models import DocumentStatus


def test_status_labels_agree_with_their_noun_in_french() -> None:
    with translation.override("fr"):
        labels = {
            "ballot open": str(BallotStatus.OPEN.label),
            "ballot closed": str(BallotStatus.CLOSED.label),
            "recommendation adopted": str(RecommendationStatus.ADOPTED.label),
            "recommendation withdrawn": str(RecommendationStatus.WITHDRAWN.label),
            "amendment withdrawn": str(AmendmentState.WITHDRAWN.label),
            "report published": str(DocumentStatus.PUBLISHED.label),
            "assembly published": str(Stage.PUBLISHED.label),
            "response accepted": str(ResponseStatus.ACCEPTED.label),
            "tactic done": str(TacticStatus.DONE.label),
            "an Open link": translation.gettext("Open"),
        }

    assert labels == {
        "ballot open": "Ouvert",
        "ballot closed": "Clos",
        "recommendation adopted": "Adoptée",
        "recommendation withdrawn": "Retirée",
        "amendment withdrawn": "Retiré",
        "report published": "Publié",
        "assembly published": "Publiée",
        "response accepted": "Acceptée",
        "tactic done": "Réalisée",
        "an Open link": "Ouvrir",
    }


def test_a_colon_after_a_label_is_part_of_its_translation() -> None:
    """French puts a space before a colon ("Étape :"): a label followed by a
    colon carries it inside the message, never after the tag."""
    root = Path(__file__).resolve().parents[1] / "templates"
    outside = re.compile(r"\{% translate \"[^\"]*\" %\}:")
    found = [
        f"{path.relative_to(root)}: {match.group(0)}"
        for path in sorted(root.rglob("*.html"))
        for match in outside.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
    with translation.override("fr"):
        assert translation.gettext("Stage:") == "Étape :"
        assert translation.gettext("Next:") == "Prochaine séance :"


def test_the_public_selection_page_labels_agree_in_french() -> None:
    """A count of members is plural ("Confirmés"), a commitment masculine ("Publié")."""
    with translation.override("fr"):
        assert translation.pgettext("panel figure", "Confirmed") == "Confirmés"
        assert translation.pgettext("commitment", "Published") == "Publié"
