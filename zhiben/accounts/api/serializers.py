"""Users API (API.md, Users): translate JSON to the account services and back."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from zhiben.accounts.models import Role, User
from zhiben.core.api import (
    BlankOnReadChoiceField,
    DivisionCodeField,
    MaskedFieldsMixin,
    ModelSerializer,
    ScopedPrimaryKeyField,
)
from zhiben.core.masking import mask_phone
from zhiben.registry.selectors import enterprises_visible_to, projects_visible_to, regions_visible_to


class UserSerializer(MaskedFieldsMixin, ModelSerializer):
    """A user with role and scope. `region` is a division code; `enterprise`/`project` are ids the caller sees;
    the password is write-only and checked against the password policy by the service."""

    masked_fields = {"phone": mask_phone}

    password = serializers.CharField(
        write_only=True, required=False, trim_whitespace=False, style={"input_type": "password"},
        label=_("password"),
    )
    role = BlankOnReadChoiceField(choices=Role.choices, label=_("role"),
                                  help_text=_("Reads as empty for a platform administrator"))
    region = DivisionCodeField(regions_visible_to, required=False, allow_null=True, label=_("region"))
    enterprise = ScopedPrimaryKeyField(enterprises_visible_to, required=False, allow_null=True,
                                       label=_("enterprise"))
    project = ScopedPrimaryKeyField(projects_visible_to, required=False, allow_null=True, label=_("project"))

    class Meta:
        model = User
        fields = ["id", "username", "password", "role", "region", "enterprise", "project", "display_name",
                  "phone", "is_active", "last_login", "date_joined"]
        read_only_fields = ["id", "last_login", "date_joined"]
        # Uniqueness is checked once, by the model inside the service.
        extra_kwargs = {"username": {"validators": []}}

    def validate(self, attrs):
        if self.instance is None and not attrs.get("password"):
            raise serializers.ValidationError({"password": [_("This field is required.")]})
        return attrs


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("username"), max_length=150)
    password = serializers.CharField(label=_("password"), style={"input_type": "password"}, trim_whitespace=False,
                                     max_length=4096)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
