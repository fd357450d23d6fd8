"""Organiser admin of speakers, topics and evidence (imported by
deliberation.admin). The balance screen and file downloads are in
``deliberation.evidence.screens``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from assemblies.admin_base import TenantModelAdmin
from assemblies.models import Assembly
from assemblies.selectors import assemblies_for_organiser
from deliberation.models import AgendaItem, Evidence, Question, Speaker, Topic
from deliberation.rules import MANAGE_PROGRAMME, VIEW_PROGRAMME

from . import services


class ProgrammeAdmin(TenantModelAdmin):
    view_perm = VIEW_PROGRAMME
    manage_perm = MANAGE_PROGRAMME

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        """Topics, speakers and agenda items only from the user's assemblies."""
        visible = assemblies_for_organiser(request.user).values("pk")
        if db_field.related_model in (Topic, Speaker):
            kwargs["queryset"] = db_field.related_model.objects.filter(assembly__in=visible).select_related(
                "assembly"
            )
        elif db_field.related_model is AgendaItem:
            kwargs["queryset"] = AgendaItem.objects.filter(session__assembly__in=visible).select_related(
                "session"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Topic)
class TopicAdmin(ProgrammeAdmin):
    list_display = ["name", "assembly", "position", "speaker_count"]
    list_filter = [("assembly", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["assembly"]
    search_fields = ["name"]
    fields = ["assembly", "name", "position"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        from django.db.models import Count

        return super().get_queryset(request).annotate(n_speakers=Count("speakers"))

    @admin.display(description=_("speakers"), ordering="n_speakers")
    def speaker_count(self, obj: Any) -> int:
        return int(obj.n_speakers)


class SpeakerForm(forms.ModelForm):
    class Meta:
        model = Speaker
        fields = [
            "assembly",
            "name",
            "kind",
            "organisation",
            "topic",
            "stance",
            "position",
            "interests",
            "biography",
            "is_public",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        topic, assembly = data.get("topic"), data.get("assembly")
        if topic is not None and assembly is not None and topic.assembly_id != assembly.pk:
            self.add_error("topic", _("This topic belongs to another assembly."))
        return data


@admin.register(Speaker)
class SpeakerAdmin(ProgrammeAdmin):
    form = SpeakerForm
    list_display = ["name", "kind", "organisation", "topic", "stance", "position", "assembly"]
    list_filter = [("assembly", admin.RelatedOnlyFieldListFilter), "kind", "stance"]
    list_select_related = ["assembly", "topic"]
    search_fields = ["name", "organisation", "position"]
    readonly_fields = ["speaks_at"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(SpeakerForm.Meta.fields)
        return [*fields, "speaks_at"] if obj is not None else fields

    @admin.display(description=_("speaks at"))
    def speaks_at(self, obj: Speaker) -> Any:
        items = obj.items.select_related("session").order_by("session__starts_at", "position")
        if not items:
            return _("Not on any agenda yet.")
        return format_html_join(
            mark_safe("<br>"),
            "{} — {} ({})",
            ((i.session.title, i.title, date_format(localtime(i.session.starts_at), "j M Y")) for i in items),
        )


class EvidenceForm(forms.ModelForm):
    # Not the model's field: the upload goes through ``services.evidence_save``,
    # which checks it and stores it privately (the admin's own file widget
    # would link to /media/, which the web server never serves).
    upload = forms.FileField(label=_("File"), required=False)

    class Meta:
        model = Evidence
        fields = ["assembly", "title", "kind", "item", "topic", "speaker", "summary", "url", "is_published"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["upload"].help_text = _(
            "PDF, Word, PowerPoint, OpenDocument or an image, up to %(mb)s MB. "
            "Stored privately: only the people allowed can download it."
        ) % {"mb": services.evidence_max_bytes() // 1_000_000}

    def clean_upload(self) -> Any:
        upload = self.cleaned_data.get("upload")
        if upload:
            services.check_evidence_file(upload)
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        assembly: Assembly | None = data.get("assembly")
        if assembly is not None:
            item, topic, speaker = data.get("item"), data.get("topic"), data.get("speaker")
            if item is not None and item.session.assembly_id != assembly.pk:
                self.add_error("item", _("This agenda item belongs to another assembly."))
            if topic is not None and topic.assembly_id != assembly.pk:
                self.add_error("topic", _("This topic belongs to another assembly."))
            if speaker is not None and speaker.assembly_id != assembly.pk:
                self.add_error("speaker", _("This speaker belongs to another assembly."))
        kind = data.get("kind")
        if kind == "recording" and not data.get("url"):
            self.add_error("url", _("A recording needs a link."))
        has_file = bool(data.get("upload")) or bool(self.instance.pk and self.instance.file)
        if (
            kind in ("document", "slides")
            and not has_file
            and not data.get("url")
            and "upload" not in self.errors
        ):
            self.add_error("upload", _("Upload a file or give a link."))
        return data


@admin.register(Evidence)
class EvidenceAdmin(ProgrammeAdmin):
    form = EvidenceForm
    list_display = ["title", "kind", "item", "speaker", "assembly", "is_published", "download"]
    list_filter = [("assembly", admin.RelatedOnlyFieldListFilter), "kind", "is_published"]
    list_select_related = ["assembly", "item", "speaker"]
    search_fields = ["title", "summary"]
    readonly_fields = ["file_details", "published_at"]
    actions = ["publish_action", "unpublish_action"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(EvidenceForm.Meta.fields)
        fields.insert(fields.index("url"), "upload")
        if obj is not None:
            fields.insert(fields.index("upload"), "file_details")
            fields.append("published_at")
        return fields

    @admin.display(description=_("file"))
    def file_details(self, obj: Evidence) -> Any:
        if not obj.file:
            return "—"
        url = reverse("admin:deliberation_evidence_file", args=[obj.pk])
        return format_html(
            '<a href="{}">{}</a> ({} · {} kB)', url, obj.file_name, obj.content_type, max(1, obj.size // 1000)
        )

    @admin.display(description=_("download"))
    def download(self, obj: Evidence) -> Any:
        if obj.file:
            return format_html(
                '<a href="{}">{}</a>',
                reverse("admin:deliberation_evidence_file", args=[obj.pk]),
                obj.file_name,
            )
        if obj.url:
            return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', obj.url, _("Link"))
        return "—"

    def save_model(self, request: HttpRequest, obj: Evidence, form: Any, change: bool) -> None:
        if not request.user.has_perm(MANAGE_PROGRAMME, obj.assembly):
            raise PermissionDenied
        services.evidence_save(evidence=obj, upload=form.cleaned_data.get("upload") or None, by=request.user)

    def delete_model(self, request: HttpRequest, obj: Evidence) -> None:
        services.evidence_delete(evidence=obj, by=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Evidence]) -> None:
        for obj in queryset.select_related("assembly"):
            services.evidence_delete(evidence=obj, by=request.user)

    def _publish(self, request: HttpRequest, queryset: QuerySet[Evidence], published: bool) -> int:
        done = 0
        for obj in queryset.select_related("assembly"):
            if not request.user.has_perm(MANAGE_PROGRAMME, obj.assembly):
                continue
            try:
                services.evidence_publish(evidence=obj, published=published, by=request.user)
                done += 1
            except ValidationError as exc:
                messages.error(request, f"{obj.title}: {' '.join(exc.messages)}")
        return done

    @admin.action(description=_("Publish in the public evidence library"))
    def publish_action(self, request: HttpRequest, queryset: QuerySet[Evidence]) -> None:
        n = self._publish(request, queryset, True)
        self.message_user(
            request,
            ngettext("%(n)s item published.", "%(n)s items published.", n) % {"n": n},
            messages.SUCCESS,
        )

    @admin.action(description=_("Take out of the public evidence library"))
    def unpublish_action(self, request: HttpRequest, queryset: QuerySet[Evidence]) -> None:
        n = self._publish(request, queryset, False)
        self.message_user(
            request,
            ngettext("%(n)s item taken out.", "%(n)s items taken out.", n) % {"n": n},
            messages.SUCCESS,
        )


@admin.register(Question)
class QuestionAdmin(ProgrammeAdmin):
    """Read-only for organisers: facilitators handle questions in the portal."""

    assembly_path = "session__assembly"
    list_display = ["short_text", "session", "speaker", "status", "order", "merged_into"]
    list_filter = [("session__assembly", admin.RelatedOnlyFieldListFilter), "status"]
    list_select_related = ["session", "speaker", "merged_into"]
    readonly_fields = _QUESTION_FIELDS = (
        "session",
        "item",
        "speaker",
        "text",
        "status",
        "merged_into",
        "order",
        "created_at",
    )
    fields = _QUESTION_FIELDS

    @admin.display(description=_("question"))
    def short_text(self, obj: Question) -> str:
        return obj.text[:100]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
