"""Portal forms of drafting (the services validate again: a form is for the page)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from recommendations.models.drafting import Level

from .services import MAX_COMMENT


class DraftForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    text = forms.CharField(
        label=_("Recommendation"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Leave an empty line between paragraphs. *Italic*, **bold**, lists with “- ”."),
    )
    rationale = forms.CharField(
        label=_("Why we recommend it"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    impact = forms.CharField(
        label=_("Expected impact"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    addressee = forms.CharField(label=_("Addressed to"), max_length=300, required=False)
    level = forms.ChoiceField(
        label=_("Level of government"), choices=[("", "—"), *Level.choices], required=False
    )
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class CommentForm(forms.Form):
    paragraph = forms.TypedChoiceField(
        label=_("About"), coerce=int, empty_value=None, required=False, choices=[]
    )
    text = forms.CharField(
        label=_("Your comment"), max_length=MAX_COMMENT, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args: object, paragraphs: int = 0, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices: list[tuple[str, Any]] = [("", _("The whole draft"))]
        choices += [(str(n), _("Paragraph %(n)s") % {"n": n}) for n in range(1, paragraphs + 1)]
        self.fields["paragraph"].choices = choices  # type: ignore[attr-defined]


class AmendmentForm(forms.Form):
    proposed = forms.CharField(
        label=_("Your text for this paragraph"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Change the words you want changed; the working group sees the difference."),
    )
    explanation = forms.CharField(
        label=_("Why this change?"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))
