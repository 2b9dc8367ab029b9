"""A campaign ledger of 交城县 (and a hazard each in 文水县 and 离石区) built by hand through the services, with
time-machine at each moment, so every figure of the dashboard has a known answer. Times are given in UTC;
Beijing is UTC+8, so 16:30Z is 00:30 the next day in Beijing.

Major hazards (channel, found → closed, deadline in force when closed):

| key | project | channel | found (Beijing) | deadline | closed (Beijing) | state at the end of 2025-04-30 |
|---|---|---|---|---|---|---|
| S1 | P1 (A) | inspection | 2023-08-01 | 2023-09-01 | 2024-02-01 (late) | closed |
| S2 | P3 (B) | inspection | 2023-12-31 23:59:59 | 2024-01-31 | 2025-02-01 00:30 (late) | closed |
| H1 | P1 (A) | inspection | 2024-03-10 | 2024-03-25 | 2024-03-20 (on time, 10 days) | closed |
| H2 | P1 (A) | self | 2024-06-01 | 2024-06-15 | 2024-07-01 (late, 30 days) | closed |
| H3 | P3 (B) | report | 2024-11-05 | 2024-11-20 | — | open, overdue, escalated 3 (2025-02-11) |
| E1 | P1 (A) | self | 2025-01-05 | 2025-01-20 | 2025-01-15 (on time, 10 days) | closed |
| E2 | P2 (A) | self | 2025-01-10 | 2025-01-31 | 2025-02-01 00:30 (late, 22 days) | closed |
| E8 | P2 (A) | self | 2025-02-01 00:30 | 2025-02-20 | 2025-02-19 (on time, 18 days) | closed |
| E3 | P3 (B) | inspection | 2025-02-03 | 2025-02-10 | — | open, overdue, escalated 1 (02-11), 2 (03-31) |
| E4 | P1 (A) | alarm | 2025-02-05 | 03-31, extended to 04-30 | 2025-04-20 (on time, 74 days) | closed |
| E9 | P2 (A) | self | 2025-04-25 | 2025-05-10 | — | open |
| E5 | P4 (C, 文水县) | inspection | 2025-02-15 | 2025-02-28 | — | open, overdue, escalated 2 (03-31) |
| O1 | 离石区 | inspection | 2025-02-01 | 2025-02-10 | — | open, overdue, escalated 1, then 2 |

Left out everywhere: a general hazard of 2023 and one of 2025, and a major hazard of 2025 voided the day it was
registered. "Today" in the tests is 2025-05-10 (Beijing).
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
import time_machine

from zhiben.hazards import services
from zhiben.hazards.tests.conftest import principal_user, register  # noqa: F401  (shared fixtures)
from zhiben.registry.factories import EnterpriseFactory, ProjectFactory, county

UTC = dt.UTC
TODAY = dt.datetime(2025, 5, 10, 2, 0, tzinfo=UTC)  # 10:00 on 2025-05-10 in Beijing


def at(*args):
    return time_machine.travel(dt.datetime(*args, tzinfo=UTC), tick=False)


def bj(y, m, d, hh=10, mm=0, ss=0) -> tuple:
    """A Beijing wall-clock time as the UTC tuple `at` takes (valid for the hours used here, 08:00 and later)."""
    return (y, m, d, hh - 8, mm, ss)


@pytest.fixture
def today():
    """Freeze "now" at 2025-05-10 10:00 in Beijing for the test body."""
    with time_machine.travel(TODAY, tick=False):
        yield TODAY


@pytest.fixture
def world(jiaocheng, enterprise, project, regulator, enterprise_user, city_regulator, other_regulator,
          other_project):
    """The enterprises and projects: A (the cast's enterprise) with P1 and P2, B with P3 in 交城县, C with P4 in
    文水县; the other county's project is the cast's (离石区)."""
    p2 = ProjectFactory(contractor=enterprise, name="交城县第三中学宿舍楼")
    b = EnterpriseFactory(region=jiaocheng, name="交城县路桥工程有限公司")
    p3 = ProjectFactory(contractor=b, name="交城县滨河路改造工程")
    c = EnterpriseFactory(region=county(141121), name="文水县建工集团有限公司")
    p4 = ProjectFactory(contractor=c, name="文水县体育馆")
    return SimpleNamespace(a=enterprise, b=b, c=c, p1=project, p2=p2, p3=p3, p4=p4, other=other_project)


@pytest.fixture
def ledger(world, regulator, enterprise_user, city_regulator, other_regulator):
    def reg(moment, *, actor=None, project, channel="inspection", level="major", deadline=None, description):
        with at(*moment):
            return services.hazard_register(
                actor=actor or regulator, project_id=project.pk, channel=channel, level=level,
                description=description, found_at=dt.datetime(*moment, tzinfo=UTC), deadline=deadline)

    def close(hazard, moment, actor=None):
        with at(*moment):
            services.hazard_submit(actor=actor or regulator, hazard_id=hazard.pk, note="整改完毕")
            services.hazard_close(actor=actor or regulator, hazard_id=hazard.pk, note="复查合格")

    h = {}
    d = dt.date
    h["S1"] = reg(bj(2023, 8, 1), project=world.p1, deadline=d(2023, 9, 1), description="塔吊附着装置未按方案设置")
    h["S2"] = reg((2023, 12, 31, 15, 59, 59), project=world.p3, deadline=d(2024, 1, 31),
                  description="深基坑未按规定监测")
    reg(bj(2023, 6, 1), project=world.p1, level="general", description="材料堆放杂乱")
    close(h["S1"], bj(2024, 2, 1))
    h["H1"] = reg(bj(2024, 3, 10), project=world.p1, deadline=d(2024, 3, 25), description="高支模未经专家论证")
    close(h["H1"], bj(2024, 3, 20))
    h["H2"] = reg(bj(2024, 6, 1), actor=enterprise_user, project=world.p1, channel="self", deadline=d(2024, 6, 15),
                  description="卸料平台钢丝绳锈蚀")
    close(h["H2"], bj(2024, 7, 1))
    h["H3"] = reg(bj(2024, 11, 5), project=world.p3, channel="report", deadline=d(2024, 11, 20),
                  description="外脚手架连墙件缺失")
    h["E1"] = reg(bj(2025, 1, 5), actor=enterprise_user, project=world.p1, channel="self",
                  deadline=d(2025, 1, 20), description="临边防护栏杆缺失")
    close(h["E1"], bj(2025, 1, 15))
    h["E2"] = reg(bj(2025, 1, 10), actor=enterprise_user, project=world.p2, channel="self",
                  deadline=d(2025, 1, 31), description="施工升降机防坠安全器过期")
    # 00:30 on 2025-02-01 in Beijing: S2 and E2 are closed in February, E8 is found in February.
    close(h["S2"], (2025, 1, 31, 16, 30))
    close(h["E2"], (2025, 1, 31, 16, 30))
    h["E8"] = reg((2025, 1, 31, 16, 30), actor=enterprise_user, project=world.p2, channel="self",
                  deadline=d(2025, 2, 20), description="模板支架立杆悬空")
    h["O1"] = reg(bj(2025, 2, 1), actor=other_regulator, project=world.other, deadline=d(2025, 2, 10),
                  description="离石区：起重机械未经检验")
    h["E3"] = reg(bj(2025, 2, 3), project=world.p3, deadline=d(2025, 2, 10), description="基坑支护变形超限")
    h["E4"] = reg(bj(2025, 2, 5), project=world.p1, channel="alarm", deadline=d(2025, 3, 31),
                  description="塔吊力矩限制器报警未处置")
    with at(*bj(2025, 2, 11, 9)):  # the day after E3's and O1's deadline: level 1; H3 is 83 days late: level 3
        services.mark_overdue_and_escalate()
    h["E5"] = reg(bj(2025, 2, 15), actor=city_regulator, project=world.p4, deadline=d(2025, 2, 28),
                  description="文水县：安全网破损")
    close(h["E8"], bj(2025, 2, 19))
    reg(bj(2025, 3, 1), project=world.p1, level="general", description="配电箱门未关闭")
    h["E7"] = reg(bj(2025, 3, 5), project=world.p1, description="重复录入的隐患")
    with at(*bj(2025, 3, 5, 11)):
        services.hazard_void(actor=regulator, hazard_id=h["E7"].pk, reason="录入错误")
    with at(*bj(2025, 3, 20)):
        services.hazard_request_extension(actor=enterprise_user, hazard_id=h["E4"].pk,
                                          new_deadline=d(2025, 4, 30), reason="设备厂家返修")
    with at(*bj(2025, 3, 21)):
        services.hazard_approve_extension(actor=regulator, hazard_id=h["E4"].pk)
    with at(*bj(2025, 3, 31, 9)):  # E3 49 days late, E5 31, O1 49: level 2
        services.mark_overdue_and_escalate()
    close(h["E4"], bj(2025, 4, 20))
    h["E9"] = reg(bj(2025, 4, 25), actor=enterprise_user, project=world.p2, channel="self",
                  deadline=d(2025, 5, 10), description="洞口防护缺失")
    return h
