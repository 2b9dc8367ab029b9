"""core.api.ModelSerializer builds its fields once per class; every instance must still get fields of its own."""

from __future__ import annotations

import pytest
from rest_framework import serializers

from zhiben.core.api import ModelSerializer
from zhiben.registry.models import Region


class _Regions(ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name", "level"]


class _Adjusted(_Regions):
    def get_fields(self):
        fields = super().get_fields()
        fields["name"].read_only = True
        return fields


def test_fields_are_those_drf_builds():
    class Plain(serializers.ModelSerializer):
        class Meta:
            model = Region
            fields = ["code", "name", "level"]

    ours, drf = _Regions().fields, Plain().fields
    assert list(ours) == list(drf)
    for name in ours:
        assert type(ours[name]) is type(drf[name])
        assert repr(ours[name]) == repr(drf[name])


def test_each_instance_gets_its_own_unbound_copies():
    first, second = _Regions(), _Regions(context={"x": 1})
    assert first.fields["name"] is not second.fields["name"]
    assert first.fields["name"].parent is first
    assert second.fields["name"].parent is second
    first.fields["name"].read_only = True
    assert not _Regions().fields["name"].read_only


@pytest.mark.django_db
def test_a_subclass_adjusting_its_fields_does_not_change_the_parent():
    assert _Adjusted().fields["name"].read_only
    assert not _Regions().fields["name"].read_only
    adjusted = _Adjusted(data={"code": 999998, "name": "x", "level": "county"})
    assert adjusted.is_valid(), adjusted.errors
    assert "name" not in adjusted.validated_data


@pytest.mark.django_db
def test_validation_still_runs_per_instance():
    bad = _Regions(data={"code": 1, "name": "x" * 500, "level": "nowhere"})
    assert not bad.is_valid()
    assert set(bad.errors) >= {"level"}
    good = _Regions(data={"code": 999999, "name": "测试", "level": "county"})
    assert good.is_valid(), good.errors
