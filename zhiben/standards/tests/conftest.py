"""Helpers shared by the standards tests: shipped versions by code, and a county's own published version."""

from __future__ import annotations

import datetime as dt

import pytest

from zhiben.standards import services
from zhiben.standards.models import Standard


def shipped(code: str, version: str) -> Standard:
    return Standard.objects.get(code=code, version=version, region__isnull=True)


@pytest.fixture
def v2022():
    return shipped("hazard-determination", "2022")


@pytest.fixture
def v2024():
    return shipped("hazard-determination", "2024")


@pytest.fixture
def campaign():
    return shipped("anti-falling-campaign", "2024")


@pytest.fixture
def county_draft(regulator, campaign):
    """交城县's own draft of the 防高坠 list, copied by its regulator administrator."""
    return services.standard_copy(actor=regulator, source=campaign, version="2025-交城", title="交城县防高坠检查清单")


@pytest.fixture
def county_version(regulator, county_draft):
    """交城县's own 防高坠 list, published from 2025-03-01 with one extra item."""
    services.item_save(actor=regulator, standard=county_draft, code="JC-01", text="塔吊司机室未配备安全带挂点",
                       level="general", category="起重机械")
    return services.standard_publish(actor=regulator, standard=county_draft, effective_from=dt.date(2025, 3, 1))
