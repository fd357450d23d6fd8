"""Admin forms for translatable texts: one plain box per other site language
under each original, stored in the text's ``<field>_translations`` JSON.

Organisers never see or type JSON: an empty box means "not translated" (the
original is shown). Used by the assembly's form and by the lottery's
recruitment settings (privacy notice, what members receive).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from .translations import other_languages


def box_name(field: str, code: str) -> str:
    """The form field of ``field``'s translation into ``code``, e.g. ``title__fr``."""
    return f"{field}__{code.replace('-', '_').lower()}"


class TranslatedTextsForm(forms.ModelForm):
    """A ModelForm whose ``translated`` fields each get a box per other language.

    Subclasses set ``translated`` to the names of the original fields; the
    translations live in ``<name>_translations``. Build the concrete class
    with :func:`with_translation_boxes` so the boxes follow settings.LANGUAGES.
    """

    translated: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.translated:
            current = getattr(self.instance, f"{field}_translations", None)
            current = current if isinstance(current, dict) else {}
            for code, _name in other_languages():
                name = box_name(field, code)
                if name in self.fields and code in current and name not in self.initial:
                    self.initial[name] = current[code]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for field in self.translated:
            translations: dict[str, str] = {}
            for code, language in other_languages():
                name = box_name(field, code)
                if name not in self.fields:
                    continue
                raw = cleaned.get(name) or ""
                if raw and not raw.strip():
                    self.add_error(
                        name,
                        _("The %(language)s text is only spaces: write it or leave the box empty.")
                        % {"language": language},
                    )
                elif raw.strip():
                    translations[code] = raw.strip()
            setattr(self.instance, f"{field}_translations", translations)
        return cleaned

    def _update_errors(self, errors: ValidationError) -> None:
        # The model checks the JSON fields, which have no box of their own here.
        if hasattr(errors, "error_dict"):
            error_dict = dict(errors.error_dict)
            for field in self.translated:
                moved = error_dict.pop(f"{field}_translations", [])
                if moved:
                    error_dict[NON_FIELD_ERRORS] = [*error_dict.get(NON_FIELD_ERRORS, []), *moved]
            errors = ValidationError(error_dict)
        super()._update_errors(errors)  # type: ignore[misc]


def with_translation_boxes(base: type[TranslatedTextsForm]) -> type[TranslatedTextsForm]:
    """``base`` with a box per other site language for each translated field,
    as wide as the original (a text area for long texts)."""
    attrs: dict[str, Any] = {}
    model_fields = {f.name: f for f in base._meta.model._meta.get_fields()}
    for field in base.translated:
        original = model_fields[field]
        long_text = original.get_internal_type() == "TextField"
        for code, language in other_languages():
            attrs[box_name(field, code)] = forms.CharField(
                label=f"{original.verbose_name} ({language})".capitalize(),
                required=False,
                strip=False,
                max_length=getattr(original, "max_length", None),
                widget=forms.Textarea(attrs={"rows": 3}) if long_text else forms.TextInput(),
            )
    built: type[TranslatedTextsForm] = type(base)(base.__name__, (base,), attrs)  # type: ignore[misc]
    return built


def fields_with_boxes(fields: list[str], translated: tuple[str, ...]) -> list[Any]:
    """``fields`` with each translated field followed by its language boxes
    (``list[Any]``: what ModelAdmin fieldsets accept)."""
    out: list[Any] = []
    for field in fields:
        out.append(field)
        if field in translated:
            out.extend(box_name(field, code) for code, _name in other_languages())
    return out
