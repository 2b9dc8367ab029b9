"""Standards API shapes (API.md, Standards). Reads are model serializers; writes are plain serializers whose
validated data goes to the services."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from zhiben.core.api import ModelSerializer
from zhiben.standards.models import Standard, StandardItem

READ_FIELDS = [
    "id", "code", "title", "version", "effective_from",  # fixed by API.md
    "kind", "effective_to", "document_no", "issuer", "status", "trust", "region", "item_count",
    "unverified_item_count", "source", "notes", "published_on", "based_on",
]


class StandardSerializer(ModelSerializer):
    region = serializers.SerializerMethodField(help_text=_("Division code of a regional version; null if national."))
    item_count = serializers.SerializerMethodField()
    unverified_item_count = serializers.SerializerMethodField(
        help_text=_("Items whose text or details are not verified against the official document."))

    class Meta:
        model = Standard
        fields = READ_FIELDS
        read_only_fields = READ_FIELDS

    @extend_schema_field({"type": "string", "nullable": True, "pattern": r"^\d{6}$", "example": "141122"})
    def get_region(self, obj: Standard) -> str | None:
        return f"{obj.region_id:06d}" if obj.region_id else None

    def get_item_count(self, obj: Standard) -> int:
        count = getattr(obj, "item_count", None)
        return obj.items.count() if count is None else count

    def get_unverified_item_count(self, obj: Standard) -> int:
        count = getattr(obj, "unverified_count", None)
        return obj.items.filter(verified=False).count() if count is None else count


class StandardDetailSerializer(StandardSerializer):
    """One version with its rules (article texts, score-table weights and scoring rules, as shipped)."""

    class Meta(StandardSerializer.Meta):
        fields = [*READ_FIELDS, "rules"]
        read_only_fields = fields


class _RejectUnknownMixin:
    """A write body naming a field that cannot be written is a 400, not silently ignored."""

    def validate(self, attrs):
        unknown = set(getattr(self, "initial_data", {}) or {}) - set(self.fields)
        if unknown:
            raise serializers.ValidationError({name: [_("This field cannot be changed here.")] for name in unknown})
        return attrs


class StandardUpdateSerializer(_RejectUnknownMixin, serializers.Serializer):
    title = serializers.CharField(max_length=200)
    version = serializers.CharField(max_length=32)
    document_no = serializers.CharField(max_length=64, allow_blank=True)
    issuer = serializers.CharField(max_length=100, allow_blank=True)
    published_on = serializers.DateField(allow_null=True)
    effective_from = serializers.DateField(help_text=_("Planned date; the date given on publishing decides."))
    source = serializers.CharField(allow_blank=True)
    trust = serializers.ChoiceField(choices=Standard.Trust.choices)
    notes = serializers.CharField(allow_blank=True, trim_whitespace=False)


class StandardCopySerializer(_RejectUnknownMixin, serializers.Serializer):
    version = serializers.CharField(max_length=32, help_text=_("Label of the new version, e.g. 2025."))
    title = serializers.CharField(max_length=200, required=False, allow_blank=True,
                                  help_text=_("Defaults to the title of the version copied."))


class StandardPublishSerializer(_RejectUnknownMixin, serializers.Serializer):
    effective_from = serializers.DateField(help_text=_("First day in force; the current version ends the day "
                                                       "before."))


ITEM_FIELDS = ["id", "code", "category", "text", "level", "legal_source", "verified", "extra", "position"]


class StandardItemSerializer(ModelSerializer):
    class Meta:
        model = StandardItem
        fields = [*ITEM_FIELDS, "standard"]
        read_only_fields = fields


class StandardItemWriteSerializer(_RejectUnknownMixin, serializers.Serializer):
    code = serializers.CharField(max_length=32)
    category = serializers.CharField(max_length=100, required=False, allow_blank=True)
    text = serializers.CharField()
    level = serializers.ChoiceField(choices=StandardItem.Level.choices)
    legal_source = serializers.CharField(max_length=300, required=False, allow_blank=True)
    verified = serializers.BooleanField(required=False)
    extra = serializers.JSONField(required=False, help_text=_("A JSON object of further details."))

    def validate_extra(self, value):
        if not isinstance(value, dict):
            raise serializers.ValidationError(_("Details must be a JSON object."))
        return value


class StandardBriefSerializer(ModelSerializer):
    class Meta:
        model = Standard
        fields = ["id", "code", "title", "version", "kind"]
        read_only_fields = fields


class ItemInForceSerializer(ModelSerializer):
    standard = StandardBriefSerializer(read_only=True)

    class Meta:
        model = StandardItem
        fields = [*ITEM_FIELDS, "standard"]
        read_only_fields = fields


class ItemsInForceQuerySerializer(serializers.Serializer):
    found_on = serializers.DateField(required=False, help_text=_("The day the hazard was found (Beijing); "
                                                                 "default today."))
    region = serializers.RegexField(r"^\d{6}$", required=False, help_text=_(
        "Division code of the hazard's project: only versions applying there, regional ones superseding "
        "national ones."), error_messages={"invalid": _("Enter a 6-digit administrative division code.")})
    kind = serializers.ChoiceField(choices=[(k, label) for k, label in Standard.Kind.choices
                                            if k != Standard.Kind.SCORE_TABLE], required=False)
