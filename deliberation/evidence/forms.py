"""The member's question form (portal)."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from assemblies.models import Assembly
from deliberation.models import Speaker

from . import services


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        from django.utils import formats, timezone

        when = formats.date_format(timezone.localtime(obj.starts_at), "l j F")
        return f"{obj.title} ({when})"


class QuestionForm(forms.Form):
    session = SessionChoiceField(label=_("Session"), queryset=None, empty_label=None)
    speaker: forms.ModelChoiceField[Speaker] = forms.ModelChoiceField(
        label=_("To which speaker? (optional)"),
        queryset=None,
        required=False,
        empty_label=_("Any speaker"),
    )
    text = forms.CharField(
        label=_("Your question"),
        max_length=services.QUESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Other members do not see who asked it."),
        error_messages={"required": _("Write your question.")},
    )
    client_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args: Any, assembly: Assembly, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sessions = services.sessions_open_for_questions(assembly.pk)
        self.fields["session"].queryset = sessions  # type: ignore[attr-defined]
        self.fields["speaker"].queryset = (  # type: ignore[attr-defined]
            Speaker.objects.filter(assembly=assembly, items__session__in=sessions).distinct().order_by("name")
        )
        if not self.is_bound:
            self.initial["client_key"] = secrets.token_hex(16)
