from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from assemblies.models import Assembly

from . import selectors


class RecommendationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number}. {obj.title}"


class MapFilterForm(forms.Form):
    """GET filter of the power map: one recommendation, or all."""

    recommendation = RecommendationChoice(
        label=_("Recommendation"),
        queryset=None,
        required=False,
        empty_label=_("All recommendations (each stakeholder's most common stance)"),
    )

    def __init__(self, *args: Any, assembly: Assembly, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recommendation"].queryset = selectors.adopted(assembly)  # type: ignore[attr-defined]
