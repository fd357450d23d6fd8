"""Demographic questions and answers in every language of the assembly."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from lottery.models import Category, Feature, Respondent, SelectionRun
from tests.lottery.selection.conftest import computed_run, drawn_run, pool  # noqa: F401

from .conftest import make_invitation, setup_recruitment

pytestmark = pytest.mark.django_db

REGISTER = "/register/"
DETAILS = "/register/details/"


# --- label_in ---------------------------------------------------------------------


def test_label_in_falls_back_to_the_base_language_then_the_label() -> None:
    category = Category(label="How old are you?", label_translations={"fr": "Quel âge avez-vous ?"})
    assert category.label_in("fr") == "Quel âge avez-vous ?"
    assert category.label_in("fr-ca") == "Quel âge avez-vous ?"  # base language
    assert category.label_in("fr_CA") == "Quel âge avez-vous ?"
    assert category.label_in("en") == "How old are you?"
    assert category.label_in("de") == "How old are you?"
    assert category.label_in("") == "How old are you?"
    assert category.label_in(None) == "How old are you?"  # type: ignore[arg-type]


def test_label_in_prefers_the_exact_regional_text_and_skips_blank_ones() -> None:
    feature = Feature(label="Woman", label_translations={"fr": "Femme", "fr-ca": "Femme (QC)", "de": " "})
    assert feature.label_in("fr-ca") == "Femme (QC)"
    assert feature.label_in("fr-be") == "Femme"
    assert feature.label_in("de") == "Woman"
    assert Feature(label="Woman").label_in("fr") == "Woman"  # default: no translations


def test_clean_rejects_unknown_languages_and_empty_texts(assembly: Any) -> None:
    category = Category(assembly=assembly, name="age", label="Age", label_translations={"de": "Alter"})
    with pytest.raises(ValidationError) as error:
        category.full_clean()
    assert (
        "“de” is not a language of this site. Use one of: en, fr."
        in error.value.message_dict["label_translations"]
    )
    category.label_translations = {"fr": "  "}
    with pytest.raises(ValidationError) as error:
        category.full_clean()
    assert error.value.message_dict["label_translations"] == [
        "The French text is empty: write it or remove it."
    ]
    category.label_translations = {"fr": "Âge"}
    category.full_clean()
    category.save()
    feature = Feature(
        assembly=assembly, category=category, value="young", label="Young", label_translations={"fr": ""}
    )
    with pytest.raises(ValidationError):
        feature.full_clean()


# --- registration -------------------------------------------------------------------


def translate(recruiting: dict[str, Any]) -> None:
    gender = recruiting["gender"]
    gender.label_translations = {"fr": "Genre"}
    gender.save()
    for value, french in (("female", "Femme"), ("male", "Homme")):
        feature = recruiting["features"][value]
        feature.label_translations = {"fr": french}
        feature.save()


def test_registration_in_french_shows_french_questions_and_answers(client: Any, assembly: Any) -> None:
    recruiting = setup_recruitment(assembly)
    translate(recruiting)
    invitation = make_invitation(assembly)

    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    response = client.post(REGISTER, {"code": invitation.code})
    assert response.status_code == 302 and response["Location"] == DETAILS
    form = client.get(DETAILS).content.decode()
    assert "<legend>Genre</legend>" in form and "<legend>Gender</legend>" not in form
    assert ">Femme</label>" in form and ">Homme</label>" in form
    assert ">Non-Binary</label>" in form  # not translated: the English answer
    assert "<legend>Age</legend>" in form  # not translated: the English question

    # A missing answer is named in French too.
    data = {
        "first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.org", "consent": "on",
        f"category_{recruiting['age'].pk}": "30-59",
    }  # fmt: skip
    assert "Genre" in client.post(DETAILS, data).content.decode()

    data[f"category_{recruiting['gender'].pk}"] = "female"
    response = client.post(DETAILS, data)
    assert response.status_code == 302
    respondent = Respondent.objects.get()
    assert respondent.language == "fr"
    assert respondent.answers.get(category=recruiting["gender"]).feature.value == "female"


def test_registration_in_english_is_unchanged(client: Any, assembly: Any) -> None:
    recruiting = setup_recruitment(assembly)
    translate(recruiting)
    invitation = make_invitation(assembly)
    client.post(REGISTER, {"code": invitation.code})
    form = client.get(DETAILS).content.decode()
    assert "<legend>Gender</legend>" in form and ">Female</label>" in form and "Femme" not in form


# --- admin --------------------------------------------------------------------------


def test_admin_has_a_plain_box_per_other_language(organiser_client: Any, assembly: Any) -> None:
    recruiting = setup_recruitment(assembly)
    translate(recruiting)
    page = organiser_client.get(f"/admin/lottery/category/{recruiting['gender'].pk}/change/").content.decode()
    assert "Question (French)" in page and "Answer (French)" in page
    assert 'name="label_fr"' in page and 'value="Genre"' in page
    assert 'value="Femme"' in page
    assert "label_translations" not in page  # no raw JSON
    assert 'name="label_en"' not in page  # the default language is the label itself


def test_admin_saves_translations_from_the_language_boxes(organiser_client: Any, assembly: Any) -> None:
    response = organiser_client.post(
        "/admin/lottery/category/add/",
        {
            "assembly": assembly.pk, "name": "age", "label": "How old are you?",
            "label_fr": "Quel âge avez-vous ?", "order": 0,
            "features-TOTAL_FORMS": 2, "features-INITIAL_FORMS": 0,
            "features-0-value": "young", "features-0-label": "16 to 29",
            "features-0-label_fr": " 16 à 29 ans ",
            "features-0-order": 0, "features-0-min_seats": 0, "features-0-max_seats": 3,
            "features-1-value": "old", "features-1-label": "30 or over", "features-1-label_fr": "",
            "features-1-order": 1, "features-1-min_seats": 0, "features-1-max_seats": 3,
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    category = Category.objects.get(assembly=assembly, name="age")
    assert category.label_translations == {"fr": "Quel âge avez-vous ?"}
    features = {f.value: f.label_translations for f in category.features.all()}
    assert features == {"young": {"fr": "16 à 29 ans"}, "old": {}}

    # Emptying the box removes the translation.
    response = organiser_client.post(
        f"/admin/lottery/category/{category.pk}/change/",
        {
            "assembly": assembly.pk, "name": "age", "label": "How old are you?", "label_fr": "", "order": 0,
            "features-TOTAL_FORMS": 0, "features-INITIAL_FORMS": 0,
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    category.refresh_from_db()
    assert category.label_translations == {}


def test_admin_rejects_a_blank_translation_in_plain_words(organiser_client: Any, assembly: Any) -> None:
    response = organiser_client.post(
        "/admin/lottery/category/add/",
        {
            "assembly": assembly.pk, "name": "age", "label": "How old are you?", "label_fr": "   ",
            "order": 0,
            "features-TOTAL_FORMS": 0, "features-INITIAL_FORMS": 0,
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "The French text is only spaces: write it or leave the box empty." in response.content.decode()
    assert not Category.objects.filter(assembly=assembly, name="age").exists()


def test_admin_form_reports_model_errors_on_translations_as_form_errors(assembly: Any) -> None:
    from lottery.registration.admin import CategoryForm, translations_form

    form_class = translations_form(CategoryForm)
    form = form_class(
        data={"assembly": assembly.pk, "name": "age", "label": "Age", "order": 0, "label_fr": "Âge"},
        instance=Category(label_translations={"de": "Alter"}),
    )
    # The boxes decide: a stray unknown language is dropped, the French one kept.
    assert form.is_valid(), form.errors
    assert form.instance.label_translations == {"fr": "Âge"}

    form = form_class(data={"assembly": assembly.pk, "name": "age", "label": "Age", "order": 0})
    form.is_valid()
    form._update_errors(ValidationError({"label_translations": ["“de” is not a language of this site."]}))
    assert "“de” is not a language of this site." in form.non_field_errors()


# --- public selection page ------------------------------------------------------------


def test_public_selection_page_shows_french_labels(
    drawn_run: SelectionRun,  # noqa: F811
    assembly: Any,
    client: Any,
) -> None:
    Category.objects.filter(assembly=assembly, name="gender").update(label_translations={"fr": "Genre"})
    Feature.objects.filter(assembly=assembly, value="female").update(label_translations={"fr": "Femme"})
    url = reverse("lottery:selection_public", args=[assembly.slug])
    english = client.get(url).content.decode()
    assert "<td>Gender</td><td>Female</td>" in english

    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    french = client.get(url).content.decode()
    assert "<td>Genre</td><td>Femme</td>" in french
    assert "<td>Genre</td><td>Male</td>" in french  # untranslated answer: the label


def test_quota_screen_rows_use_the_current_language(assembly: Any) -> None:
    from lottery.selection.selectors import quota_feasibility

    recruiting = setup_recruitment(assembly)
    translate(recruiting)
    with translation.override("fr"):
        rows = {row.feature: row for row in quota_feasibility(assembly).rows}
    assert (rows["female"].category, rows["female"].label) == ("Genre", "Femme")
    assert (rows["16-29"].category, rows["16-29"].label) == ("Age", "16-29")
    with translation.override("en"):
        rows = {row.feature: row for row in quota_feasibility(assembly).rows}
    assert (rows["female"].category, rows["female"].label) == ("Gender", "Female")
