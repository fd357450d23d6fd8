"""Demo data: the synthetic respondents of the demo's assemblies.

The questions and census shares (English, with French for the Transport
Assembly), quotas proposed around them, and a seeded pool whose answers lean
the way self-selected respondents do."""

from __future__ import annotations

import math
import random
import unicodedata
from decimal import Decimal

from assemblies.demo import FIRST_NAMES, LAST_NAMES
from assemblies.models import Assembly
from lottery.models import (
    Answer,
    Category,
    Feature,
    Respondent,
    RespondentSource,
)

from .demo_timeline import Timeline, at

# name, question, [(value, answer, census share %, self-selection factor)]
CATEGORIES: list[tuple[str, str, list[tuple[str, str, float, float]]]] = [
    ("gender", "Which of these describes you?", [
        ("female", "Woman", 50.6, 1.12),
        ("male", "Man", 48.6, 0.9),
        ("non-binary", "Non-binary or another identity", 0.8, 1.0),
    ]),
    ("age", "How old are you?", [
        ("16-29", "16 to 29", 20.0, 0.6),
        ("30-44", "30 to 44", 23.0, 0.9),
        ("45-64", "45 to 64", 33.0, 1.15),
        ("65-plus", "65 or over", 24.0, 1.3),
    ]),
    ("area", "Where in Northshire do you live?", [
        ("northshire-city", "Northshire city", 38.0, 1.1),
        ("coast", "The coast", 22.0, 0.95),
        ("market-towns", "Market towns", 24.0, 1.0),
        ("rural", "Villages and countryside", 16.0, 0.85),
    ]),
    ("education", "What is your highest qualification?", [
        ("none-gcse", "None, or GCSEs", 36.0, 0.6),
        ("a-level", "A levels or vocational", 30.0, 1.0),
        ("degree", "Degree or above", 34.0, 1.5),
    ]),
    ("car", "Does your household have a car or van?", [
        ("car", "Yes", 76.0, 1.05), ("no-car", "No", 24.0, 0.85),
    ]),
]  # fmt: skip

# name -> (French question, {value: French answer}): the Transport Assembly works in English and French.
FRENCH: dict[str, tuple[str, dict[str, str]]] = {
    "gender": ("Laquelle de ces propositions vous décrit ?", {
        "female": "Femme", "male": "Homme", "non-binary": "Non binaire ou autre identité",
    }),
    "age": ("Quel âge avez-vous ?", {
        "16-29": "16 à 29 ans", "30-44": "30 à 44 ans", "45-64": "45 à 64 ans", "65-plus": "65 ans ou plus",
    }),
    "area": ("Où habitez-vous dans le Northshire ?", {
        "northshire-city": "La ville de Northshire", "coast": "La côte", "market-towns": "Les bourgs",
        "rural": "Villages et campagne",
    }),
    "education": ("Quel est votre diplôme le plus élevé ?", {
        "none-gcse": "Aucun, ou GCSE", "a-level": "A levels ou formation professionnelle",
        "degree": "Licence ou plus",
    }),
    "car": ("Votre foyer a-t-il une voiture ou une camionnette ?", {"car": "Oui", "no-car": "Non"}),
}  # fmt: skip

STREETS = [
    "High Street", "Station Road", "Church Lane", "Mill Road", "Harbour View", "Park Avenue", "Quarry Close",
    "Victoria Terrace", "Orchard Way", "Castle Street", "Marsh Lane", "Ferry Road",
]  # fmt: skip
LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

# Riverside's questions: its own quotas (housing tenure matters to a housing assembly).
RIVERSIDE_CATEGORIES: list[tuple[str, str, list[tuple[str, str, float, float]]]] = [
    CATEGORIES[0],
    CATEGORIES[1],
    ("tenure", "Do you own or rent your home?", [
        ("own", "Own it (outright or with a mortgage)", 52.0, 1.2),
        ("rent-private", "Rent from a private landlord", 28.0, 0.8),
        ("rent-social", "Rent from the council or a housing association", 20.0, 0.9),
    ]),
    CATEGORIES[3],
]  # fmt: skip


def _categories(
    assembly: Assembly,
    panel_size: int,
    tolerance: int = 1,
    categories: list[tuple[str, str, list[tuple[str, str, float, float]]]] = CATEGORIES,
) -> dict[str, list[tuple[Feature, float]]]:
    """Categories and features with census shares and quotas proposed around them
    (French labels where the assembly works in French)."""
    french = "fr" in (assembly.languages or [])
    out: dict[str, list[tuple[Feature, float]]] = {}
    for order, (name, label, values) in enumerate(categories):
        french_question, french_answers = FRENCH.get(name, ("", {}))
        question_fr = {"fr": french_question} if french and french_question else {}
        category, _ = Category.objects.get_or_create(
            assembly=assembly,
            name=name,
            defaults={"label": label, "order": order, "label_translations": question_fr},
        )
        if question_fr and not category.label_translations:  # seeded before the translations existed
            category.label_translations = question_fr
            category.save(update_fields=["label_translations"])
        out[name] = []
        for position, (value, answer, share, bias) in enumerate(values):
            target = panel_size * share / 100
            answer_fr = {"fr": french_answers[value]} if question_fr else {}
            feature, _ = Feature.objects.get_or_create(
                category=category,
                value=value,
                defaults={
                    "assembly": assembly,
                    "label": answer,
                    "label_translations": answer_fr,
                    "order": position,
                    "population_share": Decimal(str(share)),
                    "min_seats": max(0, math.floor(target) - tolerance),
                    "max_seats": math.ceil(target) + tolerance,
                },
            )
            if answer_fr and not feature.label_translations:
                feature.label_translations = answer_fr
                feature.save(update_fields=["label_translations"])
            out[name].append((feature, share * bias))
    return out


def _ascii(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower().replace("'", "")


def _pool(
    assembly: Assembly,
    features: dict[str, list[tuple[Feature, float]]],
    n: int,
    seed: int,
    domain: str,
    timeline: Timeline | None = None,
) -> None:
    """``n`` respondents with answers drawn from the biased shares (bulk,
    seeded), registered within the timeline's registration days."""
    rng = random.Random(seed)
    first, last = timeline.registered if timeline else (-40, -1)
    sessions = timeline.session_dates if timeline else []
    respondents = []
    homes: list[str] = []
    for i in range(n):
        if homes and rng.random() < 0.06:  # a second person from the same household registers
            home = rng.choice(homes[-50:])
        else:
            home = f"{rng.randint(1, 180)} {rng.choice(STREETS)}, NS{rng.randint(1, 9)}"
            homes.append(home)
        given, family = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        respondents.append(
            Respondent(
                assembly=assembly,
                source=RespondentSource.IMPORT,
                first_name=given,
                last_name=family,
                email=f"{_ascii(given)}.{_ascii(family)}.{i}@{domain}",
                address=home.split(",")[0],
                postcode=f"{home.split(', ')[1]} {rng.randint(1, 9)}{''.join(rng.choices(LETTERS, k=2))}",
                household=home,
                consent_version="1",
                consented_at=at(rng.randint(first, last), rng.randint(8, 22), rng.randint(0, 59)),
                # Most can come every time; some miss one date.
                availability=sessions
                if rng.random() < 0.8
                else rng.sample(sessions, max(0, len(sessions) - 1)),
            )
        )
    Respondent.objects.bulk_create(respondents, batch_size=500)
    created = list(Respondent.objects.filter(assembly=assembly).only("pk"))
    answers = []
    for respondent in created:
        for options in features.values():
            feature = rng.choices([f for f, _ in options], weights=[w for _, w in options])[0]
            answers.append(
                Answer(
                    assembly=assembly, respondent=respondent, category_id=feature.category_id, feature=feature
                )
            )
    Answer.objects.bulk_create(answers, batch_size=2000)
