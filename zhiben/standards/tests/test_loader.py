"""The migration loaded every shipped version, with the right counts, and loading again adds nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from zhiben.standards.loader import data_files, load_standard_files
from zhiben.standards.models import Standard, StandardItem

pytestmark = pytest.mark.django_db

SHIPPED = {
    # (code, version): (item count, kind, trust, effective_from, effective_to)
    ("hazard-determination", "2022"): (34, "determination", "partial", dt.date(2022, 4, 19), dt.date(2024, 12, 12)),
    ("hazard-determination", "2024"): (53, "determination", "verbatim", dt.date(2024, 12, 13), None),
    ("eliminated-catalogue-batch1", "batch1"): (22, "catalogue", "partial", dt.date(2022, 6, 15), None),
    ("eliminated-catalogue-batch2", "batch2"): (23, "catalogue", "partial", dt.date(2025, 8, 9), None),
    ("jgj59", "2011"): (189, "score_table", "partial", dt.date(2012, 7, 1), None),
    ("anti-falling-campaign", "2024"): (30, "campaign", "compiled", dt.date(2024, 1, 1), None),
}


def test_the_migration_loaded_every_shipped_version_with_its_items():
    loaded = {
        (s.code, s.version): (s.items.count(), s.kind, s.trust, s.effective_from, s.effective_to)
        for s in Standard.objects.all()
    }
    assert loaded == SHIPPED


def test_shipped_versions_are_published_and_national():
    assert set(Standard.objects.values_list("status", flat=True)) == {"published"}
    assert not Standard.objects.filter(region__isnull=False).exists()
    assert len(data_files()) == len(SHIPPED)


def test_it_keeps_the_verification_flags_of_the_data():
    v2022 = Standard.objects.get(code="hazard-determination", version="2022")
    v2024 = Standard.objects.get(code="hazard-determination", version="2024")
    assert v2022.items.filter(verified=True).count() == 14
    assert not v2024.items.filter(verified=False).exists()
    assert len(v2024.rules["articles"]) == 18
    batch1 = Standard.objects.get(code="eliminated-catalogue-batch1")
    assert batch1.items.filter(extra__placeholder=True).count() == 3


def test_the_jgj59_items_carry_points_and_guarantee_marks():
    jgj = Standard.objects.get(code="jgj59")
    b1 = list(jgj.items.filter(extra__table="B.1"))
    assert sum(i.extra["max_points"] for i in b1) == 100
    assert sum(i.extra["max_points"] for i in b1 if i.extra["guarantee"]) == 60
    assert {w["item"]: w["max"] for w in jgj.rules["summary_table"]["weights"]}["文明施工"] == 15


def test_loading_again_adds_nothing_and_changes_nothing():
    before = list(StandardItem.objects.order_by("pk").values_list("pk", "text", "standard_id"))
    assert load_standard_files(Standard, StandardItem) == []
    assert Standard.objects.count() == len(SHIPPED)
    assert list(StandardItem.objects.order_by("pk").values_list("pk", "text", "standard_id")) == before


def test_loading_restores_a_missing_version_only():
    Standard.objects.get(code="jgj59").delete()
    added = load_standard_files(Standard, StandardItem)
    assert added == ["jgj59 2011 (189)"]
    assert Standard.objects.get(code="jgj59").items.count() == 189


def test_a_newly_shipped_version_ends_the_open_one_the_day_before(tmp_path):
    import json

    from zhiben.standards.loader import DATA_DIR

    doc = json.loads((DATA_DIR / "hazard-determination-2024.json").read_text(encoding="utf-8"))
    doc.update(version="2027", effective_from="2027-01-01", published="2026-12-01")
    path = tmp_path / "hazard-determination-2027.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert load_standard_files(Standard, StandardItem, files=[path]) == ["hazard-determination 2027 (53)"]
    v2024 = Standard.objects.get(code="hazard-determination", version="2024")
    assert v2024.effective_to == dt.date(2026, 12, 31)
    v2022 = Standard.objects.get(code="hazard-determination", version="2022")
    assert v2022.effective_to == dt.date(2024, 12, 12)
