"""Organiser admin of sessions and their agenda (imported by deliberation.admin).

A session's page lists its agenda items in order, each with its computed
start and end; the agenda's length is checked against the session's on every
save. Saving goes through ``services.session_update`` so that a change of
time or place is told to the members once."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assemblies.admin_base import TenantModelAdmin
from assemblies.models import Assembly, MemberRole, Role
from assemblies.selectors import assemblies_for_organiser, has_perm_anywhere
from deliberation.models import AgendaItem, Session, Speaker, Topic
from deliberation.rules import MANAGE_PROGRAMME, VIEW_PROGRAMME

from . import services
from .selectors import TimedItem, agenda_timeline, session_length


def _hm(value: Any) -> str:
    return formats.time_format(timezone.localtime(value), "H:i")


def facilitator_choices(assemblies: QuerySet[Assembly]) -> QuerySet[Any]:
    """People who can facilitate in ``assemblies``: team members with the
    facilitator role there, and members taking part as facilitators."""
    ids = assemblies.values("pk")
    orgs = assemblies.values("organisation")
    team = Q(
        team_memberships__role=Role.FACILITATOR,
        team_memberships__team__organisation__in=orgs,
    ) & (Q(team_memberships__assembly__isnull=True) | Q(team_memberships__assembly__in=ids))
    members = Q(assembly_memberships__role=MemberRole.FACILITATOR, assembly_memberships__assembly__in=ids)
    return get_user_model().objects.filter(team | members).distinct().order_by("first_name", "username")


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["assembly", *services.EDITABLE_FIELDS]
        help_texts = {
            "title_translations": _(
                'The title in the assembly\'s other languages, e.g. {"fr": "Week-end 1"}.'
            ),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        probe = Session(**{name: data.get(name) for name in services.EDITABLE_FIELDS if name in data})
        try:
            services.check_session_fields(probe)
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                if name not in self.errors:
                    self.add_error(name, errors)
        return data


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 1
    ordering = ["position", "id"]
    fields = ["position", "times", "kind", "title", "minutes", "topic", "speakers", "facilitators", "move"]
    readonly_fields = ["times", "move"]
    show_change_link = False

    # Inlines ask Django's model permissions, which organisers do not hold:
    # the programme's rules on the session's assembly decide.
    def _may(self, request: HttpRequest, obj: Session | None, perm: str) -> bool:
        if request.user.is_superuser:
            return True
        if obj is None:
            return has_perm_anywhere(request.user, perm)
        return bool(request.user.has_perm(perm, obj.assembly))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj, VIEW_PROGRAMME)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj, MANAGE_PROGRAMME)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj, MANAGE_PROGRAMME)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj, MANAGE_PROGRAMME)

    def get_formset(self, request: HttpRequest, obj: Session | None = None, **kwargs: Any) -> Any:
        self._session = obj
        self._times: dict[int, TimedItem] | None = None
        return super().get_formset(request, obj, **kwargs)

    def _scope(self, request: HttpRequest) -> QuerySet[Assembly]:
        session = getattr(self, "_session", None)
        if session is not None:
            return Assembly.objects.filter(pk=session.assembly_id)
        return assemblies_for_organiser(request.user)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.related_model is Topic:
            kwargs["queryset"] = Topic.objects.filter(assembly__in=self._scope(request).values("pk"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        scope = self._scope(request)
        if db_field.related_model is Speaker:
            kwargs["queryset"] = Speaker.objects.filter(assembly__in=scope.values("pk"))
        else:
            kwargs["queryset"] = facilitator_choices(scope)
        kwargs["widget"] = forms.SelectMultiple(attrs={"size": 3})
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _timed(self, obj: AgendaItem) -> TimedItem | None:
        if not obj.pk:
            return None
        if self._times is None:
            session = obj.session
            self._times = {t.item.pk: t for t in agenda_timeline(session)}
        return self._times.get(obj.pk)

    @admin.display(description=_("time"))
    def times(self, obj: AgendaItem) -> Any:
        timed = self._timed(obj)
        if timed is None:
            return "—"
        text = f"{_hm(timed.starts_at)}–{_hm(timed.ends_at)}"
        if timed.over:
            return format_html(
                '<strong class="agenda-time agenda-time--over">{}<br>({})</strong>',
                text,
                gettext("over time"),
            )
        return format_html('<span class="agenda-time">{}</span>', text)

    @admin.display(description=_("move"))
    def move(self, obj: AgendaItem) -> Any:
        if not obj.pk:
            return ""
        return format_html_join(
            " ",
            '<button type="submit" class="button" formmethod="post" formaction="{}" '
            'formnovalidate aria-label="{}">{}</button>',
            (
                (
                    reverse(f"admin:deliberation_agendaitem_{direction}", args=[obj.pk]),
                    label % {"title": obj.title},
                    arrow,
                )
                for direction, label, arrow in (
                    ("up", gettext("Move “%(title)s” up"), "↑"),
                    ("down", gettext("Move “%(title)s” down"), "↓"),
                )
            ),
        )


@admin.register(Session)
class SessionAdmin(TenantModelAdmin):
    form = SessionForm
    view_perm = VIEW_PROGRAMME
    manage_perm = MANAGE_PROGRAMME
    inlines = [AgendaItemInline]
    list_display = ["title", "assembly", "when", "mode", "venue_name", "is_public", "status", "agenda_check"]
    list_filter = [("assembly", admin.RelatedOnlyFieldListFilter), "status", "mode", "is_public"]
    list_select_related = ["assembly"]
    search_fields = ["title", "venue_name"]
    ordering = ["starts_at", "id"]
    readonly_fields = ["agenda_check"]

    class Media:
        css = {"all": ["deliberation/sessions/admin.css"]}

    def get_fieldsets(self, request: HttpRequest, obj: Session | None = None) -> Any:
        return [
            (None, {"fields": ["assembly", "title", "status", "is_public", "agenda_check"]}),
            (_("When"), {"fields": ["starts_at", "ends_at"]}),
            (
                _("Where"),
                {"fields": ["mode", "venue_name", "venue_address", "access_info", "online_url"]},
            ),
            (_("For members"), {"fields": ["notes_for_members", "title_translations"]}),
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Session | None = None) -> Any:
        # A session stays in its assembly (its agenda, speakers and evidence do).
        return ["agenda_check", "assembly"] if obj is not None else ["agenda_check"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).prefetch_related("items")

    @admin.display(description=_("when"), ordering="starts_at")
    def when(self, obj: Session) -> str:
        start = timezone.localtime(obj.starts_at)
        return f"{formats.date_format(start, 'D j M Y')} {_hm(obj.starts_at)}–{_hm(obj.ends_at)}"

    @admin.display(description=_("agenda"))
    def agenda_check(self, obj: Session) -> Any:
        if obj is None or not obj.pk:
            return "—"
        items = list(obj.items.all())
        total = sum(item.minutes for item in items)
        if warning := services.agenda_warning(obj, items):
            return format_html('<strong class="errornote-inline">{}</strong>', warning)
        return gettext("%(total)s of %(length)s minutes planned.") % {
            "total": total,
            "length": session_length(obj),
        }

    def save_model(self, request: HttpRequest, obj: Session, form: Any, change: bool) -> None:
        data = {
            name: form.cleaned_data[name] for name in services.EDITABLE_FIELDS if name in form.cleaned_data
        }
        if not change:
            services.session_create(
                assembly=form.cleaned_data["assembly"], data=data, by=request.user, into=obj
            )
            return
        changed = {name: data[name] for name in form.changed_data if name in data}
        before = obj.sequence
        services.session_update(session=obj, data=changed, by=request.user)
        if obj.sequence != before and obj.ends_at > timezone.now():
            messages.info(request, gettext("The members are told of the new time or place by email, once."))

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is AgendaItem:
            session = form.instance
            last = max(session.items.values_list("position", flat=True), default=0)
            for inline_form in formset.forms:
                item = inline_form.instance
                if not item.pk and inline_form.has_changed() and not inline_form.cleaned_data.get("position"):
                    last += 1
                    item.position = last
        super().save_formset(request, form, formset, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        session = form.instance
        services.agenda_normalise(session=session)
        # A fresh read: the change page's session has its items prefetched from before the save.
        if warning := services.agenda_warning(session, list(session.items.order_by("position", "id"))):
            messages.warning(request, warning)


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = [
            "session",
            "position",
            "kind",
            "title",
            "description",
            "minutes",
            "topic",
            "speakers",
            "facilitators",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        session: Session | None = data.get("session")
        if session is not None:
            topic = data.get("topic")
            if topic is not None and topic.assembly_id != session.assembly_id:
                self.add_error("topic", _("This topic belongs to another assembly."))
            for speaker in data.get("speakers") or []:
                if speaker.assembly_id != session.assembly_id:
                    self.add_error(
                        "speakers", _("%(name)s speaks in another assembly.") % {"name": speaker.name}
                    )
        return data


@admin.register(AgendaItem)
class AgendaItemAdmin(TenantModelAdmin):
    """Agenda items one by one (their session's page lists them in order)."""

    form = AgendaItemForm
    assembly_path = "session__assembly"
    view_perm = VIEW_PROGRAMME
    manage_perm = MANAGE_PROGRAMME
    list_display = ["title", "session", "position", "kind", "minutes", "topic"]
    list_filter = ["kind"]
    list_select_related = ["session", "topic"]
    ordering = ["session__starts_at", "session", "position", "id"]
    search_fields = ["title"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        visible = assemblies_for_organiser(request.user).values("pk")
        if db_field.related_model is Session:
            kwargs["queryset"] = Session.objects.filter(assembly__in=visible).select_related("assembly")
        elif db_field.related_model is Topic:
            kwargs["queryset"] = Topic.objects.filter(assembly__in=visible)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        visible = assemblies_for_organiser(request.user)
        if db_field.related_model is Speaker:
            kwargs["queryset"] = Speaker.objects.filter(assembly__in=visible.values("pk"))
        else:
            kwargs["queryset"] = facilitator_choices(visible)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
