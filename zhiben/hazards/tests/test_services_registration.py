"""Registering a hazard: who may register which channel, the found time and deadline rules, the standard item in
force on the (Beijing) day found, stock versus increment at the Beijing midnight edge, codes, and the level."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from zhiben.core.errors import Forbidden
from zhiben.hazards.tests.conftest import beijing
from zhiben.standards.models import StandardItem

pytestmark = pytest.mark.django_db

UTC = dt.UTC
NOW = dt.datetime(2025, 3, 1, 4, 0, tzinfo=UTC)  # 2025-03-01 12:00 in Beijing


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def item(version: str, code: str, standard: str = "hazard-determination") -> StandardItem:
    return StandardItem.objects.get(standard__code=standard, standard__version=version, code=code)


def errors_of(caught) -> dict:
    return caught.value.message_dict


# --- Channels by role ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("channel", ["self", "inspection", "report", "alarm"])
@pytest.mark.parametrize("role", ["regulator", "inspector", "city_regulator", "platform_admin"])
def test_regulators_register_every_channel(request, register, role, channel):
    hazard = register(actor=request.getfixturevalue(role), channel=channel)
    assert hazard.channel == hazard.first_channel == channel
    assert hazard.created_by == request.getfixturevalue(role)


@pytest.mark.parametrize("role", ["enterprise_user", "project_user"])
def test_enterprise_and_project_users_register_self_inspection_on_their_own_projects(request, register, role):
    hazard = register(actor=request.getfixturevalue(role), channel="self")
    assert hazard.channel == "self"


@pytest.mark.parametrize("channel", ["inspection", "report", "alarm"])
@pytest.mark.parametrize("role", ["enterprise_user", "project_user"])
def test_enterprise_and_project_users_register_no_other_channel(request, register, role, channel):
    with pytest.raises(ValidationError) as caught:
        register(actor=request.getfixturevalue(role), channel=channel)
    assert "channel" in errors_of(caught)


@pytest.mark.parametrize("role", ["enterprise_user", "project_user", "other_regulator"])
def test_nobody_registers_on_a_project_they_cannot_see(request, register, other_project, project, role):
    target = project if role == "other_regulator" else other_project
    with pytest.raises(ValidationError) as caught:
        register(actor=request.getfixturevalue(role), channel="self", project_id=target.pk)
    assert "project" in errors_of(caught)


def test_a_project_user_registers_only_on_their_own_project(register, project_user, enterprise):
    from zhiben.registry.factories import ProjectFactory

    sibling = ProjectFactory(contractor=enterprise)  # same enterprise, another project
    with pytest.raises(ValidationError):
        register(actor=project_user, channel="self", project_id=sibling.pk)


def test_experts_record_inspection_findings_only(register, expert):
    assert register(actor=expert, channel="inspection").channel == "inspection"
    for channel in ("self", "report", "alarm"):
        with pytest.raises(ValidationError) as caught:
            register(actor=expert, channel=channel)
        assert "channel" in errors_of(caught)


def test_leaders_do_not_register(register, leader):
    with pytest.raises(Forbidden):
        register(actor=leader)


def test_an_unknown_channel_or_level_is_refused(register):
    with pytest.raises(ValidationError) as caught:
        register(channel="rumour", level="huge")
    assert {"channel", "level"} <= set(errors_of(caught))


def test_a_description_is_required(register):
    with pytest.raises(ValidationError) as caught:
        register(description="   ")
    assert "description" in errors_of(caught)


# --- Found time and deadline ----------------------------------------------------------------------------------


def test_found_at_defaults_to_now(register):
    hazard = register()
    assert hazard.found_at == NOW
    assert hazard.found_on == dt.date(2025, 3, 1)


def test_found_at_in_the_future_is_refused(register):
    with pytest.raises(ValidationError) as caught:
        register(found_at=NOW + dt.timedelta(hours=1))
    assert "found_at" in errors_of(caught)


def test_found_at_in_the_past_is_a_backfill(register):
    found = beijing(2021, 5, 6, 9, 30)
    hazard = register(found_at=found, deadline=dt.date(2021, 5, 20))
    assert hazard.found_at == found and hazard.found_on == dt.date(2021, 5, 6)
    registered = hazard.events.get(action="registered")
    assert registered.effective_at == found  # when it happened
    assert registered.at == NOW  # when it was recorded


def test_a_deadline_before_the_day_found_is_refused(register):
    with pytest.raises(ValidationError) as caught:
        register(found_at=beijing(2025, 2, 10), deadline=dt.date(2025, 2, 9))
    assert "deadline" in errors_of(caught)


def test_a_deadline_on_the_day_found_is_accepted(register):
    assert register(found_at=beijing(2025, 2, 10), deadline=dt.date(2025, 2, 10)).deadline == dt.date(2025, 2, 10)


def test_the_deadline_before_the_found_day_counts_in_beijing_time(register):
    # 2025-02-09T17:00Z is 2025-02-10 01:00 in Beijing: a deadline of 02-09 is before the day found.
    with pytest.raises(ValidationError):
        register(found_at=dt.datetime(2025, 2, 9, 17, 0, tzinfo=UTC), deadline=dt.date(2025, 2, 9))


@pytest.mark.parametrize(("level", "days"), [("major", 15), ("general", 7)])
def test_the_default_deadline_follows_the_level(register, settings, level, days):
    assert settings.HAZARD_DEFAULT_DAYS[level] == days
    hazard = register(level=level, channel="inspection", found_at=beijing(2025, 2, 1))
    assert hazard.deadline == hazard.original_deadline == dt.date(2025, 2, 1) + dt.timedelta(days=days)


def test_the_default_deadline_counts_from_the_beijing_day(register):
    # 2025-01-31T16:30Z is already 2025-02-01 in Beijing.
    hazard = register(level="general", found_at=dt.datetime(2025, 1, 31, 16, 30, tzinfo=UTC))
    assert hazard.found_on == dt.date(2025, 2, 1)
    assert hazard.deadline == dt.date(2025, 2, 8)


# --- Standard item in force on the day found -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("found_at", "accepted", "refused"),
    [
        (beijing(2024, 12, 12, 23, 59), "2022", "2024"),
        (beijing(2024, 12, 13, 0, 0), "2024", "2022"),
        # 16:30 UTC on the 12th is 00:30 on the 13th in Beijing: the 2024 standard is in force.
        (dt.datetime(2024, 12, 12, 16, 30, tzinfo=UTC), "2024", "2022"),
        (dt.datetime(2024, 12, 12, 15, 59, tzinfo=UTC), "2022", "2024"),
    ],
)
def test_the_standard_item_must_be_in_force_on_the_beijing_day_found(register, found_at, accepted, refused):
    items = {"2022": item("2022", "2022-4.1"), "2024": item("2024", "2024-4.1")}
    hazard = register(standard_item_id=items[accepted].pk, found_at=found_at)
    assert hazard.standard_item == items[accepted]
    with pytest.raises(ValidationError) as caught:
        register(standard_item_id=items[refused].pk, found_at=found_at)
    assert "standard_item" in errors_of(caught)


def test_an_unknown_standard_item_is_refused(register):
    with pytest.raises(ValidationError) as caught:
        register(standard_item_id=10**12)
    assert "standard_item" in errors_of(caught)


def test_an_enterprise_user_may_cite_a_national_item(register, enterprise_user):
    current = item("2024", "2024-4.1")
    assert register(actor=enterprise_user, channel="self", standard_item_id=current.pk).standard_item == current


def test_a_determination_item_makes_the_hazard_major(register):
    with pytest.raises(ValidationError) as caught:
        register(level="general", standard_item_id=item("2024", "2024-4.1").pk)
    assert "level" in errors_of(caught)
    assert register(level="major", standard_item_id=item("2024", "2024-4.1").pk).level == "major"


def test_a_general_campaign_item_leaves_the_level_to_the_registrar(register):
    general_item = StandardItem.objects.filter(standard__kind="campaign", level="general").first()
    assert register(level="general", standard_item_id=general_item.pk).level == "general"


# --- Stock and increment ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("found_at", "is_stock", "found_on"),
    [
        (dt.datetime(2023, 12, 31, 15, 59, 59, tzinfo=UTC), True, dt.date(2023, 12, 31)),
        (dt.datetime(2023, 12, 31, 16, 0, 0, tzinfo=UTC), False, dt.date(2024, 1, 1)),
        (beijing(2023, 12, 31, 23, 59), True, dt.date(2023, 12, 31)),
        (beijing(2022, 6, 1), True, dt.date(2022, 6, 1)),
        (beijing(2024, 1, 1, 0, 0), False, dt.date(2024, 1, 1)),
    ],
)
def test_stock_is_found_on_or_before_2023_12_31_beijing_time(register, found_at, is_stock, found_on):
    hazard = register(found_at=found_at, deadline=dt.date(2024, 3, 1))
    assert hazard.is_stock is is_stock
    assert hazard.found_on == found_on


# --- Codes -------------------------------------------------------------------------------------------------------


def test_codes_are_sequential_per_county_and_beijing_year(register, other_regulator, other_project):
    first = register(found_at=beijing(2024, 5, 1))
    second = register(found_at=beijing(2024, 6, 1))
    # 2024-12-31T16:00Z is 2025-01-01 in Beijing: the first code of 2025.
    new_year = register(found_at=dt.datetime(2024, 12, 31, 16, 0, tzinfo=UTC))
    third = register(found_at=dt.datetime(2024, 12, 31, 15, 59, tzinfo=UTC))
    elsewhere = register(actor=other_regulator, project_id=other_project.pk, found_at=beijing(2024, 5, 2))
    assert [first.code, second.code, third.code] == [
        "YH1411222024000001", "YH1411222024000002", "YH1411222024000003",
    ]
    assert new_year.code == "YH1411222025000001"
    assert elsewhere.code == "YH1411022024000001"


def test_a_refused_registration_uses_no_number(register):
    register(found_at=beijing(2024, 5, 1))
    with pytest.raises(ValidationError):
        register(found_at=beijing(2024, 5, 1), description="")
    assert register(found_at=beijing(2024, 5, 2)).code == "YH1411222024000002"


def test_the_hazard_takes_region_and_enterprise_from_the_project(register, project, enterprise):
    hazard = register(level="general")
    assert (hazard.region_id, hazard.enterprise_id, hazard.project_id) == (project.region_id, enterprise.pk,
                                                                           project.pk)
    registered = hazard.events.get()
    assert registered.seq == 1 and registered.prev_hash == "" and registered.to_status == "open"
