from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from zhiben.accounts.models import Role, User
from zhiben.registry.models import Region
from zhiben.registry.selectors import enterprises_visible_to, projects_visible_to


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A related id that must be visible to the caller: unknown and out-of-scope ids read the same."""

    def __init__(self, selector, **kwargs):
        self.selector = selector
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.selector(self.context["request"].user)


class UserSerializer(serializers.ModelSerializer):
    password = serializers.CharField(write_only=True, required=False, style={"input_type": "password"},
                                     label=_("password"))
    role = serializers.ChoiceField(choices=Role.choices)
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all(), required=False,
                                          allow_null=True)
    enterprise = ScopedPrimaryKeyField(enterprises_visible_to, required=False, allow_null=True)
    project = ScopedPrimaryKeyField(projects_visible_to, required=False, allow_null=True)

    class Meta:
        model = User
        fields = ["id", "username", "password", "role", "region", "enterprise", "project", "display_name",
                  "phone", "is_active", "last_login", "date_joined"]
        read_only_fields = ["id", "last_login", "date_joined"]
        extra_kwargs = {"username": {"validators": []}}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["region"] = str(instance.region_id) if instance.region_id else None
        return data

    def validate(self, attrs):
        if self.instance is None and not attrs.get("password"):
            raise serializers.ValidationError({"password": [_("This field is required.")]})
        return attrs


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("username"))
    password = serializers.CharField(label=_("password"), style={"input_type": "password"}, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
