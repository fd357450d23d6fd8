from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.services import check_email_attachable

from .models import Member, TeamMembership


class PersonByEmailMixin(forms.ModelForm):
    """Pick a person by typing their email, never from a list of every user
    of the platform (which would leak other organisations' people)."""

    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("An account is created for this address if there is none yet."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.user_id:
            self.fields["email"].initial = self.instance.user.email
            self.fields["email"].disabled = True

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if not self.instance.user_id:  # a plain form error, not a 500 from ensure_user in save
            check_email_attachable(email=email)
        return email


class MemberAdminForm(PersonByEmailMixin):
    class Meta:
        model = Member
        fields = ["assembly", "email", "display_name", "role", "status"]


class TeamMembershipAdminForm(PersonByEmailMixin):
    class Meta:
        model = TeamMembership
        fields = ["team", "email", "role", "assembly"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        team, assembly = data.get("team"), data.get("assembly")
        if team and assembly and assembly.organisation_id != team.organisation_id:
            self.add_error("assembly", _("This assembly belongs to another organisation."))
        return data
