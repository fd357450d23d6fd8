"""Forms of the tracker: organisers' response and milestone forms, the
institution's own entry, members' ratings and the public follow form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import (
    ImpactArea,
    ImpactType,
    ImplementationStatus,
    Institution,
    Milestone,
    MilestoneKind,
    ResponseStatus,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ResponseForm(forms.Form):
    status = forms.ChoiceField(label=_("Response"), choices=ResponseStatus.choices)
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.none(), required=False
    )
    responded_on = forms.DateField(label=_("Date of the response"), required=False, widget=DateInput())
    due_on = forms.DateField(label=_("Response due by"), required=False, widget=DateInput())
    justification = forms.CharField(
        label=_("Justification"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    source_url = forms.URLField(label=_("Source document"), required=False, assume_scheme="https")
    is_published = forms.BooleanField(label=_("Shown in public"), required=False)

    def __init__(self, *args: Any, assembly: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = Institution.objects.filter(assembly=assembly)  # type: ignore[attr-defined]


class MilestoneForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    title = forms.CharField(label=_("What happened"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=MilestoneKind.choices, initial=MilestoneKind.OTHER)
    status = forms.ChoiceField(
        label=_("Implementation status after it"), choices=ImplementationStatus.choices
    )
    evidence_url = forms.URLField(label=_("Evidence (a web address)"), required=False, assume_scheme="https")
    enacted_text = forms.CharField(
        label=_("What was enacted (for a weaker form)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class NotesForm(forms.Form):
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ImpactForm(forms.Form):
    area = forms.ChoiceField(label=_("Area"), choices=ImpactArea.choices)
    kind = forms.ChoiceField(label=_("Type"), choices=ImpactType.choices)
    description = forms.CharField(label=_("What changed"), max_length=300, required=False)
    milestone = forms.ModelChoiceField(
        label=_("Milestone (optional)"), queryset=Milestone.objects.none(), required=False
    )

    def __init__(self, *args: Any, recommendation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = Milestone.objects.filter(recommendation=recommendation)  # type: ignore[attr-defined]


class LinkForm(forms.Form):
    email = forms.EmailField(label=_("Send the link to"), required=False)


class InstitutionEntryForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Your response"),
        choices=[c for c in ResponseStatus.choices if c[0] != ResponseStatus.NO_RESPONSE],
    )
    responded_on = forms.DateField(label=_("Date of your response"), widget=DateInput())
    justification = forms.CharField(
        label=_("Your reasons"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    source_url = forms.URLField(
        label=_("Link to the formal document (optional)"), required=False, assume_scheme="https"
    )


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Your rating, from 0 (very poor) to 10 (excellent)"),
        choices=[(i, str(i)) for i in range(11)],
        coerce=int,
        widget=forms.RadioSelect,
    )


class FollowForm(forms.Form):
    email = forms.EmailField(label=_("Your email address"))
    recommendation = forms.IntegerField(required=False, widget=forms.HiddenInput)
