"""Field labels Django makes up ("created at", "joined at") are translated:
admin column headers and form labels on French pages are in French, without a
migration (see assemblies/field_labels.py)."""

from __future__ import annotations

from django.apps import apps
from django.contrib.admin.utils import label_for_field
from django.db.models import Field
from django.forms import modelform_factory
from django.utils import translation
from django.utils.functional import Promise

from assemblies.field_labels import LABELS, OUR_APPS, make_labels_translatable
from assemblies.models import Member
from lottery.models import Respondent
from recommendations.models import Ballot


def our_fields() -> list[tuple[str, Field]]:
    return [
        (f"{model._meta.label}.{field.name}", field)
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS
        for field in model._meta.get_fields()
        if isinstance(field, Field) and field.concrete and not field.auto_created
    ]


def untranslated_label(field: Field) -> str | None:
    """The label as the model declares it, when it is not translatable by itself."""
    declared = field._verbose_name  # type: ignore[attr-defined]  # what migrations see: ready() leaves it alone
    if declared is None:
        return field.name.replace("_", " ")  # Django's automatic label
    return None if isinstance(declared, Promise) else str(declared)


def test_every_made_up_label_of_our_fields_is_listed_for_translation() -> None:
    missing = {
        name: label
        for name, field in our_fields()
        if (label := untranslated_label(field)) is not None and label not in LABELS
    }
    assert not missing, (
        "Fields without a translatable verbose_name whose label is not in "
        f"assemblies.field_labels.LABELS (add it, then run makemessages): {missing}"
    )


def test_labels_are_sorted_without_repeats() -> None:
    assert list(LABELS) == sorted(set(LABELS))


def test_every_label_of_our_fields_is_lazy_after_startup() -> None:
    eager = [name for name, field in our_fields() if not isinstance(field.verbose_name, Promise)]
    assert eager == []
    assert make_labels_translatable() == 0  # a second call finds nothing left to wrap


def test_made_up_labels_show_in_french() -> None:
    with translation.override("fr"):
        labels = {
            "member joined at": str(Member._meta.get_field("joined_at").verbose_name),
            "respondent pseudonym": str(Respondent._meta.get_field("pseudonym").verbose_name),
            "ballot status": str(Ballot._meta.get_field("status").verbose_name),
            "admin column": str(label_for_field("joined_at", Member)),
            "form label": str(modelform_factory(Ballot, fields=["status"])().fields["status"].label),
        }
    assert labels == {
        "member joined at": "membre depuis",
        "respondent pseudonym": "pseudonyme",
        "ballot status": "statut",
        "admin column": "membre depuis",
        "form label": "Statut",
    }


def test_english_labels_are_unchanged() -> None:
    with translation.override("en"):
        assert str(Member._meta.get_field("joined_at").verbose_name) == "joined at"
        assert str(label_for_field("created_at", Respondent)) == "created at"
