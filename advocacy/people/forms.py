from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from advocacy.models import Medium, RequestKind, Sector
from assemblies.models import Assembly
from recommendations.models import Recommendation

from . import selectors


class RecommendationsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number}. {obj.title}"


def _adopted(assembly: Assembly) -> Any:
    from advocacy.power.selectors import adopted

    return adopted(assembly)


class SpokespersonForm(forms.Form):
    is_available = forms.BooleanField(label=_("I am ready to be asked"), required=False, initial=True)
    channels = forms.MultipleChoiceField(
        label=_("Which media are you ready for?"),
        choices=Medium.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    recommendations = RecommendationsChoice(
        label=_("Which recommendations can you talk about?"),
        queryset=Recommendation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, assembly: Assembly, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recommendations"].queryset = _adopted(assembly)  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])


class SpokespersonChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        media = ", ".join(obj.media_labels()) or "—"
        trained = _("trained") if obj.training_done_on else _("not trained yet")
        return f"{obj.member} ({media}; {trained})"


class MediaRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=RequestKind.choices)
    title = forms.CharField(label=_("What it is"), max_length=300)
    outlet = forms.CharField(label=_("Outlet or host"), max_length=200, required=False)
    medium = forms.ChoiceField(label=_("Medium"), choices=[("", "—"), *Medium.choices], required=False)
    starts_at = forms.DateTimeField(
        label=_("When"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label=_("Where"), max_length=300, required=False)
    details = forms.CharField(label=_("Details for the member"), widget=forms.Textarea, required=False)
    recommendations = RecommendationsChoice(
        label=_("Recommendations"), queryset=Recommendation.objects.none(), required=False
    )
    spokespeople = SpokespersonChoice(
        label=_("Send to"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, assembly: Assembly, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recommendations"].queryset = _adopted(assembly)  # type: ignore[attr-defined]
        self.fields["spokespeople"].queryset = selectors.available_spokespeople(assembly)  # type: ignore[attr-defined]


class AffiliateSignForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    email = forms.EmailField(
        label=_("Email"),
        help_text=_("Not published. We send you a link to confirm, then a reminder now and then."),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    recommendations = RecommendationsChoice(
        label=_("The recommendations you will carry forward"),
        queryset=Recommendation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    commitment = forms.CharField(
        label=_("What you commit to do"),
        widget=forms.Textarea,
        max_length=2000,
        help_text=_("Published with your name."),
    )

    def __init__(self, *args: Any, assembly: Assembly, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recommendations"].queryset = _adopted(assembly)  # type: ignore[attr-defined]


class AffiliateReportForm(forms.Form):
    text = forms.CharField(label=_("What did you do?"), widget=forms.Textarea, max_length=4000)
    url = forms.URLField(label=_("A link to show it (optional)"), required=False, assume_scheme="https")
