"""Registry API serializers (API.md, Registry): the named fields keep their names; extras are read-only
context (qualifications, participants, dangerous works, employments) or write-only inputs of the services.

Regions travel as 6-digit code strings, related objects as ids the caller may see; resident ID numbers and
phones are masked unless the view unmasks them (core.api.RevealAuditMixin)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from zhiben.core.api import DivisionCodeField, MaskedFieldsMixin, ModelSerializer, ScopedPrimaryKeyField
from zhiben.core.masking import mask_id_number, mask_phone
from zhiben.core.scoping import scope_of
from zhiben.registry import selectors
from zhiben.registry.models import (
    Certificate,
    DangerousWork,
    Employment,
    Enterprise,
    Person,
    Project,
    ProjectParticipant,
    Qualification,
    Region,
    expiry_status,
)


class NormalizedCodeField(serializers.CharField):
    """An identifier typed by people: surrounding blanks dropped and letters upper-cased before validation."""

    def to_internal_value(self, data):
        return super().to_internal_value(data).strip().upper()


# Derived status of anything with an expiry date (registry.models.expiry_status).
EXPIRY_STATUSES = [
    ("valid", _("Valid")), ("expiring", _("Expiring within 30 days")), ("expired", _("Expired")),
    ("revoked", _("Revoked")), ("unknown", _("Unknown")),
]


def _expiry_status_field():
    return serializers.ChoiceField(choices=EXPIRY_STATUSES, read_only=True)


# --- Regions ---------------------------------------------------------------------------------------------


class RegionSerializer(ModelSerializer):
    code = serializers.SerializerMethodField(help_text=_("6-digit division code"))
    parent = DivisionCodeField(read_only=True, help_text=_("Code of the parent region, null for a province"))

    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent"]

    @extend_schema_field({"type": "string", "pattern": r"^\d{6}$", "example": "141122"})
    def get_code(self, obj: Region) -> str:
        return f"{obj.code:06d}"


# --- Enterprises -----------------------------------------------------------------------------------------


class QualificationSerializer(ModelSerializer):
    status = serializers.SerializerMethodField()

    class Meta:
        model = Qualification
        fields = ["id", "category", "name", "grade", "certificate_no", "expires", "status"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_status(self, obj: Qualification) -> str:
        return expiry_status(obj.expires)


class EnterpriseSerializer(ModelSerializer):
    uscc = NormalizedCodeField(max_length=18, label=_("unified social credit code"))
    region = DivisionCodeField(selectors.regions_visible_to, label=_("region"))
    principal = ScopedPrimaryKeyField(selectors.persons_visible_to, required=False, allow_null=True,
                                      label=_("principal"), help_text=_("Person id; refused if under a lifetime ban"))
    actual_controller = ScopedPrimaryKeyField(
        selectors.persons_visible_to, required=False, allow_null=True, label=_("actual controller"),
        help_text=_("Person id; refused if under a lifetime ban"),
    )
    safety_director = ScopedPrimaryKeyField(selectors.persons_visible_to, required=False, allow_null=True,
                                            label=_("safety director"))
    licence_status = _expiry_status_field()
    qualifications = QualificationSerializer(many=True, read_only=True)

    class Meta:
        model = Enterprise
        fields = [
            "id", "name", "uscc", "region", "principal", "actual_controller", "safety_licence_no",
            "safety_licence_expires", "standardization_level",
            "address", "legal_representative", "safety_director", "safety_licence_issued", "licence_status",
            "phone", "qualifications", "created_at", "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    def get_fields(self):
        fields = super().get_fields()
        # The model field's validators (check character) apply to the normalised value; uniqueness is
        # checked by the model inside the service, once.
        fields["uscc"].validators = list(Enterprise._meta.get_field("uscc").validators)
        return fields


# --- Projects --------------------------------------------------------------------------------------------


class ParticipantSerializer(ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = ProjectParticipant
        fields = ["enterprise", "enterprise_name", "role"]
        read_only_fields = fields


class DangerousWorkSerializer(ModelSerializer):
    class Meta:
        model = DangerousWork
        fields = ["id", "category", "description", "over_threshold", "plan_approved", "expert_reviewed", "status"]
        read_only_fields = fields


class ProjectSerializer(ModelSerializer):
    region = DivisionCodeField(selectors.regions_visible_to, label=_("region"))
    contractor = ScopedPrimaryKeyField(
        selectors.enterprises_visible_to, required=False, label=_("contractor"),
        help_text=_("Enterprise id; enterprise users may leave it out to name their own enterprise"),
    )
    contractor_name = serializers.CharField(source="contractor.name", read_only=True)
    manager = ScopedPrimaryKeyField(
        selectors.persons_visible_to, required=False, allow_null=True, label=_("project manager"),
        help_text=_("Person id; refused if under a lifetime ban"),
    )
    participants = ParticipantSerializer(many=True, read_only=True)
    dangerous_works = DangerousWorkSerializer(many=True, read_only=True)

    class Meta:
        model = Project
        fields = [
            "id", "name", "region", "address", "contractor", "manager", "status",
            "contractor_name", "kind", "stage", "permit_no", "permit_date", "contract_amount", "floor_area",
            "start_date", "planned_completion", "participants", "dangerous_works", "created_at", "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    def validate(self, attrs):
        if self.instance is None and "contractor" not in attrs:
            scope = scope_of(self.context["request"].user)
            contractor = (
                selectors.enterprises_visible_to(self.context["request"].user).filter(pk=scope.enterprise).first()
                if scope.kind == "enterprise" else None
            )
            if contractor is None:
                raise serializers.ValidationError({"contractor": [_("This field is required.")]})
            attrs["contractor"] = contractor
        return attrs


# --- Persons ---------------------------------------------------------------------------------------------


class EmploymentSerializer(ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    project_name = serializers.CharField(source="project.name", read_only=True, default=None, allow_null=True)
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = Employment
        fields = ["id", "enterprise", "enterprise_name", "project", "project_name", "kind", "position", "started",
                  "ended", "is_active"]
        read_only_fields = fields


class PersonCertificateSerializer(ModelSerializer):
    status = _expiry_status_field()

    class Meta:
        model = Certificate
        fields = ["id", "kind", "number", "issued", "expires", "status"]
        read_only_fields = fields


class PersonSerializer(MaskedFieldsMixin, ModelSerializer):
    """A person. On write `id_number` is checked (format, birth date, check digit); on read it and `phone`
    are masked unless the caller holds registry.view_sensitive_person."""

    masked_fields = {"id_number": mask_id_number, "phone": mask_phone}

    id_number = NormalizedCodeField(
        max_length=18, label=_("resident ID number"),
        help_text=_("Checked on write; masked on read (e.g. 1411**********1234) unless you may see it"),
    )
    region = DivisionCodeField(selectors.regions_visible_to, required=False, label=_("registered in"),
                               help_text=_("May be left out by a county regulator, an enterprise user or a project "
                                           "user (their county, enterprise's or project's region is used); "
                                           "required from callers whose scope is wider"))
    gender = serializers.ChoiceField(
        choices=Person.Gender.choices, allow_blank=True, read_only=True,
        help_text=_("Empty unless the resident ID number is shown unmasked"),
    )
    certificate_count = serializers.SerializerMethodField()
    employment_kind = serializers.ChoiceField(
        choices=Employment.Kind.choices, write_only=True, required=False, label=_("employment type"),
        help_text=_("Enterprise and project users: the form of employment recorded with the person"),
    )
    position = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=64,
                                     label=_("position"))

    class Meta:
        model = Person
        fields = ["id", "name", "id_number", "phone", "region", "gender", "certificate_count", "employment_kind",
                  "position", "created_at", "updated_at"]
        read_only_fields = ["id", "gender", "created_at", "updated_at"]

    def get_fields(self):
        fields = super().get_fields()
        fields["id_number"].validators = list(Person._meta.get_field("id_number").validators)
        return fields

    @extend_schema_field(OpenApiTypes.INT)
    def get_certificate_count(self, obj: Person) -> int:
        count = getattr(obj, "certificate_count", None)  # annotated by the list selector
        if count is None:  # the detail selector prefetches the certificates
            count = len(obj.certificates.all())
        return count

    def to_representation(self, instance):
        data = super().to_representation(instance)
        # The gender is digit 17 of the ID number: shown only with the number itself.
        if not self.context.get("reveal"):
            data["gender"] = ""
        return data


class PersonDetailSerializer(PersonSerializer):
    employments = EmploymentSerializer(many=True, read_only=True,
                                       help_text=_("Employments the caller may see"))
    certificates = PersonCertificateSerializer(many=True, read_only=True)

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "employments", "certificates"]


# --- Certificates ----------------------------------------------------------------------------------------


class CertificateSerializer(ModelSerializer):
    person = ScopedPrimaryKeyField(selectors.persons_visible_to, label=_("person"))
    person_name = serializers.CharField(source="person.name", read_only=True)
    status = _expiry_status_field()

    class Meta:
        model = Certificate
        fields = ["id", "person", "kind", "number", "issued", "expires", "status",
                  "person_name", "issuer", "revoked", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]

    def validate(self, attrs):
        issued = attrs.get("issued", getattr(self.instance, "issued", None))
        expires = attrs.get("expires", getattr(self.instance, "expires", None))
        if issued and expires and expires < issued:
            raise serializers.ValidationError({"expires": [_("The expiry date cannot be before the issue date.")]})
        return attrs
