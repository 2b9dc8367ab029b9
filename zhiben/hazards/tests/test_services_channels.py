"""The entry points the public-report and smart-site channels use."""

import pytest
from django.core.exceptions import ValidationError

from zhiben.hazards import services

pytestmark = pytest.mark.django_db


def test_a_verified_report_becomes_a_report_channel_hazard(regulator, project):
    hazard = services.hazard_register_from_report(
        verified_by=regulator, report_ref="JB20261128001", project_id=project.pk, level="major",
        description="群众举报：夜间违规拆除塔吊",
    )
    assert hazard.channel == "report" and hazard.first_channel == "report"
    assert hazard.source_ref == "report:JB20261128001"
    assert hazard.events.first().actor_id == regulator.pk


def test_an_unhandled_alarm_becomes_one_alarm_hazard(project):
    first = services.hazard_register_from_alarm(alarm_ref="dev7-2026-11-28T10:00", project_id=project.pk,
                                                level="major", description="深基坑水平位移超过报警值")
    again = services.hazard_register_from_alarm(alarm_ref="dev7-2026-11-28T10:00", project_id=project.pk,
                                                level="major", description="深基坑水平位移超过报警值")
    assert first.pk == again.pk and first.channel == "alarm" and first.created_by is None
    assert first.events.first().actor_name == "系统"


def test_a_report_needs_a_regulator_who_may_see_the_project(other_regulator, project):
    with pytest.raises(ValidationError):
        services.hazard_register_from_report(verified_by=other_regulator, report_ref="X", project_id=project.pk,
                                             level="general", description="举报")
