"""Whistleblowing figures: months in Beijing time (midnight edges), channels, outcomes, time to verify, the share
verified within the limit, rewards; scoped to the caller's region."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from rest_framework.test import APIClient

from zhiben.reports import services
from zhiben.reports.selectors import report_statistics

pytestmark = pytest.mark.django_db


def at(moment: str):
    return time_machine.travel(dt.datetime.fromisoformat(moment), tick=False)


def test_months_are_beijing_months_and_the_figures_add_up(submit, regulator, inspector, leader, enterprise,
                                                          other_regulator):
    with at("2026-01-31T15:59:59+00:00"):   # 23:59:59 on 31 January in Beijing
        january, _ = submit()
    with at("2026-01-31T16:00:00+00:00"):   # 00:00 on 1 February in Beijing
        submit(internal=True, enterprise_id=enterprise.pk)
    with at("2026-02-02T02:00:00+00:00"):
        services.report_assign(actor=regulator, report_id=january.pk, inspector_id=inspector.pk)
        services.report_verify(actor=inspector, report_id=january.pk, outcome="substantiated", note="属实",
                               public_text="属实。", hazard={"level": "general", "description": "临边无防护"})
        reward = services.reward_propose(actor=inspector, report_id=january.pk, basis="fine", fine_amount="40000")
        services.reward_decide(actor=leader, reward_id=reward.pk, approve=True)
    with at("2026-03-01T02:00:00+00:00"):
        figures = report_statistics(regulator, start=dt.date(2026, 1, 1), end=dt.date(2026, 2, 28))
        narrower = report_statistics(regulator, start=dt.date(2026, 2, 1), end=dt.date(2026, 2, 28))
        outside = report_statistics(other_regulator, start=dt.date(2026, 1, 1), end=dt.date(2026, 2, 28))
    assert [(m["month"], m["total"], m["public"], m["internal"]) for m in figures["months"]] == [
        ("2026-01", 1, 1, 0), ("2026-02", 1, 0, 1)]
    assert (figures["total"], figures["verified"], figures["within_limit"], figures["awaiting"]) == (2, 1, 1, 1)
    assert figures["substantiated"] == 1 and figures["verified_within_limit_share"] == 1.0
    assert figures["median_hours_to_verify"] == 34.0  # 16:00 UTC on 31 Jan to 02:00 UTC on 2 Feb
    assert figures["rewards"]["approved"] == {"count": 1, "amount": "6000"}
    assert narrower["total"] == 1 and outside["total"] == 0


def test_the_statistics_endpoint_checks_its_dates(submit, regulator):
    submit()
    client = APIClient()
    client.force_authenticate(regulator)
    assert client.get("/api/v1/reports/statistics/").json()["total"] == 1
    bad = client.get("/api/v1/reports/statistics/", {"from": "2026-13-01"})
    assert bad.status_code == 400 and "from" in bad.json()["errors"]
    backwards = client.get("/api/v1/reports/statistics/", {"from": "2026-02-01", "to": "2026-01-01"})
    assert backwards.status_code == 400 and "from" in backwards.json()["errors"]
