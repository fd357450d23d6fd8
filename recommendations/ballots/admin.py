"""Organisers' admin of ballots, priority votes and minority statements
(imported by recommendations.admin). There is deliberately no admin for
``Vote`` or ``Participation``: organisers see counts only, on the screens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from assemblies.admin_base import TenantModelAdmin
from assemblies.selectors import assemblies_for_organiser

from ..models import Amendment, Ballot, BallotStatus, MinorityStatement, PriorityRound, Recommendation
from ..rules import MANAGE_RECOMMENDATIONS, VIEW_RECOMMENDATIONS


class DecidingAdmin(TenantModelAdmin):
    view_perm = VIEW_RECOMMENDATIONS
    manage_perm = MANAGE_RECOMMENDATIONS

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        visible = assemblies_for_organiser(request.user).values("pk")
        if db_field.related_model is Recommendation:
            kwargs["queryset"] = Recommendation.objects.filter(assembly__in=visible)
        elif db_field.related_model is Amendment:
            kwargs["queryset"] = Amendment.objects.filter(
                recommendation__assembly__in=visible
            ).select_related("recommendation")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.related_model is Recommendation:
            visible = assemblies_for_organiser(request.user).values("pk")
            kwargs["queryset"] = Recommendation.objects.filter(assembly__in=visible)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class BallotForm(forms.ModelForm):
    class Meta:
        model = Ballot
        fields = [
            "assembly", "recommendation", "amendment", "question", "kind", "threshold", "abstentions_count",
            "quorum", "opens_at", "closes_at", "show_running_results",
        ]  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        assembly, rec, amendment = data.get("assembly"), data.get("recommendation"), data.get("amendment")
        if (rec is None) == (amendment is None):
            raise forms.ValidationError(_("Choose either a recommendation or an amendment (one of them)."))
        target = rec.assembly_id if rec is not None else amendment.recommendation.assembly_id  # type: ignore[union-attr]
        if assembly is not None and target != assembly.pk:
            self.add_error(
                "recommendation" if rec else "amendment",
                _("This belongs to another assembly than the ballot."),
            )
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The ballot must close after it opens."))
        return data


@admin.register(Ballot)
class BallotAdmin(DecidingAdmin):
    form = BallotForm
    list_display = ["question", "assembly", "target", "status", "opens_at", "closes_at", "screen_link"]
    list_filter = [("assembly", admin.RelatedOnlyFieldListFilter), "status"]
    list_select_related = ["assembly", "recommendation", "amendment__recommendation"]
    search_fields = ["question"]

    def get_readonly_fields(self, request: HttpRequest, obj: Ballot | None = None) -> Any:
        # Once open, the rules of a ballot are part of its record: nothing changes.
        if obj is not None and obj.status != BallotStatus.DRAFT:
            return list(BallotForm.Meta.fields)
        return []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.status != BallotStatus.DRAFT:
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description=_("on"))
    def target(self, obj: Ballot) -> str:
        if obj.recommendation_id:
            return str(obj.recommendation)
        return str(obj.amendment) if obj.amendment_id else ""

    @admin.display(description=_("results"))
    def screen_link(self, obj: Ballot) -> str:
        url = reverse("admin:recommendations_ballot_assembly", args=[obj.assembly_id])
        return format_html('<a href="{}#ballot-{}">{}</a>', url, obj.pk, _("Open, close, results"))


@admin.register(PriorityRound)
class PriorityRoundAdmin(DecidingAdmin):
    list_display = ["question", "assembly", "method", "dots", "status"]
    list_filter = [("assembly", admin.RelatedOnlyFieldListFilter), "status"]
    list_select_related = ["assembly"]
    fields = ["assembly", "question", "method", "dots", "recommendations", "closes_at"]
    filter_horizontal = ["recommendations"]

    def get_readonly_fields(self, request: HttpRequest, obj: PriorityRound | None = None) -> Any:
        if obj is not None and obj.status != BallotStatus.DRAFT:
            return ["assembly", "question", "method", "dots", "recommendations"]
        return []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.status != BallotStatus.DRAFT:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(MinorityStatement)
class MinorityStatementAdmin(DecidingAdmin):
    """Read only: statements are the members' words. The author is not shown
    (an anonymous statement stays anonymous here too)."""

    assembly_path = "recommendation__assembly"
    list_display = ["recommendation", "signature", "created_at", "withdrawn_at"]
    list_filter = [("recommendation__assembly", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["recommendation"]
    fields = ["recommendation", "text", "signed_as", "created_at", "withdrawn_at"]
    readonly_fields = ["recommendation", "text", "signed_as", "created_at", "withdrawn_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).select_related("recommendation__assembly")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("signed by"))
    def signature(self, obj: MinorityStatement) -> str:
        return obj.signed_as or str(_("Anonymous"))
