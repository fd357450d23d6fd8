"""The public registration forms (stage 2) and the organisers' pool import form."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from assemblies.models import Assembly
from lottery.models import CODE_ALPHABET, CODE_LENGTH, PREFER_NOT_TO_SAY, Category, RecruitmentSettings

#: Prefix of the demographic fields: ``category_<id>``.
CATEGORY_PREFIX = "category_"

_SEPARATORS = re.compile(r"[\s\-–—_.]+")


def normalise_code(raw: str) -> str:
    """What a person typed from the letter, as stored: upper case, no spaces or dashes."""
    return _SEPARATORS.sub("", raw or "").upper()


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your registration code"),
        help_text=_("It is printed on your letter: 8 letters and numbers, for example ACDE-FG34."),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "autocorrect": "off",
                "class": "input--code",
            }
        ),
        error_messages={"required": _("Enter the registration code from your letter.")},
    )

    def add_error(self, field: str | None, error: Any) -> None:
        # The details step refuses a code (used meanwhile, registration closed)
        # on a fresh, unbound form; Django's add_error expects cleaned_data,
        # which only a bound form that was cleaned has.
        if not hasattr(self, "cleaned_data"):
            self.cleaned_data = {}
        super().add_error(field, error)

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
            # Same words as an unknown code: the shape alone says nothing useful.
            raise forms.ValidationError(UNKNOWN_CODE_MESSAGE, code="unknown")
        return code


UNKNOWN_CODE_MESSAGE = _(
    "We could not find this code. Check it against your letter: it has 8 letters and numbers."
)
USED_CODE_MESSAGE = _(
    "This code has already been used to register someone at this address. Each letter lets one "
    "person per household register. If no one at your address registered, please contact the organisers."
)


def session_date_choices(settings: RecruitmentSettings) -> list[tuple[str, str]]:
    """Session dates are stored as ISO dates ("2026-03-07"); shown in the reader's format."""
    choices = []
    for raw in settings.session_dates or []:
        value = str(raw)
        try:
            label = date_format(dt.date.fromisoformat(value), "DATE_FORMAT")
        except ValueError:
            label = value
        choices.append((value, label))
    return choices


#: Needs a registrant can tick; the same values as deliberation's AccessNeed
#: (deliberation reads them into each member's participant record).
ACCESS_NEED_CHOICES = [
    ("step_free", _("Step-free access (no stairs)")),
    ("interpreter", _("An interpreter (including sign language)")),
    ("hearing_loop", _("A hearing loop")),
    ("diet", _("A special diet")),
    ("childcare", _("Childcare during the sessions")),
]


class RegistrationForm(forms.Form):
    """Contact details, consent, the assembly's demographic questions, availability, access needs.

    The demographic fields are built from the assembly's categories
    (``category_<id>``, radio buttons); "prefer not to say" is offered only
    where the organisers allow it.
    """

    first_name = forms.CharField(
        label=_("First name"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
        error_messages={"required": _("Enter your first name.")},
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
        error_messages={"required": _("Enter your last name.")},
    )
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("We use it only to tell you whether you were selected."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter an email address like name@example.org."),
        },
    )
    phone = forms.CharField(
        label=_("Phone number (optional)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
    )

    def __init__(
        self,
        *args: Any,
        assembly: Assembly,
        settings: RecruitmentSettings,
        language: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.assembly = assembly
        self.recruitment = settings
        # Questions and answers in the reader's language where the organisers translated them.
        self.language = language or translation.get_language() or ""
        self.categories = list(
            Category.objects.filter(assembly=assembly).prefetch_related("features").order_by("order", "id")
        )
        for category in self.categories:
            question = category.label_in(self.language)
            choices: list[tuple[str, Any]] = [
                (f.value, f.label_in(self.language))
                for f in category.features.all()
                if f.value != PREFER_NOT_TO_SAY
            ]
            if category.allow_prefer_not_to_say:
                choices.append((PREFER_NOT_TO_SAY, _("Prefer not to say")))
            self.fields[f"{CATEGORY_PREFIX}{category.pk}"] = forms.ChoiceField(
                label=question,
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose an answer to “%(question)s”.") % {"question": question}
                },
            )
        dates = session_date_choices(settings)
        if dates:
            self.fields["availability"] = forms.MultipleChoiceField(
                label=_("Which session dates could you attend?"),
                help_text=_("Tick every date you could come. Being unsure does not stop you being selected."),
                choices=dates,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        self.fields["access_need_list"] = forms.MultipleChoiceField(
            label=_("Do you need any of these to take part? (optional)"),
            help_text=_("Tick all that apply. The organisers use this to plan the venue and the day."),
            choices=ACCESS_NEED_CHOICES,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["interpreter_language"] = forms.CharField(
            label=_("If you need an interpreter: which language? (optional)"),
            help_text=_("For example British Sign Language, Polish or Arabic."),
            required=False,
            max_length=80,
        )
        self.fields["access_needs"] = forms.CharField(
            label=_("Other access needs (optional)"),
            help_text=_(
                "For example step-free access, a hearing loop, a sign language interpreter, "
                "childcare or dietary needs."
            ),
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
        self.fields["consent"] = forms.BooleanField(
            label=_(
                "I have read the privacy notice above (version %(version)s) and agree that my answers "
                "are used to select the assembly."
            )
            % {"version": settings.privacy_notice_version},
            required=True,
            error_messages={
                "required": _("Tick the box to agree to the privacy notice, or we cannot register you.")
            },
        )

    @property
    def contact_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("first_name", "last_name", "email", "phone")]

    @property
    def question_fields(self) -> list[forms.BoundField]:
        return [self[f"{CATEGORY_PREFIX}{c.pk}"] for c in self.categories]

    def answers(self) -> dict[int, str]:
        """Category id → feature value, from cleaned data."""
        return {c.pk: self.cleaned_data[f"{CATEGORY_PREFIX}{c.pk}"] for c in self.categories}

    def registration_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "first_name": data["first_name"].strip(),
            "last_name": data["last_name"].strip(),
            "email": data["email"].strip(),
            "phone": data.get("phone", "").strip(),
            "availability": list(data.get("availability", [])),
            "access_needs": data.get("access_needs", "").strip(),
            "access_need_list": list(data.get("access_need_list", [])),
            "interpreter_language": data.get("interpreter_language", "").strip(),
            "consent": data["consent"],
            "answers": self.answers(),
        }


class PoolImportForm(forms.Form):
    assembly = forms.ModelChoiceField(label=_("Assembly"), queryset=Assembly.objects.none())
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_(
            "One row per person. Columns: first_name, last_name, email, and optionally phone, address, "
            "postcode, household, language, access_needs; then one column per category, named by its key, "
            "holding the answer's key or wording."
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Preview only: check the file and save nothing"), required=False, initial=True
    )

    def __init__(self, *args: Any, assemblies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assembly"].queryset = assemblies  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload
