"""Organisers' screens for stage 2: recruitment settings, quotas, respondents, pool import.

Respondents (names, contacts, demographic answers) are visible only with
``assemblies.see_personal_data`` (owners and organisers): facilitators and viewers
get a 404, like another tenant's rows.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from assemblies.admin_base import TenantModelAdmin
from assemblies.admin_translations import TranslatedTextsForm, fields_with_boxes, with_translation_boxes
from assemblies.forms import DateListField, JSONListFieldsMixin
from assemblies.rules import SEE_PERSONAL_DATA
from assemblies.selectors import assemblies_where, has_perm_anywhere
from lottery.models import Answer, Category, Feature, RecruitmentSettings, Respondent
from lottery.rules import MANAGE_RECRUITMENT

from . import services
from .screens import proposed_message
from .status import registration_missing


class RecruitmentSettingsForm(TranslatedTextsForm):
    translated = ("privacy_notice", "member_offer")

    class Meta:
        model = RecruitmentSettings
        fields = "__all__"


@admin.register(RecruitmentSettings)
class RecruitmentSettingsAdmin(JSONListFieldsMixin, TenantModelAdmin):
    json_list_fields = {"session_dates": DateListField}
    view_perm = MANAGE_RECRUITMENT
    manage_perm = MANAGE_RECRUITMENT
    form = with_translation_boxes(RecruitmentSettingsForm)
    list_display = [
        "assembly",
        "panel_size",
        "reserves",
        "quota_tolerance",
        "registration_closes_on",
        "panel_final_at",
        "retention_days",
    ]
    list_select_related = ["assembly"]
    readonly_fields = ["unselected_erased_at"]
    fieldsets = [
        (None, {"fields": ["assembly", "panel_size", "reserves", "quota_tolerance"]}),
        (
            _("Registration"),
            {
                "fields": fields_with_boxes(
                    ["registration_closes_on", "session_dates", "privacy_notice_version", "privacy_notice"],
                    RecruitmentSettingsForm.translated,
                )
            },
        ),
        (
            _("Letters"),
            {
                "fields": fields_with_boxes(
                    ["member_offer", "letter_signatory_name", "letter_signatory_role"],
                    RecruitmentSettingsForm.translated,
                ),
                "description": _(
                    "The invitation letter also prints the assembly's contact, the last day to register "
                    "and the session dates."
                ),
            },
        ),
        (
            _("Erasure of people not selected"),
            {"fields": ["panel_final_at", "retention_days", "unselected_erased_at"]},
        ),
    ]

    def render_change_form(self, request: HttpRequest, context: Any, *args: Any, **kwargs: Any) -> Any:
        # Say what residents would miss before the organiser tries to open registration.
        obj = kwargs.get("obj")
        if obj is not None and request.method == "GET":
            missing = registration_missing(obj.assembly, obj)
            if missing:
                messages.warning(
                    request,
                    _("Registration cannot open until you add: %(missing)s.")
                    % {"missing": "; ".join(missing)},
                )
        return super().render_change_form(request, context, *args, **kwargs)


# --- translations of questions and answers -------------------------------------------


def other_languages() -> list[tuple[str, str]]:
    """(code, name) of every site language but the default: the label itself is in the default."""
    default = settings.LANGUAGE_CODE.split("-")[0]
    return [(code, str(name)) for code, name in settings.LANGUAGES if code != default]


def translation_field_name(code: str) -> str:
    return "label_" + code.replace("-", "_").lower()


class LabelTranslationsForm(forms.ModelForm):
    """A plain text box per other language, stored into ``label_translations``.

    Empty boxes mean "not translated" (the default-language label is shown).
    """

    #: "Question" or "Answer": the start of each box's label, e.g. "Question (French)".
    translation_noun: Any = _("Text")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = (
            self.instance.label_translations if isinstance(self.instance.label_translations, dict) else {}
        )
        for code, _name in other_languages():
            name = translation_field_name(code)
            if name in self.fields and code in current and name not in self.initial:
                self.initial[name] = current[code]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        translations: dict[str, str] = {}
        for code, language in other_languages():
            name = translation_field_name(code)
            if name not in self.fields:
                continue
            raw = cleaned.get(name) or ""
            if raw and not raw.strip():
                self.add_error(
                    name,
                    _("The %(language)s text is only spaces: write it or leave the box empty.")
                    % {"language": language},
                )
            elif raw.strip():
                translations[code] = raw.strip()
        self.instance.label_translations = translations
        return cleaned

    def _update_errors(self, errors: ValidationError) -> None:
        # The model checks label_translations, which has no box of its own here.
        if hasattr(errors, "error_dict") and "label_translations" in errors.error_dict:
            error_dict = dict(errors.error_dict)
            moved = error_dict.pop("label_translations")
            error_dict[NON_FIELD_ERRORS] = [*error_dict.get(NON_FIELD_ERRORS, []), *moved]
            errors = ValidationError(error_dict)
        super()._update_errors(errors)  # type: ignore[misc]


def translations_form(base: type[LabelTranslationsForm]) -> type[LabelTranslationsForm]:
    """``base`` with one optional text box per other site language (built from settings.LANGUAGES)."""
    attrs: dict[str, Any] = {}
    for code, language in other_languages():
        attrs[translation_field_name(code)] = forms.CharField(
            label=f"{base.translation_noun} ({language})",
            required=False,
            strip=False,
            max_length=200,
        )
    built: type[LabelTranslationsForm] = type(base)(base.__name__, (base,), attrs)  # type: ignore[misc]
    return built


class CategoryForm(LabelTranslationsForm):
    translation_noun = _("Question")

    class Meta:
        model = Category
        fields = ["assembly", "name", "label", "order", "allow_prefer_not_to_say"]


class FeatureForm(LabelTranslationsForm):
    translation_noun = _("Answer")

    class Meta:
        model = Feature
        fields = [
            "value", "label", "order", "population_share", "min_seats", "max_seats", "min_flex", "max_flex",
        ]  # fmt: skip


class FeatureInline(admin.TabularInline):
    model = Feature
    form = FeatureForm
    fields = ["value", "label", "order", "population_share", "min_seats", "max_seats", "min_flex", "max_flex"]
    extra = 1

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        kwargs["form"] = translations_form(FeatureForm)
        return super().get_formset(request, obj, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        names = [translation_field_name(code) for code, _name in other_languages()]
        fields: list[Any] = list(self.fields or ())
        at = fields.index("label") + 1
        return [*fields[:at], *names, *fields[at:]]

    # Inlines ask Django's model permissions, which organisers do not hold:
    # the parent's rule (manage_recruitment on the category's assembly) decides.
    def _may(self, request: HttpRequest, obj: Any) -> bool:
        if request.user.is_superuser:
            return True
        if obj is None:
            return has_perm_anywhere(request.user, MANAGE_RECRUITMENT)
        return bool(request.user.has_perm(MANAGE_RECRUITMENT, obj.assembly))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj)


@admin.register(Category)
class CategoryAdmin(TenantModelAdmin):
    view_perm = MANAGE_RECRUITMENT
    manage_perm = MANAGE_RECRUITMENT
    list_display = ["label", "name", "assembly", "order", "allow_prefer_not_to_say"]
    list_filter = [("assembly", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["assembly"]
    inlines = [FeatureInline]
    actions = ["propose_seats_action"]
    change_form_template = "admin/lottery/category/change_form.html"
    form = CategoryForm

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        kwargs["form"] = translations_form(CategoryForm)
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Each translation box right after the question it translates.
        names = [translation_field_name(code) for code, _name in other_languages()]
        fields: list[Any] = [f for f in super().get_fields(request, obj) if f not in names]
        at = fields.index("label") + 1 if "label" in fields else len(fields)
        return [*fields[:at], *names, *fields[at:]]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        for inline_form in formset.forms:
            if inline_form.cleaned_data and not inline_form.cleaned_data.get("DELETE"):
                inline_form.instance.assembly_id = form.instance.assembly_id
        super().save_formset(request, form, formset, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if form.instance.allow_prefer_not_to_say:
            services.prefer_not_to_say_feature(form.instance)

    @admin.action(description=_("Propose seats from population shares"))
    def propose_seats_action(self, request: HttpRequest, queryset: QuerySet[Category]) -> None:
        allowed = [c for c in queryset.select_related("assembly") if self.has_change_permission(request, c)]
        services.category_propose_seats(categories=allowed, by=request.user)
        self.message_user(
            request,
            proposed_message(len(allowed)),
            messages.SUCCESS,
        )


class AnswerInline(admin.TabularInline):
    model = Answer
    fields = ["category", "feature"]
    readonly_fields = ["category", "feature"]
    extra = 0
    can_delete = False
    verbose_name_plural = _("demographic answers")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Django also asks without an object (InlineModelAdmin.get_queryset) and
        # empties the rows on False; the respondent's own page checks per object.
        if obj is None:
            return has_perm_anywhere(request.user, SEE_PERSONAL_DATA)
        return bool(request.user.has_perm(SEE_PERSONAL_DATA, obj.assembly))

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Respondent)
class RespondentAdmin(JSONListFieldsMixin, TenantModelAdmin):
    json_list_fields = {"availability": DateListField}
    view_perm = SEE_PERSONAL_DATA
    manage_perm = SEE_PERSONAL_DATA
    list_display = ["pseudonym", "first_name", "last_name", "email", "status", "source", "created_at"]
    list_filter = ["status", "source", ("assembly", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["assembly"]
    search_fields = ["first_name", "last_name", "email"]
    readonly_fields = [
        "assembly", "pseudonym", "source", "invitation", "language", "consent_version", "consented_at",
        "status", "reserve_position", "member", "created_at",
    ]  # fmt: skip
    fields = [
        "assembly", "pseudonym", "source", "status", "first_name", "last_name", "email", "phone", "address",
        "postcode", "household", "language", "availability", "access_needs", "access_need_list",
        "interpreter_language", "consent_version", "consented_at", "created_at",
    ]  # fmt: skip
    inlines = [AnswerInline]
    actions = ["export_csv_action"]
    change_form_template = "admin/lottery/respondent/change_form.html"
    change_list_template = "admin/lottery/respondent/change_list.html"

    # Only those who may see personal data; anyone else: the pages do not exist.
    def _sees_respondents(self, request: HttpRequest) -> bool:
        return has_perm_anywhere(request.user, SEE_PERSONAL_DATA)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return qs
        return qs.filter(assembly__in=assemblies_where(request.user, SEE_PERSONAL_DATA).values("pk"))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._sees_respondents(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return self._sees_respondents(request)
        return super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False  # people register with their code, or come in through the pool import

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # "Erase now" (audited, with the outbox and address) instead

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        if not self._sees_respondents(request):
            raise Http404
        return super().changelist_view(request, extra_context)

    @admin.action(description=_("Export the selected people's data (CSV)"))
    def export_csv_action(self, request: HttpRequest, queryset: QuerySet[Respondent]) -> HttpResponse:
        chunks = []
        for respondent in queryset.select_related("assembly"):
            chunks.append(services.respondent_export(respondent=respondent, by=request.user).as_csv())
        body = b"".join(chunks)
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="respondents.csv"'
        return response
