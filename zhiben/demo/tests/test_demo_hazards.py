"""The demo ledger: a 2023 stock mostly closed, increments in every state, some overdue and escalated, and every
history intact."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from zhiben.hazards.history import verify_all
from zhiben.hazards.models import Hazard
from zhiben.hazards.spans import check_spans

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2026, 11, 28, 2, tzinfo=dt.UTC), tick=False)
def test_the_demo_ledger_is_believable_and_intact():
    call_command("load_demo", "--size", "300", stdout=None)
    hazards = Hazard.objects.all()
    stock = hazards.filter(is_stock=True)
    assert stock.count() >= 10
    assert stock.filter(status="closed").count() / stock.count() >= 0.8
    increments = hazards.filter(is_stock=False)
    assert set(increments.values_list("status", flat=True)) >= {"open", "submitted", "closed", "void"}
    assert hazards.overdue(dt.date(2026, 11, 28)).exists()
    assert hazards.filter(escalation_level__gt=0).exists()
    assert set(hazards.values_list("channel", flat=True)) >= {"self", "inspection"}
    for hazard in hazards.exclude(standard_item=None).select_related("standard_item__standard"):
        assert hazard.standard_item.standard.in_force_on(hazard.found_on), hazard.code
    assert hazards.filter(level="major", standard_item=None).count() == 0
    assert list(verify_all()) == []
    assert list(check_spans()) == []
    # Every hazard is findable by text: the demo writes through the services, which fill the search document.
    assert not hazards.filter(search_text="").exists()
    sample = hazards.select_related("project").first()
    assert hazards.filter(search_text__contains=sample.project.name.lower()).exists()
