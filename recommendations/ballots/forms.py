"""Members' and organisers' forms for deciding."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from assemblies.models import Member

from ..models import Ballot, MinorityStatement, PriorityMethod, PriorityRound
from .selectors import option_label
from .services import choices_for, voters


class VoteForm(forms.Form):
    choice = forms.ChoiceField(label=_("Your vote"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, ballot: Ballot, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice = self.fields["choice"]
        assert isinstance(choice, forms.ChoiceField)
        choice.choices = [(c, option_label(ballot.kind, c)) for c in choices_for(ballot.kind)]
        self.fields["choice"].error_messages["required"] = _("Choose one option to vote.")


class AssistedVoteForm(VoteForm):
    member = forms.ModelChoiceField(
        label=_("Member"),
        queryset=Member.objects.none(),
        help_text=_("The member whose paper ballot this is."),
    )

    def __init__(self, *args: Any, ballot: Ballot, **kwargs: Any) -> None:
        super().__init__(*args, ballot=ballot, **kwargs)
        member = self.fields["member"]
        assert isinstance(member, forms.ModelChoiceField)
        member.queryset = voters(ballot.assembly).order_by("display_name", "id")
        self.order_fields(["member", "choice"])


class PriorityForm(forms.Form):
    """One number field per recommendation: dots, or a rank."""

    def __init__(self, *args: Any, round_: PriorityRound, recommendations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ranking = round_.method == PriorityMethod.RANKING
        for rec in recommendations:
            self.fields[f"rec_{rec.pk}"] = forms.IntegerField(
                label=f"{rec.number}. {rec.title}",
                min_value=0 if not ranking else 1,
                max_value=round_.dots,
                required=False,
                help_text=_("Rank (1 = most important), or leave empty") if ranking else _("Dots"),
            )
        self.recommendations = recommendations

    def allocation(self) -> dict[int, int]:
        return {
            rec.pk: int(self.cleaned_data.get(f"rec_{rec.pk}") or 0)
            for rec in self.recommendations
            if self.cleaned_data.get(f"rec_{rec.pk}")
        }


class MinorityStatementForm(forms.ModelForm):
    class Meta:
        model = MinorityStatement
        fields = ["text", "signed_as"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}
