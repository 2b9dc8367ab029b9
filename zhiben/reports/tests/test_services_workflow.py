"""The regulator's side: assign, verify (a hazard registered or linked), rewards by the rule, identity reveals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from zhiben.core.errors import Forbidden, InvalidTransition, NotFound
from zhiben.core.models import AuditLog
from zhiben.hazards.models import Hazard
from zhiben.reports import services
from zhiben.reports.history import verify_chain
from zhiben.reports.tests.conftest import REPORTER_NAME, REPORTER_PHONE, grant_reveal

pytestmark = pytest.mark.django_db

HAZARD = {"level": "major", "description": "塔吊司机无特种作业操作证", "location": "2号塔吊"}


@pytest.fixture
def assigned(named_report, regulator, inspector):
    report, key = named_report
    report = services.report_assign(actor=regulator, report_id=report.pk, inspector_id=inspector.pk)
    report.access_key = key
    return report


@pytest.fixture
def substantiated(assigned, inspector):
    report = services.report_verify(actor=inspector, report_id=assigned.pk, outcome="substantiated",
                                    note="现场核实属实", public_text="经核查，举报属实，已责令整改。", hazard=HAZARD)
    report.access_key = assigned.access_key
    return report


def test_a_regulator_assigns_an_inspector_of_the_region(assigned, inspector):
    assert assigned.status == "assigned" and assigned.assigned_to == inspector


def test_nobody_outside_the_region_or_outside_the_regulators_finds_the_report(
        named_report, other_regulator, enterprise_user, project_user, expert, inspector):
    report, _key = named_report
    for outsider in (other_regulator, enterprise_user, project_user, expert):
        with pytest.raises(NotFound):
            services.report_assign(actor=outsider, report_id=report.pk, inspector_id=inspector.pk)
        assert not services.reports_visible_to(outsider).exists()


def test_an_inspector_of_another_county_cannot_be_assigned(named_report, regulator, other_regulator):
    report, _key = named_report
    with pytest.raises(ValidationError) as caught:
        services.report_assign(actor=regulator, report_id=report.pk, inspector_id=other_regulator.pk)
    assert "inspector" in caught.value.message_dict


def test_a_substantiated_report_registers_a_hazard_on_the_report_channel(substantiated, project):
    hazard = substantiated.hazard
    assert (substantiated.status, substantiated.outcome) == ("verified", "substantiated")
    assert hazard.channel == "report" and hazard.project == project
    assert hazard.source_ref == f"report:{substantiated.pk}"  # never the receipt code the reporter holds
    assert REPORTER_NAME not in str(list(hazard.events.values_list("data", flat=True)))
    assert verify_chain(substantiated) is None


def test_a_substantiated_report_may_link_a_hazard_already_in_the_ledger(assigned, inspector, regulator, project):
    from zhiben.hazards.services import hazard_register

    existing = hazard_register(actor=regulator, project_id=project.pk, channel="inspection", level="major",
                               description="塔吊司机无证")
    report = services.report_verify(actor=inspector, report_id=assigned.pk, outcome="substantiated", note="已在台账",
                                    public_text="举报属实，该隐患已在整改中。", hazard_id=existing.pk)
    assert report.hazard == existing and Hazard.objects.count() == 1


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"outcome": "maybe"}, "outcome"),
    ({"outcome": "substantiated"}, "hazard"),
    ({"outcome": "substantiated", "hazard_id": 99999999}, "hazard_id"),
    ({"outcome": "duplicate"}, "duplicate_of"),
    ({"outcome": "unsubstantiated", "note": ""}, "note"),
    ({"outcome": "unsubstantiated", "public_text": ""}, "public_text"),
])
def test_a_verification_with_bad_input_names_the_field_and_changes_nothing(assigned, inspector, kwargs, field):
    kwargs = {"note": "核查", "public_text": "经核查。", **kwargs}
    with pytest.raises(ValidationError) as caught:
        services.report_verify(actor=inspector, report_id=assigned.pk, **kwargs)
    assert field in caught.value.message_dict
    assigned.refresh_from_db()
    assert assigned.status == "assigned" and not Hazard.objects.exists()


def test_verification_before_assignment_is_a_conflict(named_report, inspector):
    report, _key = named_report
    with pytest.raises(InvalidTransition):
        services.report_verify(actor=inspector, report_id=report.pk, outcome="unsubstantiated", note="x",
                               public_text="y")


def test_a_leader_approves_a_reward_computed_by_the_rule_and_it_is_paid(substantiated, inspector, leader):
    reward = services.reward_propose(actor=inspector, report_id=substantiated.pk, basis="fine", fine_amount="50000")
    assert reward.amount == Decimal(7500) and reward.status == "proposed"
    reward = services.reward_decide(actor=leader, reward_id=reward.pk, approve=True)
    with pytest.raises(InvalidTransition):  # nobody to pay before the reporter claims it
        services.reward_pay(actor=inspector, reward_id=reward.pk, paid_on="2025-01-02", reference="财付2025-1")
    services.reward_claim(receipt_code=substantiated.receipt_code, access_key=substantiated.access_key,
                          name="钱举报", phone="13800138000", account="6217 0000 0000 1234 567")
    reward = services.reward_pay(actor=inspector, reward_id=reward.pk, paid_on="2025-01-02", reference="财付2025-1")
    assert reward.status == "paid"
    actions = list(substantiated.events.values_list("action", flat=True))
    assert actions[-4:] == ["reward-proposed", "reward-approved", "reward-claimed", "reward-paid"]
    substantiated.refresh_from_db()
    assert verify_chain(substantiated) is None


def test_the_proposer_never_approves_their_own_reward(substantiated, regulator):
    reward = services.reward_propose(actor=regulator, report_id=substantiated.pk, basis="concealment",
                                     accident_level="ordinary", persons=2)
    assert reward.amount == Decimal(60000)
    with pytest.raises(Forbidden):
        services.reward_decide(actor=regulator, reward_id=reward.pk, approve=True)


def test_an_unsubstantiated_report_gets_no_reward(assigned, inspector):
    services.report_verify(actor=inspector, report_id=assigned.pk, outcome="unsubstantiated", note="未发现",
                           public_text="经核查，未发现所举报问题。")
    with pytest.raises(InvalidTransition):
        services.reward_propose(actor=inspector, report_id=assigned.pk, basis="fine", fine_amount="1000")


def test_a_later_report_of_the_same_hazard_is_linked_but_not_rewarded(substantiated, submit, regulator, inspector):
    """Even when the later report is verified first: eligibility follows the order of submission."""
    later, _key = submit()
    services.report_assign(actor=regulator, report_id=later.pk, inspector_id=inspector.pk)
    services.report_verify(actor=inspector, report_id=later.pk, outcome="substantiated", note="同一隐患",
                           public_text="举报属实。", hazard_id=substantiated.hazard_id)
    with pytest.raises(InvalidTransition):
        services.reward_propose(actor=inspector, report_id=later.pk, basis="fine", fine_amount="1000")
    assert services.reward_propose(actor=inspector, report_id=substantiated.pk, basis="fine", fine_amount="1000")


def test_the_identity_is_revealed_only_with_the_permission_and_a_reason_and_every_reveal_is_recorded(
        named_report, regulator, leader):
    report, _key = named_report
    with pytest.raises(Forbidden):
        services.report_identity_reveal(actor=regulator, report_id=report.pk, reason="核实需要联系举报人")
    revealer = grant_reveal(leader)
    with pytest.raises(ValidationError):
        services.report_identity_reveal(actor=revealer, report_id=report.pk, reason="")
    assert not AuditLog.objects.filter(event="report.identity_revealed").exists()
    identity = services.report_identity_reveal(actor=revealer, report_id=report.pk, reason="核实需要联系举报人")
    assert identity == {"anonymous": False, "reporter_name": REPORTER_NAME, "reporter_phone": REPORTER_PHONE}
    entry = AuditLog.objects.get(event="report.identity_revealed")
    assert entry.actor == leader and entry.data["reason"] == "核实需要联系举报人"
    assert REPORTER_NAME not in str(entry.data) and REPORTER_PHONE not in str(entry.data)
    assert report.events.filter(action="identity-revealed").count() == 1


def test_a_revealer_of_another_county_finds_nothing(named_report, other_regulator):
    report, _key = named_report
    with pytest.raises(NotFound):
        services.report_identity_reveal(actor=grant_reveal(other_regulator), report_id=report.pk, reason="查看一下")


def test_a_claim_needs_the_key_and_an_approved_reward_and_is_sealed(substantiated, inspector, leader):
    from zhiben.core.errors import NotFound as Missing

    reward = services.reward_propose(actor=inspector, report_id=substantiated.pk, basis="fine", fine_amount="1000")
    claim = {"name": "钱举报", "phone": "13800138000", "account": "6217000000001234567"}
    with pytest.raises(InvalidTransition):  # not yet approved
        services.reward_claim(receipt_code=substantiated.receipt_code, access_key=substantiated.access_key, **claim)
    services.reward_decide(actor=leader, reward_id=reward.pk, approve=True)
    with pytest.raises(Missing):
        services.reward_claim(receipt_code=substantiated.receipt_code, access_key="WRONG", **claim)
    with pytest.raises(ValidationError) as caught:
        services.reward_claim(receipt_code=substantiated.receipt_code, access_key=substantiated.access_key,
                              **{**claim, "account": "12ab"})
    assert "account" in caught.value.message_dict
    reward = services.reward_claim(receipt_code=substantiated.receipt_code, access_key=substantiated.access_key,
                                   **claim)
    assert "6217000000001234567" not in reward.claimant_account and reward.claimed_at
    with pytest.raises(Forbidden):
        services.reward_claimant_reveal(actor=inspector, reward_id=reward.pk, reason="发放奖励需要")
    shown = services.reward_claimant_reveal(actor=grant_reveal(leader), reward_id=reward.pk, reason="发放奖励需要")
    assert shown["account"] == "6217000000001234567"
    with pytest.raises(InvalidTransition):
        services.reward_claim(receipt_code=substantiated.receipt_code, access_key=substantiated.access_key, **claim)


def test_the_on_site_verification_keeps_its_photos_apart_from_the_reporters(assigned, inspector):
    from zhiben.reports.tests.conftest import jpeg_with_gps

    report = services.report_verify(actor=inspector, report_id=assigned.pk, outcome="unsubstantiated",
                                    note="现场未发现", public_text="经核查未发现。",
                                    uploads=[jpeg_with_gps("site.jpg")])
    assert list(report.photos.values_list("stage", flat=True)) == ["verification"]
    assert report.events.get(action="verify").data["photos"] == 1


def test_the_earlier_report_stays_eligible_when_a_later_one_is_verified_first(named_report, submit, regulator,
                                                                              inspector):
    earlier, _key = named_report
    later, _key = submit()
    for report in (later, earlier):
        services.report_assign(actor=regulator, report_id=report.pk, inspector_id=inspector.pk)
    later = services.report_verify(actor=inspector, report_id=later.pk, outcome="substantiated", note="属实",
                                   public_text="属实。", hazard=HAZARD)
    services.report_verify(actor=inspector, report_id=earlier.pk, outcome="substantiated", note="同一隐患",
                           public_text="属实。", hazard_id=later.hazard_id)
    with pytest.raises(InvalidTransition):
        services.reward_propose(actor=inspector, report_id=later.pk, basis="fine", fine_amount="1000")
    assert services.reward_propose(actor=inspector, report_id=earlier.pk, basis="fine", fine_amount="1000")


def test_a_duplicate_must_name_an_earlier_report(named_report, submit, regulator, inspector):
    earlier, _key = named_report
    later, _key = submit()
    services.report_assign(actor=regulator, report_id=earlier.pk, inspector_id=inspector.pk)
    with pytest.raises(ValidationError) as caught:
        services.report_verify(actor=inspector, report_id=earlier.pk, outcome="duplicate", note="重复",
                               public_text="重复举报。", duplicate_of=later.pk)
    assert "duplicate_of" in caught.value.message_dict


def test_the_reporters_words_never_become_the_hazard_the_enterprise_sees(assigned, inspector):
    with pytest.raises(ValidationError) as caught:
        services.report_verify(actor=inspector, report_id=assigned.pk, outcome="substantiated", note="属实",
                               public_text="属实。", hazard={"level": "major"})
    assert "hazard" in caught.value.message_dict
    report = services.report_verify(actor=inspector, report_id=assigned.pk, outcome="substantiated", note="属实",
                                    public_text="属实。", hazard={"level": "major", "description": "塔吊司机无证"})
    assert report.hazard.description == "塔吊司机无证" and report.receipt_code not in report.hazard.source_ref


def test_only_the_assigned_inspector_or_an_admin_verifies(assigned, regulator, jiaocheng):
    from conftest import make_user

    colleague = make_user("insp2", "inspector", region=jiaocheng)
    with pytest.raises(Forbidden):
        services.report_verify(actor=colleague, report_id=assigned.pk, outcome="unsubstantiated", note="x",
                               public_text="y")
    assert services.report_verify(actor=regulator, report_id=assigned.pk, outcome="unsubstantiated", note="x",
                                  public_text="y").status == "verified"


def test_a_linked_hazard_must_be_of_the_reports_project(assigned, inspector, regulator, project, enterprise):
    from zhiben.hazards.services import hazard_register
    from zhiben.registry.factories import ProjectFactory

    elsewhere = ProjectFactory(contractor=enterprise)
    other = hazard_register(actor=regulator, project_id=elsewhere.pk, channel="inspection", level="general",
                            description="别的工地")
    with pytest.raises(ValidationError) as caught:
        services.report_verify(actor=inspector, report_id=assigned.pk, outcome="substantiated", note="x",
                               public_text="y", hazard_id=other.pk)
    assert "hazard_id" in caught.value.message_dict


def test_an_identity_sealed_under_a_key_this_server_lacks_is_a_clear_error(named_report, leader, settings):
    from zhiben.core import vault
    from zhiben.reports.services import VaultUnavailable

    report, _key = named_report
    settings.VAULT_KEYS = [vault.generate_key()]
    with pytest.raises(VaultUnavailable):
        services.report_identity_reveal(actor=grant_reveal(leader), report_id=report.pk, reason="核实需要联系")
