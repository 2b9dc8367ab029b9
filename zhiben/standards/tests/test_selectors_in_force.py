"""The found date chooses the version: 2022 items up to 2024-12-12, 2024 items from 2024-12-13."""

from __future__ import annotations

import datetime as dt

import pytest

from zhiben.standards.selectors import item_in_force, items_in_force

pytestmark = pytest.mark.django_db

LAST_DAY_2022 = dt.date(2024, 12, 12)
FIRST_DAY_2024 = dt.date(2024, 12, 13)


def determination_versions(user, day, **kw):
    items = items_in_force(user, day, kinds=("determination",), **kw)
    return {(i.standard.code, i.standard.version) for i in items}, items.count()


def test_a_hazard_found_on_the_last_day_of_2022_gets_the_2022_items(inspector):
    versions, count = determination_versions(inspector, LAST_DAY_2022)
    assert versions == {("hazard-determination", "2022")}
    assert count == 34


def test_a_hazard_found_on_the_first_day_of_2024_gets_the_2024_items(inspector):
    versions, count = determination_versions(inspector, FIRST_DAY_2024)
    assert versions == {("hazard-determination", "2024")}
    assert count == 53


def test_the_boundary_holds_for_single_items(enterprise_user, v2022, v2024):
    old_item = v2022.items.get(code="2022-4.1")
    new_item = v2024.items.get(code="2024-4.1")
    assert item_in_force(enterprise_user, old_item.pk, LAST_DAY_2022) == old_item
    assert item_in_force(enterprise_user, old_item.pk, FIRST_DAY_2024) is None
    assert item_in_force(enterprise_user, new_item.pk, LAST_DAY_2022) is None
    assert item_in_force(enterprise_user, new_item.pk, FIRST_DAY_2024) == new_item


def test_score_tables_and_placeholders_are_not_offered(project_user):
    items = items_in_force(project_user, dt.date(2025, 9, 1))
    codes = {(i.standard.code, i.code) for i in items}
    assert not any(code == "jgj59" for code, _ in codes)
    assert ("eliminated-catalogue-batch1", "2.u1") not in codes
    # batch 1 (22 less 3 placeholders), batch 2 (in force from 2025-08-09), the 2024 standard, the campaign list
    assert items.count() == 19 + 23 + 53 + 30


def test_batch_two_is_offered_only_once_in_force(inspector):
    def batch2(day):
        return items_in_force(inspector, day).filter(standard__code="eliminated-catalogue-batch2").count()

    assert batch2(dt.date(2025, 8, 8)) == 0
    assert batch2(dt.date(2025, 8, 9)) == 23


def test_nobody_outside_a_scope_gets_items(db):
    from django.contrib.auth.models import AnonymousUser

    assert not items_in_force(AnonymousUser(), FIRST_DAY_2024).exists()


def test_a_regional_version_supersedes_the_national_one_in_its_region(inspector, county_version, campaign):
    day = dt.date(2025, 6, 1)
    in_county = items_in_force(inspector, day, kinds=("campaign",), region=141122)
    assert {i.standard_id for i in in_county} == {county_version.pk}
    assert in_county.count() == 31
    # The national list still applies to the neighbouring county, and before the county's version took effect.
    elsewhere = items_in_force(inspector, day, kinds=("campaign",), region=141102)
    assert {i.standard_id for i in elsewhere} == {campaign.pk}
    before = items_in_force(inspector, dt.date(2025, 2, 28), kinds=("campaign",), region=141122)
    assert {i.standard_id for i in before} == {campaign.pk}


def test_without_a_region_every_visible_version_in_force_is_offered(inspector, county_version, campaign):
    items = items_in_force(inspector, dt.date(2025, 6, 1), kinds=("campaign",))
    assert {i.standard_id for i in items} == {campaign.pk, county_version.pk}


def test_another_countys_regional_items_are_never_offered(other_regulator, county_version):
    items = items_in_force(other_regulator, dt.date(2025, 6, 1), kinds=("campaign",))
    assert county_version.pk not in {i.standard_id for i in items}
    # Even when naming that county: visibility comes first.
    named = items_in_force(other_regulator, dt.date(2025, 6, 1), kinds=("campaign",), region=141122)
    assert county_version.pk not in {i.standard_id for i in named}
    assert named.count() == 30
