import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from zhiben.core.errors import Forbidden
from zhiben.hazards import services
from zhiben.hazards.history import verify_chain

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2026, 11, 28, 2, tzinfo=dt.UTC))
def test_a_closed_stock_row_keeps_its_historical_dates(regulator, project):
    hazard = services.hazard_import(
        actor=regulator, project_id=project.pk, channel="inspection", level="major", description="高支模未论证",
        found_at=dt.date(2023, 8, 1), deadline=dt.date(2023, 8, 20), status="closed", status_at=dt.date(2023, 8, 18),
    )
    assert hazard.is_stock and hazard.status == "closed"
    events = list(hazard.events.order_by("seq"))
    assert [e.action for e in events] == ["imported", "submit", "close"]
    assert events[-1].effective_at.date() == dt.date(2023, 8, 18)
    assert events[-1].at.date() == dt.date(2026, 11, 28)  # recorded now
    assert events[-1].data["on_time"] is True
    assert hazard.notified_at is None and verify_chain(hazard) is None


@time_machine.travel(dt.datetime(2026, 11, 28, 2, tzinfo=dt.UTC))
def test_import_refuses_impossible_rows(regulator, enterprise_user, project):
    common = {"project_id": project.pk, "channel": "inspection", "level": "major", "description": "临边防护缺失"}
    with pytest.raises(ValidationError) as error:
        services.hazard_import(actor=regulator, found_at=dt.date(2023, 8, 1), status="closed", **common)
    assert "status_at" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.hazard_import(actor=regulator, found_at=dt.date(2023, 8, 1), status="closed",
                               status_at=dt.date(2023, 7, 1), **common)
    with pytest.raises(ValidationError):
        services.hazard_import(actor=regulator, found_at=dt.date(2027, 1, 1), **common)
    with pytest.raises(Forbidden):
        services.hazard_import(actor=enterprise_user, found_at=dt.date(2023, 8, 1), **common)
