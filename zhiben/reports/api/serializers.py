"""Report API representations (API.md, Public reports). The reporter's name and phone are in no serializer but
the identity answer, which only the reveal service fills."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from zhiben.core.api import BlankOnReadChoiceField, ModelSerializer
from zhiben.reports.models import DESCRIPTION_MAX, TEXT_MAX, Report, Reward
from zhiben.reports.rules import ACCIDENT_LEVELS, BASES
from zhiben.reports.states import Outcome, RewardStatus, Status

MAX_ID = 2**63 - 1


class PublicReportCreateSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=DESCRIPTION_MAX, label=_("what was seen"))
    project = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True,
                                       label=_("project"))
    project_name = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True,
                                         label=_("project as named by the reporter"))
    location = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, label=_("location"))
    region = serializers.RegexField(r"^\d{6}$", required=False, allow_blank=True, label=_("region"))
    anonymous = serializers.BooleanField(default=True, label=_("anonymous"))
    reporter_name = serializers.CharField(max_length=50, required=False, allow_blank=True,
                                          label=_("reporter's name"))
    reporter_phone = serializers.CharField(max_length=20, required=False, allow_blank=True,
                                           label=_("reporter's phone"))
    internal = serializers.BooleanField(default=False, label=_("internal whistleblower"))
    enterprise = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True,
                                          label=_("enterprise"))
    photos = serializers.ListField(child=serializers.FileField(), required=False, max_length=5,
                                   label=_("photos"), help_text=_("Up to 5 photos (JPEG, PNG or WebP), 10 MB each."))


class ReceiptSerializer(serializers.Serializer):
    receipt_code = serializers.CharField()
    access_key = serializers.CharField(help_text=_("Shown once: the platform keeps only its hash."))


class PublicRewardSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=10, decimal_places=0)
    status = serializers.ChoiceField(choices=RewardStatus.choices)


class PublicReportSerializer(serializers.Serializer):
    """What the reporter sees with code and key: status and the public outcome, nothing internal."""

    receipt_code = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    submitted_at = serializers.DateTimeField()
    outcome_text = serializers.CharField(source="public_text")
    reward = serializers.SerializerMethodField()

    @extend_schema_field(PublicRewardSerializer(allow_null=True))
    def get_reward(self, obj):
        reward = obj.rewards.exclude(status=RewardStatus.REJECTED).order_by("-id").first()
        return None if reward is None else {"amount": str(reward.amount), "status": reward.status}


class ReportSerializer(ModelSerializer):
    region = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = ["id", "receipt_code", "internal", "region", "project", "project_name", "enterprise", "location",
                  "description", "anonymous", "status", "outcome", "public_text", "hazard", "duplicate_of",
                  "assigned_to", "due_at", "created_at", "verified_at"]
        read_only_fields = fields

    created_at = serializers.DateTimeField(source="submitted_at", read_only=True)
    outcome = BlankOnReadChoiceField(choices=Outcome.choices, read_only=True,
                                     help_text=_("Empty until the report is verified."))

    @extend_schema_field({"type": "string", "pattern": r"^\d{6}$"})
    def get_region(self, obj) -> str:
        return f"{obj.region_id:06d}"


class AssignSerializer(serializers.Serializer):
    inspector = serializers.IntegerField(min_value=1, max_value=MAX_ID, label=_("inspector"))


class HazardFromReportSerializer(serializers.Serializer):
    project = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, label=_("project"))
    level = serializers.ChoiceField(choices=[("major", _("Major hazard")), ("general", _("General hazard"))],
                                    label=_("level"))
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True, label=_("description"))
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, label=_("location"))
    standard_item = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True,
                                             label=_("standard item"))
    deadline = serializers.DateField(required=False, allow_null=True, label=_("deadline"))


class VerifySerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices, label=_("outcome"))
    note = serializers.CharField(max_length=DESCRIPTION_MAX, label=_("verification note"))
    public_text = serializers.CharField(max_length=DESCRIPTION_MAX, label=_("public outcome"))
    hazard = HazardFromReportSerializer(required=False, allow_null=True)
    hazard_id = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True,
                                         label=_("hazard"))
    duplicate_of = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True,
                                            label=_("duplicate of"))


class RewardProposeSerializer(serializers.Serializer):
    basis = serializers.ChoiceField(choices=list(BASES.items()), label=_("basis"))
    fine_amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=False,
                                           allow_null=True, label=_("fine (yuan)"))
    accident_level = serializers.ChoiceField(choices=list(ACCIDENT_LEVELS.items()), required=False,
                                             allow_null=True, label=_("accident level"))
    persons = serializers.IntegerField(min_value=1, max_value=10000, required=False, allow_null=True,
                                       label=_("persons concealed"))


class RewardDecideSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, label=_("note"))


class RewardPaySerializer(serializers.Serializer):
    paid_on = serializers.DateField(label=_("paid on"))
    reference = serializers.CharField(max_length=100, label=_("payment reference"))


class RewardSerializer(ModelSerializer):
    class Meta:
        model = Reward
        fields = ["id", "report", "amount", "basis", "fine_amount", "accident_level", "persons", "rule_source",
                  "status", "proposed_by", "proposed_at", "approved_by", "decided_at", "claimed_at", "paid_on",
                  "payment_reference"]
        read_only_fields = fields


class IdentitySerializer(serializers.Serializer):
    anonymous = serializers.BooleanField()
    reporter_name = serializers.CharField()
    reporter_phone = serializers.CharField()


class StatisticsQuerySerializer(serializers.Serializer):
    start = serializers.DateField(required=False, label=_("from"))
    end = serializers.DateField(required=False, label=_("to"))

    def to_internal_value(self, data):
        data = {"start": data.get("from"), "end": data.get("to")}
        data = {k: v for k, v in data.items() if v not in (None, "")}
        try:
            values = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            detail = exc.detail if isinstance(exc.detail, dict) else {}
            raise serializers.ValidationError({{"start": "from", "end": "to"}.get(k, k): v
                                               for k, v in detail.items()}) from exc
        from zhiben.core.timeutils import beijing_today

        today = beijing_today()
        values.setdefault("end", today)
        values.setdefault("start", values["end"].replace(month=1, day=1))
        if values["start"] > values["end"]:
            raise serializers.ValidationError({"from": [_("The start comes after the end.")]})
        return values


class RewardClaimSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50, label=_("name of the payee"))
    phone = serializers.CharField(max_length=20, label=_("phone"))
    account = serializers.CharField(max_length=40, label=_("bank card or account number"))


class ClaimantSerializer(serializers.Serializer):
    name = serializers.CharField()
    phone = serializers.CharField()
    account = serializers.CharField()
