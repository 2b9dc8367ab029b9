"""Copy → edit → publish: the new version takes over, the old one ends the day before and keeps its items."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from zhiben.core.errors import Forbidden, InvalidTransition, NotFound
from zhiben.core.models import AuditLog
from zhiben.standards import services
from zhiben.standards.models import Standard
from zhiben.standards.selectors import compare_versions, items_in_force, previous_version

pytestmark = pytest.mark.django_db


def snapshot(standard: Standard) -> list[tuple]:
    return list(standard.items.order_by("pk").values_list("pk", "code", "text", "level", "verified", "extra"))


def test_copy_edit_publish_closes_the_previous_version_the_day_before(platform_admin, v2024):
    before = snapshot(v2024)
    draft = services.standard_copy(actor=platform_admin, source=v2024, version="2026")
    assert (draft.status, draft.region_id, draft.based_on_id) == ("draft", None, v2024.pk)
    assert draft.items.count() == 53

    services.standard_update(actor=platform_admin, standard=draft, document_no="建质规〔2026〕1号",
                             title="房屋市政工程生产安全重大事故隐患判定标准（2026版）")
    changed = draft.items.get(code="2024-4.1")
    services.item_save(actor=platform_admin, standard=draft, item=changed, text="建筑施工企业无证施工")
    services.item_delete(actor=platform_admin, standard=draft, item=draft.items.get(code="2024-17"))
    services.item_save(actor=platform_admin, standard=draft, code="2026-18", text="新增判定情形", level="major")

    services.standard_publish(actor=platform_admin, standard=draft, effective_from=dt.date(2026, 3, 1))

    v2024.refresh_from_db()
    draft.refresh_from_db()
    assert v2024.effective_to == dt.date(2026, 2, 28)
    assert (draft.status, draft.effective_from, draft.effective_to) == ("published", dt.date(2026, 3, 1), None)
    assert snapshot(v2024) == before
    assert {i.standard_id for i in items_in_force(platform_admin, dt.date(2026, 2, 28), kinds=("determination",))} \
        == {v2024.pk}
    assert {i.standard_id for i in items_in_force(platform_admin, dt.date(2026, 3, 1), kinds=("determination",))} \
        == {draft.pk}

    diff = compare_versions(v2024, draft)
    assert [i.code for i in diff.added] == ["2026-18"]
    assert [i.code for i in diff.removed] == ["2024-17"]
    assert [(c.new.code, c.fields) for c in diff.changed] == [("2024-4.1", ["text"])]
    assert diff.unchanged == 51
    assert previous_version(platform_admin, draft) == v2024

    published = AuditLog.objects.get(event="standard.published")
    assert published.data["superseded"] == [v2024.pk]


def test_a_published_version_cannot_be_edited(platform_admin, v2024):
    item = v2024.items.first()
    with pytest.raises(InvalidTransition):
        services.standard_update(actor=platform_admin, standard=v2024, title="改")
    with pytest.raises(InvalidTransition):
        services.item_save(actor=platform_admin, standard=v2024, item=item, text="改")
    with pytest.raises(InvalidTransition):
        services.item_save(actor=platform_admin, standard=v2024, code="X", text="新", level="major")
    with pytest.raises(InvalidTransition):
        services.item_delete(actor=platform_admin, standard=v2024, item=item)
    with pytest.raises(InvalidTransition):
        services.standard_publish(actor=platform_admin, standard=v2024, effective_from=dt.date(2030, 1, 1))


def test_a_draft_published_by_someone_else_takes_no_more_edits(regulator, county_draft):
    stale = Standard.objects.get(pk=county_draft.pk)
    services.standard_publish(actor=regulator, standard=county_draft, effective_from=dt.date(2025, 3, 1))
    with pytest.raises(InvalidTransition):
        services.item_save(actor=regulator, standard=stale, code="JC-02", text="迟到的修改", level="general")


def test_a_regulators_copy_is_their_countys_and_leaves_the_national_version_open(regulator, campaign, county_version):
    campaign.refresh_from_db()
    assert county_version.region_id == 141122
    assert campaign.effective_to is None
    assert county_version.items.count() == 31


def test_a_second_county_version_ends_the_first(regulator, county_version):
    draft = services.standard_copy(actor=regulator, source=county_version, version="2026-交城")
    services.standard_publish(actor=regulator, standard=draft, effective_from=dt.date(2026, 1, 1))
    county_version.refresh_from_db()
    assert county_version.effective_to == dt.date(2025, 12, 31)


def test_only_editors_make_versions(campaign, inspector, leader, expert, enterprise_user, project_user):
    for user in (inspector, leader, expert, enterprise_user, project_user):
        with pytest.raises(Forbidden):
            services.standard_copy(actor=user, source=campaign, version="x")


def test_a_regulator_edits_only_their_own_regions_drafts(other_regulator, city_regulator, county_draft):
    with pytest.raises(Forbidden):
        services.standard_update(actor=city_regulator, standard=county_draft, title="市里改的")
    with pytest.raises(Forbidden):
        services.standard_update(actor=other_regulator, standard=county_draft, title="别县改的")


def test_a_regulator_cannot_copy_what_they_cannot_see(other_regulator, county_version):
    with pytest.raises(NotFound):
        services.standard_copy(actor=other_regulator, source=county_version, version="抄")


def test_version_labels_are_unique_per_region(regulator, other_regulator, campaign, county_draft):
    with pytest.raises(ValidationError) as exc:
        services.standard_copy(actor=regulator, source=campaign, version="2025-交城")
    assert "version" in exc.value.message_dict
    # Another county may use the same label for its own version.
    theirs = services.standard_copy(actor=other_regulator, source=campaign, version="2025-交城")
    assert theirs.region_id == 141102


def test_publishing_checks_the_date_and_the_items(regulator, county_draft, campaign):
    with pytest.raises(ValidationError) as exc:
        services.standard_publish(actor=regulator, standard=county_draft, effective_from=None)
    assert "effective_from" in exc.value.message_dict
    for item in list(county_draft.items.all()):
        services.item_delete(actor=regulator, standard=county_draft, item=item)
    with pytest.raises(ValidationError) as exc:
        services.standard_publish(actor=regulator, standard=county_draft, effective_from=dt.date(2025, 3, 1))
    assert "items" in exc.value.message_dict


def test_a_new_version_must_start_after_the_current_one(platform_admin, v2024):
    draft = services.standard_copy(actor=platform_admin, source=v2024, version="2026")
    with pytest.raises(ValidationError) as exc:
        services.standard_publish(actor=platform_admin, standard=draft, effective_from=dt.date(2024, 12, 13))
    assert "effective_from" in exc.value.message_dict
    v2024.refresh_from_db()
    assert v2024.effective_to is None


def test_item_codes_stay_unique_in_a_draft(regulator, county_draft):
    with pytest.raises(ValidationError) as exc:
        services.item_save(actor=regulator, standard=county_draft, code="FG-01", text="重复", level="major")
    assert "code" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.item_save(actor=regulator, standard=county_draft, code="JC-09", text="x", level="severe")
    assert "level" in exc.value.message_dict


def test_status_and_region_are_not_editable_through_update(regulator, county_draft):
    with pytest.raises(TypeError):
        services.standard_update(actor=regulator, standard=county_draft, status="published")
    with pytest.raises(TypeError):
        services.item_save(actor=regulator, standard=county_draft, code="JC-03", text="x", level="major",
                           standard_id=1)


def test_every_write_is_audited(regulator, county_version):
    events = list(AuditLog.objects.order_by("id").values_list("event", flat=True))
    assert events == ["standard.copied", "standard.item_saved", "standard.published"]
