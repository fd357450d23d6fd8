from __future__ import annotations

from rest_framework import serializers

from .models import Assembly, AuditEvent, Member, Stage


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

    class Meta:
        model = Assembly
        fields = ["id", "slug", "title", "remit", "description", "organisation", "kind", "parent",
                  "stage", "is_public", "languages", "starts_on", "ends_on", "created_at"]  # fmt: skip
        read_only_fields = ["stage", "organisation", "kind", "parent", "created_at"]


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
