import datetime as dt
import itertools

import pytest
import time_machine
from django.core.management import CommandError, call_command

from zhiben.hazards import services
from zhiben.hazards.models import HazardSpan
from zhiben.hazards.spans import check_spans

pytestmark = pytest.mark.django_db


def test_spans_follow_every_change_of_state(register, regulator, enterprise_user):
    with time_machine.travel(dt.datetime(2025, 3, 1, 2, tzinfo=dt.UTC)):
        hazard = register(deadline=dt.date(2025, 3, 10))
    with time_machine.travel(dt.datetime(2025, 3, 5, 2, tzinfo=dt.UTC)):
        services.hazard_request_extension(actor=enterprise_user, hazard_id=hazard.pk, new_deadline="2025-03-20",
                                          reason="材料未到")
        services.hazard_approve_extension(actor=regulator, hazard_id=hazard.pk)
    with time_machine.travel(dt.datetime(2025, 3, 8, 2, tzinfo=dt.UTC)):
        services.hazard_submit(actor=enterprise_user, hazard_id=hazard.pk, note="已整改")
    with time_machine.travel(dt.datetime(2025, 3, 9, 2, tzinfo=dt.UTC)):
        services.hazard_close(actor=regulator, hazard_id=hazard.pk)
    spans = list(HazardSpan.objects.filter(hazard=hazard).order_by("valid_from"))
    assert [(s.status, str(s.deadline)) for s in spans] == [
        ("open", "2025-03-10"), ("open", "2025-03-20"), ("submitted", "2025-03-20"), ("closed", "2025-03-20"),
    ]
    assert spans[-1].valid_to is None and all(a.valid_to == b.valid_from for a, b in itertools.pairwise(spans))
    assert list(check_spans()) == []


def test_the_repair_command_finds_and_fixes_a_damaged_aggregate(register):
    hazard = register()
    HazardSpan.objects.filter(hazard=hazard).update(status="closed")
    with pytest.raises(CommandError):
        call_command("rebuild_hazard_spans")
    call_command("rebuild_hazard_spans", "--repair")
    call_command("rebuild_hazard_spans")
    assert HazardSpan.objects.get(hazard=hazard).status == "open"


def test_tallies_follow_every_transition_and_a_damaged_tally_is_repaired(register, regulator, enterprise_user):
    from zhiben.hazards import tallies
    from zhiben.hazards.models import HazardTally

    first, second = register(), register(level="general", description="临边防护缺失")
    services.hazard_escalate(actor=regulator, hazard_id=first.pk, level=1, reason="重点督办")
    services.hazard_submit(actor=enterprise_user, hazard_id=second.pk, note="已整改")
    services.hazard_close(actor=regulator, hazard_id=second.pk)
    services.hazard_void(actor=regulator, hazard_id=register(description="录错").pk, reason="录入错误")
    assert tallies.stored() == tallies.computed()
    assert sum(tallies.stored().values()) == 3
    HazardTally.objects.update(n=7)
    with pytest.raises(CommandError):
        call_command("rebuild_hazard_spans")
    call_command("rebuild_hazard_spans", "--repair")
    assert tallies.stored() == tallies.computed()
