"""Hazard API representations (API.md, Hazards): field names exactly as the contract gives them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from zhiben.core.api import ModelSerializer
from zhiben.core.timeutils import beijing_today
from zhiben.hazards.models import Attachment, Hazard, HazardEvent
from zhiben.hazards.states import LIVE, Channel, Level


class HazardSerializer(ModelSerializer):
    region = serializers.SerializerMethodField()
    is_overdue = serializers.SerializerMethodField()
    project_name = serializers.CharField(source="project.name", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = Hazard
        fields = [
            "id", "code", "project", "enterprise", "region", "channel", "level", "standard_item", "description",
            "location", "found_at", "deadline", "status", "is_stock", "is_overdue", "escalation_level",
            "duplicate_of", "possible_duplicate_of", "first_channel", "original_deadline", "closed_at",
            "notified_at", "acknowledged_at", "project_name", "enterprise_name", "created_at", "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "pattern": r"^\d{6}$"})
    def get_region(self, obj) -> str:
        return f"{obj.region_id:06d}"

    def get_is_overdue(self, obj) -> bool:
        today = self.context.setdefault("today", beijing_today())
        return obj.status in LIVE and today > obj.deadline


class HazardDetailSerializer(HazardSerializer):
    actions = serializers.SerializerMethodField()

    class Meta(HazardSerializer.Meta):
        fields = [*HazardSerializer.Meta.fields, "actions"]
        read_only_fields = fields

    def get_actions(self, obj) -> list[str]:
        from zhiben.hazards.services import allowed_actions

        request = self.context.get("request")
        return allowed_actions(request.user, obj) if request else []


class HazardCreateSerializer(serializers.Serializer):
    project = serializers.IntegerField(min_value=1, max_value=2**63 - 1, label=_("project"))
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.SELF, label=_("channel"))
    level = serializers.ChoiceField(choices=Level.choices, label=_("level"))
    standard_item = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False, allow_null=True,
                                             label=_("standard item"))
    description = serializers.CharField(max_length=5000, label=_("description"))
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, label=_("location on site"))
    found_at = serializers.DateTimeField(required=False, label=_("found at"))
    deadline = serializers.DateField(required=False, label=_("deadline"))


class HazardUpdateSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=Level.choices, required=False)
    standard_item = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False, allow_null=True)
    description = serializers.CharField(max_length=5000, required=False)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True)
    deadline = serializers.DateField(required=False)


class SubmitSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    attachments = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
                                        required=False, default=list, max_length=50)
    measures = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    responsible_person = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    funds = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True)
    completed_on = serializers.DateField(required=False, allow_null=True)
    contingency_plan = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReopenSerializer(ReasonSerializer):
    deadline = serializers.DateField(required=False, allow_null=True)


class VoidSerializer(ReasonSerializer):
    duplicate_of = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False, allow_null=True)


class ExtensionSerializer(serializers.Serializer):
    new_deadline = serializers.DateField()
    reason = serializers.CharField(max_length=2000)


class EscalateSerializer(serializers.Serializer):
    level = serializers.IntegerField(min_value=1, max_value=3)
    reason = serializers.CharField(max_length=2000)


class EmptySerializer(serializers.Serializer):
    pass


class EventSerializer(ModelSerializer):
    actor = serializers.CharField(source="actor_name", read_only=True)
    actor_id = serializers.IntegerField(read_only=True, allow_null=True,
                                        help_text=_("null when the system made the change, or the account was removed"))

    class Meta:
        model = HazardEvent
        fields = ["seq", "at", "effective_at", "actor", "actor_id", "action", "from_status", "to_status", "data",
                  "hash", "prev_hash"]
        read_only_fields = fields


class AttachmentSerializer(ModelSerializer):
    download = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "hazard", "rectification", "original_name", "content_type", "size", "sha256", "uploaded_at",
                  "download"]
        read_only_fields = fields

    def get_download(self, obj) -> str:
        from django.urls import reverse

        return reverse("hazards:attachment", args=[obj.pk])


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField()


