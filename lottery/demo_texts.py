"""What the demo's assemblies need so that residents see a complete
recruitment (issue 9, items 11-14): a contact, a privacy notice, a last day
to register and the letter's texts. The demo (``lottery/demo.py``,
``assemblies/demo.py``) applies them; values only, no writes here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any


def assembly_contact(council: str) -> dict[str, str]:
    """Fields of Assembly: whom residents and members contact."""
    return {
        "contact_name": f"{council}, Democracy Team",
        "contact_email": "assembly@riverside.example",
        "contact_phone": "01632 960 123",
        "contact_address": "Town Hall\nHigh Street\nRiverside RV1 1AA",
    }


def recruitment_texts(*, today: dt.date, recruiting: bool) -> dict[str, Any]:
    """Fields of RecruitmentSettings. ``recruiting``: the assembly is still
    registering people (its last day is ahead), else it closed in the past."""
    closes_on = today + dt.timedelta(days=14) if recruiting else today - dt.timedelta(days=30)
    return {
        "privacy_notice": (
            "Riverside Council runs this citizens' assembly. We use your name and contact details to "
            "tell you whether you were chosen, and your answers about yourself only to choose a group "
            "that looks like Riverside. Only the organisers can see them. If you are not chosen, we "
            "delete your details 30 days after the final group is confirmed. You can ask for a copy "
            "of your data, or for it to be deleted, at any time: contact the Democracy Team."
        ),
        "privacy_notice_translations": {
            "fr": (
                "La mairie de Riverside organise cette assemblée citoyenne. Vos coordonnées servent "
                "à vous dire si vous avez été tiré au sort, et vos réponses seulement à former un "
                "groupe à l'image de Riverside. Seuls les organisateurs les voient. Si vous n'êtes "
                "pas choisi, nous les effaçons 30 jours après la confirmation du groupe final."
            )
        },
        "registration_closes_on": closes_on,
        "member_offer": (
            "Members receive £150 for each weekend. Travel, meals and childcare are paid; venues are "
            "step-free, and interpreters and hearing loops are there on request."
        ),
        "member_offer_translations": {
            "fr": (
                "Les membres reçoivent 150 £ par week-end. Transport, repas et garde d'enfants sont "
                "pris en charge ; lieux accessibles, interprètes et boucles magnétiques sur demande."
            )
        },
        "letter_signatory_name": "Jane Okafor",
        "letter_signatory_role": "Chief Executive, Riverside Council",
    }
