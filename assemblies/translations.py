"""Texts typed by organisers in several languages.

A translatable text is a plain field (the original, in whatever language the
organisers wrote it) plus a JSON field of translations by language code,
e.g. ``{"fr": "Comment se déplacer à Riverside ?"}``. Readers get the text in
their language (or its base language: "fr" for "fr-ca"), else the original:
an untranslated text is never blank.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _


def translated(original: str, translations: object, language: str | None = None) -> str:
    """``original`` in ``language`` (default: the active language) where translated."""
    language = language if language is not None else translation.get_language()
    if not language or not isinstance(translations, dict):
        return original
    code = language.lower().replace("_", "-")
    for candidate in (code, code.split("-")[0]):
        text = translations.get(candidate)
        if isinstance(text, str) and text.strip():
            return text
    return original


def other_languages() -> list[tuple[str, str]]:
    """(code, name) of every site language but the default, in which originals are usually written."""
    default = settings.LANGUAGE_CODE.split("-")[0]
    return [(code, str(name)) for code, name in settings.LANGUAGES if code != default]


def translation_errors(translations: object) -> list[str]:
    """Plain words for what is wrong with a translations value (empty when it is fine)."""
    if translations in (None, ""):
        return []
    if not isinstance(translations, dict):
        return [_("Give the translations as language code and text pairs.")]
    known = dict(settings.LANGUAGES)
    errors = []
    for code, text in translations.items():
        if code not in known:
            errors.append(
                _("“%(code)s” is not a language of this site. Use one of: %(known)s.")
                % {"code": code, "known": ", ".join(known)}
            )
        elif not isinstance(text, str) or not text.strip():
            errors.append(
                _("The %(language)s text is empty: write it or remove it.") % {"language": known[code]}
            )
    return errors


def validate_translations(**fields: object) -> None:
    """Raise one ValidationError naming each translations field that is wrong."""
    errors = {name: problems for name, value in fields.items() if (problems := translation_errors(value))}
    if errors:
        raise ValidationError(errors)
