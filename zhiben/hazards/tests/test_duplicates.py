"""Duplicates across channels: flagged at entry, merged by voiding with `duplicate_of`; the surviving record keeps
the channel that found the hazard first."""

from __future__ import annotations

import pytest
import time_machine
from django.core.exceptions import ValidationError

from zhiben.hazards import services
from zhiben.hazards.duplicates import similarity
from zhiben.hazards.tests.conftest import beijing
from zhiben.registry.factories import ProjectFactory
from zhiben.standards.models import StandardItem

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(beijing(2025, 3, 1, 12), tick=False):
        yield


@pytest.fixture
def item():
    return StandardItem.objects.get(standard__code="hazard-determination", standard__version="2024", code="2024-4.1")


def test_the_same_standard_item_on_the_same_project_is_flagged(register, item):
    first = register(standard_item_id=item.pk, description="深基坑未按方案开挖")
    second = register(standard_item_id=item.pk, description="基坑东侧放坡不足", channel="self")
    assert second.possible_duplicate_of == first
    assert second.events.get(action="duplicate-flagged").data == {"hazard": first.pk, "code": first.code}
    assert first.possible_duplicate_of is None


def test_a_similar_description_and_location_is_flagged(register):
    first = register(description="塔吊基础积水，附着装置未按方案设置", location="3号楼塔吊")
    second = register(description="塔吊基础积水 附着装置未按方案设置。", location="3号楼 塔吊", channel="report")
    assert similarity(first.description, second.description) >= 0.8
    assert second.possible_duplicate_of == first


def test_a_different_hazard_is_not_flagged(register):
    register(description="塔吊基础积水，附着装置未按方案设置", location="3号楼塔吊")
    other = register(description="施工升降机防坠安全器超过有效标定期限", location="5号楼升降机")
    assert other.possible_duplicate_of is None
    assert not other.events.filter(action="duplicate-flagged").exists()


def test_the_same_hazard_on_another_project_is_not_flagged(register, enterprise, item):
    register(standard_item_id=item.pk)
    elsewhere = ProjectFactory(contractor=enterprise)
    assert register(standard_item_id=item.pk, project_id=elsewhere.pk).possible_duplicate_of is None


@pytest.mark.parametrize("status", ["closed", "void"])
def test_a_hazard_no_longer_live_is_not_a_duplicate(hazard_in, register, status):
    hazard_in(status)
    assert register().possible_duplicate_of is None


def test_merging_keeps_the_channel_that_found_it_first(register, regulator):
    self_found = register(channel="self", found_at=beijing(2025, 2, 1, 9), description="外脚手架连墙件缺失")
    inspected = register(channel="inspection", found_at=beijing(2025, 2, 20, 9), description="外脚手架连墙件缺失")
    assert inspected.possible_duplicate_of == self_found
    # The regulator keeps its own (inspection) record and merges the earlier self-inspection record into it.
    merged = services.hazard_void(actor=regulator, hazard_id=self_found.pk, reason="重复登记",
                                  duplicate_of=inspected.pk)
    assert (merged.status, merged.duplicate_of) == ("void", inspected)
    inspected.refresh_from_db()
    assert inspected.channel == "inspection"
    assert (inspected.first_channel, inspected.first_found_at) == ("self", beijing(2025, 2, 1, 9))
    event = inspected.events.get(action="duplicate-merged")
    assert event.data == {"hazard": self_found.pk, "code": self_found.code, "channel": "self",
                          "first_channel": ["inspection", "self"]}
    assert merged.events.order_by("-seq").first().data == {"reason": "重复登记", "duplicate_of": inspected.pk}


def test_merging_a_later_record_leaves_the_first_channel(register, regulator):
    first = register(channel="inspection", found_at=beijing(2025, 2, 1, 9))
    later = register(channel="report", found_at=beijing(2025, 2, 2, 9))
    services.hazard_void(actor=regulator, hazard_id=later.pk, reason="重复", duplicate_of=first.pk)
    first.refresh_from_db()
    assert (first.first_channel, first.first_found_at) == ("inspection", beijing(2025, 2, 1, 9))
    assert "first_channel" not in first.events.get(action="duplicate-merged").data


def test_merges_chain_to_the_earliest_channel(register, regulator):
    alarm = register(channel="alarm", found_at=beijing(2025, 1, 5, 9))
    report = register(channel="report", found_at=beijing(2025, 1, 10, 9))
    inspection = register(channel="inspection", found_at=beijing(2025, 1, 20, 9))
    services.hazard_void(actor=regulator, hazard_id=alarm.pk, reason="重复", duplicate_of=report.pk)
    services.hazard_void(actor=regulator, hazard_id=report.pk, reason="重复", duplicate_of=inspection.pk)
    inspection.refresh_from_db()
    assert (inspection.first_channel, inspection.first_found_at) == ("alarm", beijing(2025, 1, 5, 9))


def test_a_merge_target_must_be_another_live_or_closed_hazard_of_the_same_project(register, regulator, hazard_in,
                                                                                  other_regulator, other_project,
                                                                                  enterprise):
    hazard = register()
    void = hazard_in("void")
    elsewhere = register(project_id=ProjectFactory(contractor=enterprise).pk)
    out_of_scope = register(actor=other_regulator, project_id=other_project.pk)
    for target in (hazard.pk, void.pk, elsewhere.pk, out_of_scope.pk, 10**15):
        with pytest.raises(ValidationError) as caught:
            services.hazard_void(actor=regulator, hazard_id=hazard.pk, reason="重复", duplicate_of=target)
        assert "duplicate_of" in caught.value.message_dict
    hazard.refresh_from_db()
    assert hazard.status == "open"
