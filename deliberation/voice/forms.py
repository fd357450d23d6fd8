"""Forms of members' voice and care: one subject and message box per language
of the assembly, the concern box, the code of conduct."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from assemblies.models import Assembly

from ..models import Audience, ConcernStatus, Session
from . import audiences, selectors
from .services import BODY_MAX, CONCERN_MAX, SUBJECT_MAX


def language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code))


class AnnouncementForm(forms.Form):
    audience = forms.ChoiceField(label=_("Send to"), choices=Audience.choices, widget=forms.RadioSelect)
    session = forms.ModelChoiceField(
        label=_("Session"), queryset=Session.objects.none(), required=False, empty_label=_("Choose a session")
    )
    table = forms.TypedChoiceField(label=_("Table"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, assembly: Assembly, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.assembly = assembly
        self.languages = selectors.assembly_languages(assembly)
        self.fields["session"].queryset = Session.objects.filter(assembly=assembly)  # type: ignore[attr-defined]
        self.tables = selectors.tables_of(assembly)
        if self.tables:
            self.fields["table"].choices = [("", _("Choose a table")), *self.tables]  # type: ignore[attr-defined]
        else:
            del self.fields["table"]
            self.fields["audience"].choices = [  # type: ignore[attr-defined]
                c for c in Audience.choices if c[0] != Audience.TABLE
            ]
        audience_field: Any = self.fields["audience"]
        audience_field.choices = [c for c in audience_field.choices if c[0] != Audience.GROUP]
        # Kinds of group other apps add (a working group): a choice each, and
        # which group of this assembly, when the assembly has any.
        self.group_keys: list[str] = []
        for extra in audiences.extra_audiences():
            if extra.key in Audience.values:
                continue
            groups = extra.choices(assembly)
            if not groups:
                continue
            self.group_keys.append(extra.key)
            audience_field.choices = [*audience_field.choices, (extra.key, extra.label)]
            self.fields[f"group_{extra.key}"] = forms.TypedChoiceField(
                label=extra.label,
                coerce=int,
                required=False,
                empty_value=None,
                choices=[("", _("Choose one")), *groups],
            )
        self.fields["audience"].initial = Audience.ALL
        for index, code in enumerate(self.languages):
            required = index == 0
            name = language_name(code)
            self.fields[f"subject_{code}"] = forms.CharField(
                label=_("Subject (%(language)s)") % {"language": name},
                max_length=SUBJECT_MAX,
                required=required,
            )
            self.fields[f"body_{code}"] = forms.CharField(
                label=_("Message (%(language)s)") % {"language": name},
                max_length=BODY_MAX,
                required=required,
                widget=forms.Textarea(attrs={"rows": 8}),
                help_text="" if required else _("Empty: members reading this language get the first one."),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        audience = data.get("audience")
        if audience == Audience.SESSION and not data.get("session"):
            self.add_error("session", _("Choose the session whose members receive it."))
        if audience == Audience.TABLE and not data.get("table"):
            self.add_error("table", _("Choose the table whose members receive it."))
        if audience in self.group_keys and not data.get(f"group_{audience}"):
            self.add_error(f"group_{audience}", _("Choose the group whose members receive it."))
        return data

    @property
    def group_fields(self) -> list[Any]:
        return [self[f"group_{key}"] for key in self.group_keys]

    def audience_value(self) -> str:
        """The stored audience: a kind of group another app adds is ``Audience.GROUP``."""
        audience = str(self.cleaned_data.get("audience") or "")
        return str(Audience.GROUP) if audience in self.group_keys else audience

    def group(self) -> tuple[str | None, int | None]:
        """(kind, id) of the chosen group, when the audience is one."""
        audience = str(self.cleaned_data.get("audience") or "")
        if audience not in self.group_keys:
            return None, None
        return audience, self.cleaned_data.get(f"group_{audience}")

    @property
    def language_fields(self) -> list[tuple[str, Any, Any]]:
        return [(language_name(c), self[f"subject_{c}"], self[f"body_{c}"]) for c in self.languages]

    def subjects(self) -> dict[str, str]:
        return {c: self.cleaned_data.get(f"subject_{c}") or "" for c in self.languages}

    def bodies(self) -> dict[str, str]:
        return {c: self.cleaned_data.get(f"body_{c}") or "" for c in self.languages}

    def table_object(self) -> Any:
        if self.cleaned_data.get("audience") != Audience.TABLE:
            return None
        return selectors.table_of(self.assembly, self.cleaned_data.get("table"))


class ConcernForm(forms.Form):
    text = forms.CharField(
        label=_("What concerns you?"),
        max_length=CONCERN_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Only the organisers who look after members read this. Other members never see it."),
    )


class ConcernUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ConcernStatus.choices)
    note = forms.CharField(
        label=_("Note to the member"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The member reads this next to the status of their concern."),
    )


class CareForm(forms.Form):
    code_of_conduct = forms.CharField(
        label=_("Code of conduct"), required=False, widget=forms.Textarea(attrs={"rows": 10})
    )
    safeguarding_contacts = forms.CharField(
        label=_("Safeguarding contacts"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One person a line: name, role, how to reach them."),
    )

    def __init__(self, *args: Any, assembly: Assembly, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.other_languages = selectors.assembly_languages(assembly)[1:]
        for code in self.other_languages:
            self.fields[f"code_of_conduct_{code}"] = forms.CharField(
                label=_("Code of conduct (%(language)s)") % {"language": language_name(code)},
                required=False,
                widget=forms.Textarea(attrs={"rows": 10}),
            )

    def translations(self) -> dict[str, str]:
        return {c: self.cleaned_data.get(f"code_of_conduct_{c}") or "" for c in self.other_languages}
