from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .models import Assembly, AuditEvent, Member, Stage

DATES_OUT_OF_ORDER = _("The end date is before the start date.")


class PublicAssemblySerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name", read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:public-assembly-detail", lookup_field="slug")
    page = serializers.SerializerMethodField()

    class Meta:
        model = Assembly
        fields = ["url", "slug", "title", "remit", "description", "organisation", "kind", "stage",
                  "languages", "starts_on", "ends_on", "page"]  # fmt: skip

    def get_page(self, obj: Assembly) -> str:
        request = self.context.get("request")
        path = obj.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class ManagedAssemblySerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name", read_only=True)
    # Codes of the site's languages only, as the admin's checkboxes allow
    # (assemblies.forms.LanguagesField). Stored as JSON, so anything else (a
    # string, an object, an unknown code) was kept as typed, and a NUL was a 500.
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=settings.LANGUAGES), required=False, max_length=20
    )

    class Meta:
        model = Assembly
        fields = ["id", "slug", "title", "remit", "description", "organisation", "kind", "parent",
                  "stage", "is_public", "languages", "starts_on", "ends_on", "created_at"]  # fmt: skip
        read_only_fields = ["stage", "organisation", "kind", "parent", "created_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # The database refuses dates out of order (a CheckConstraint); say so
        # as a 400 on the field, counting the stored date a PATCH leaves alone.
        starts_on = attrs.get("starts_on", getattr(self.instance, "starts_on", None))
        ends_on = attrs.get("ends_on", getattr(self.instance, "ends_on", None))
        if starts_on and ends_on and ends_on < starts_on:
            raise serializers.ValidationError({"ends_on": [str(DATES_OUT_OF_ORDER)]})
        if "languages" in attrs:
            attrs["languages"] = list(dict.fromkeys(attrs["languages"]))  # each once, in the given order
        return attrs


class TransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=Stage.choices)


class MemberSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)

    class Meta:
        model = Member
        fields = ["id", "display_name", "email", "role", "status", "joined_at"]


class AuditEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.email", default=None, read_only=True)

    class Meta:
        model = AuditEvent
        fields = ["id", "created_at", "actor", "action", "object_type", "object_id", "object_repr", "data"]
