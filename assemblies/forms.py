from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
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


# --- JSON lists edited as organisers think of them (never as JSON) ----------------------


def _as_list(value: Any) -> list[Any]:
    """A stored JSON list (or its text, when the form is shown again) as a list."""
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip().startswith("[") else value.splitlines()
        except ValueError:
            value = value.splitlines()
    return list(value or [])


class _JSONListField:
    """Accepts the keyword arguments a model JSONField hands its form field
    (``admin.formfield_overrides = {models.JSONField: {"form_class": ...}}``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.pop("encoder", None)
        kwargs.pop("decoder", None)
        super().__init__(*args, **kwargs)


class LanguagesField(_JSONListField, forms.MultipleChoiceField):
    """The languages an assembly works in: a checkbox per site language."""

    widget = forms.CheckboxSelectMultiple(attrs={"class": "plenary-checkboxes"})
    default_error_messages = {
        "required": _("Tick at least one language the assembly works in."),
        "invalid_choice": _("“%(value)s” is not one of the site’s languages."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.pop("max_length", None)
        kwargs["required"] = True
        kwargs.setdefault(
            "help_text", _("Residents and members can use the assembly's pages in these languages.")
        )
        super().__init__(*args, choices=list(settings.LANGUAGES), **kwargs)

    def prepare_value(self, value: Any) -> list[str]:
        return [str(code) for code in _as_list(value)]

    def clean(self, value: Any) -> list[str]:
        chosen = super().clean(value)
        order = [code for code, _name in settings.LANGUAGES]
        return sorted(set(chosen), key=order.index)


def _parse_date(text: str) -> dt.date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


class DateListField(_JSONListField, forms.CharField):
    """Dates, one per line (stored as ISO dates, sorted, each once)."""

    widget = forms.Textarea(attrs={"rows": 4, "cols": 20, "class": "plenary-lines"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text", _("One date per line, e.g. 2026-03-07 or 07/03/2026. Leave empty for none.")
        )
        super().__init__(*args, **kwargs)

    def prepare_value(self, value: Any) -> str:
        lines = _as_list(value)
        return "\n".join(str(line) for line in lines)

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = value if isinstance(value, str) else "\n".join(str(v) for v in _as_list(value))
        dates: set[dt.date] = set()
        errors = []
        for number, line in enumerate(text.splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            parsed = _parse_date(line)
            if parsed is None:
                errors.append(
                    ValidationError(
                        _("Line %(line)s: “%(text)s” is not a date. Write one per line, e.g. 2026-03-07."),
                        code="invalid",
                        params={"line": number, "text": line[:40]},
                    )
                )
            else:
                dates.add(parsed)
        if errors:
            raise ValidationError(errors)
        return [d.isoformat() for d in sorted(dates)]

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")


def dates_text(values: list[str]) -> str:
    """ISO dates as the reader's dates, for read-only displays."""
    out = []
    for value in values or []:
        try:
            out.append(date_format(dt.date.fromisoformat(str(value)), "DATE_FORMAT"))
        except ValueError:
            out.append(str(value))
    return ", ".join(out)


class JSONListFieldsMixin:
    """For a ModelAdmin: show the named JSON list fields with the form field
    given (``json_list_fields = {"languages": LanguagesField}``), never as JSON."""

    json_list_fields: dict[str, type[forms.Field]] = {}

    def formfield_for_dbfield(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        form_class = self.json_list_fields.get(db_field.name)
        if form_class is not None:
            return db_field.formfield(form_class=form_class, **kwargs)
        return super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]
