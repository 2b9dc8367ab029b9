"""Hazard stage of the demo: a believable ledger for 交城县 through the hazard services (so histories, hash
chains, notifications and state intervals are real): the 2023 stock imported from the old Excel ledger and
mostly closed (a few late, one still open), increments of 2024 and 2025 mostly closed on time, and this year's
hazards in every state — open, submitted, closed, void, overdue and escalated, with extension requests and
acknowledgements.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from zhiben.accounts.models import User
from zhiben.core.timeutils import BEIJING
from zhiben.demo.builders.registry_data import ANCHOR_ENTERPRISE, DEMO_ENTERPRISE_NAMES, JIAOCHENG
from zhiben.demo.stages import DEFAULT_SIZE, DemoContext
from zhiben.hazards import services, snapshots, tallies
from zhiben.hazards.models import (
    Attachment,
    ExtensionRequest,
    Hazard,
    HazardEvent,
    HazardSpan,
    Rectification,
    RectificationNotice,
)
from zhiben.notifications.models import Notification, OutboundMessage
from zhiben.registry.models import Project
from zhiben.standards.selectors import items_in_force

# (description, location, level, determination item under the 2022 and the 2024 standard) — typical findings on
# county building sites, each matched to the article of 建质规〔2022〕2号 / 建质规〔2024〕5号 it falls under.
FINDINGS = [
    ("深基坑未按规定编制专项施工方案，支护结构出现裂缝未处理", "基坑东侧", "major", "2022-4.4", "2024-4.4"),
    ("高大模板支撑系统专项施工方案未按规定组织专家论证", "地下车库顶板", "major", "2022-4.4", "2024-4.4"),
    ("塔式起重机附着装置设置不符合说明书要求，附着间距超限", "1#塔吊", "major", "2022-8.2", "2024-8.7"),
    ("施工升降机防坠安全器超过有效标定期限仍在使用", "2#楼施工升降机", "major", "2022-8.6", "2024-8.4"),
    ("附着式升降脚手架防坠落装置失效", "3#楼外架", "major", "2022-7.4", "2024-7.3"),
    ("建筑起重机械安装完毕未经验收即投入使用", "物料提升机", "major", "2022-8.1", "2024-8.1"),
    ("吊篮安全锁失效，悬挂机构配重不足", "外墙吊篮", "major", "2022-15", "2024-9.5"),
    ("有限空间作业未执行先通风、再检测、后作业", "污水管井", "major", "2022-11.1", "2024-11.2"),
    ("外脚手架连墙件缺失，立杆基础积水", "5#楼北侧", "general", None, None),
    ("楼层临边防护栏杆缺失", "6层楼板", "general", None, None),
    ("施工现场临时用电未采用TN-S系统，开关箱一机多闸", "生活区配电箱", "general", None, None),
    ("电梯井口未设置防护门", "4#楼电梯井", "general", None, None),
    ("钢筋加工棚防护不到位", "钢筋加工区", "general", None, None),
    ("特种作业人员未持证上岗", "塔吊司机室", "general", None, None),
    ("安全网破损未及时更换", "2#楼外立面", "general", None, None),
]
CHANNELS = ["self", "self", "inspection", "inspection", "inspection", "report", "alarm"]


def _beijing(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=BEIJING)


class HazardsStage:
    name = "hazards"

    def _projects(self):
        return Project.objects.filter(contractor__name__in=DEMO_ENTERPRISE_NAMES, region_id=JIAOCHENG)

    def is_built(self) -> bool:
        return Hazard.objects.filter(project__in=self._projects()).exists()

    def clear(self) -> None:
        hazards = Hazard.objects.filter(project__in=self._projects())
        ids = list(hazards.values_list("pk", flat=True))
        RectificationNotice.objects.filter(hazards__in=ids).delete()
        Attachment.objects.filter(hazard_id__in=ids).delete()
        Rectification.objects.filter(hazard_id__in=ids).delete()
        ExtensionRequest.objects.filter(hazard_id__in=ids).delete()
        HazardSpan.objects.filter(hazard_id__in=ids).delete()
        HazardEvent.objects.filter(hazard_id__in=ids).delete()
        Notification.objects.filter(subject_type="hazards.hazard", subject_id__in=[str(i) for i in ids]).delete()
        OutboundMessage.objects.filter(subject_type="hazards.hazard", subject_id__in=[str(i) for i in ids]).delete()
        hazards.update(duplicate_of=None, possible_duplicate_of=None)
        hazards.delete()
        tallies.rebuild()
        snapshots.check(repair=True)  # stored past days counted the deleted hazards

    def build(self, ctx: DemoContext) -> dict[str, int]:
        return _HazardBuilder(ctx).build()


class _HazardBuilder:
    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.rng = ctx.rng("hazards")
        self.inspector = User.objects.get(username="jc_inspector")
        self.admin = User.objects.get(username="jc_admin")
        self.projects = list(self._projects())
        self.anchor_users = list(User.objects.filter(enterprise__name=ANCHOR_ENTERPRISE, role="enterprise"))
        self.counts = {"stock": 0, "2024": 0, "2025": 0, "current": 0}
        # The ledger scales with the registry (tests build a small demo).
        self.scale = min(1.0, ctx.size / DEFAULT_SIZE)

    def _n(self, count: int) -> int:
        return max(4, round(count * self.scale))

    def _projects(self):
        return Project.objects.filter(contractor__name__in=DEMO_ENTERPRISE_NAMES, region_id=JIAOCHENG).order_by("pk")

    def _item(self, day: dt.date, finding) -> int | None:
        """The determination item of the standard version in force on the day found."""
        if finding[2] != "major":
            return None
        code = finding[3] if day < dt.date(2024, 12, 13) else finding[4]
        item = items_in_force(self.inspector, day).filter(code=code).first()
        return item.pk if item else None

    def _finding(self):
        return self.rng.choice(FINDINGS)

    def _on_time_days(self, level: str) -> int:
        """Days to close: most within the deadline (15 days major, 7 general), the rest a little late."""
        limit = 15 if level == "major" else 7
        if self.rng.random() < 0.94:
            return self.rng.randint(2, limit)
        return limit + self.rng.randint(2, 12)

    def _imported(self, found: dt.date, *, status: str, closed_after: int | None = None, escalation: int = 0,
                  finding=None) -> Hazard:
        finding = finding or self._finding()
        description, location, level = finding[:3]
        if status in {"closed", "void"} and closed_after is None:
            closed_after = self._on_time_days(level)
        deadline = found + dt.timedelta(days=15 if level == "major" else 7)
        status_at = found + dt.timedelta(days=closed_after) if closed_after is not None else None
        return services.hazard_import(
            actor=self.inspector, project_id=self.rng.choice(self.projects).pk, channel=self.rng.choice(CHANNELS),
            level=level, description=description, location=location, standard_item_id=self._item(found, finding),
            found_at=_beijing(found, self.rng.randint(8, 17)), deadline=deadline, status=status,
            status_at=_beijing(status_at, 15) if status_at else None, escalation_level=escalation,
            note="按原台账导入",
        )

    def build(self) -> dict[str, int]:
        with transaction.atomic():
            self._history()
            self._current_year()
        services.mark_overdue_and_escalate()
        return {"hazards": Hazard.objects.filter(project__in=self.projects).count(), **self.counts}

    def _history(self) -> None:
        rng = self.rng
        # The 2023 stock from the bureau's Excel ledger: mostly closed in time, a few closed late in 2025, one open.
        for n in range(self._n(60)):
            found = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(364))
            if n < 3:
                self._imported(found, status="closed", closed_after=(dt.date(2025, 2, 20) - found).days + n * 9)
            elif n == 3:
                self._imported(found, status="open", closed_after=None, escalation=1)
            else:
                self._imported(found, status="closed")
            self.counts["stock"] += 1
        # Increments of 2024 and 2025: closed, most within the deadline.
        recent = self.ctx.today - dt.timedelta(days=12)
        years = [(2024, 80), (2025, 64)] + ([(self.ctx.today.year, 40)] if self.ctx.today.year > 2025 else [])
        for year, count in years:
            for n in range(self._n(count)):
                found = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
                if found >= recent:
                    continue
                if year == self.ctx.today.year and n < 4:
                    # Left open past the deadline: the periodic job escalates them (挂牌督办).
                    self._imported(found, status="open", finding=rng.choice(FINDINGS[:8]))
                    self.counts["current"] += 1
                    continue
                self._imported(found, status="closed")
                self.counts[str(year) if year <= 2025 else "current"] += 1

    def _current_year(self) -> None:
        """This year's hazards through the live services: every state of the life cycle."""
        rng, today = self.rng, self.ctx.today
        enterprise_user = next((u for u in self.anchor_users if u.person_id is None), None)
        principal = next((u for u in self.anchor_users if u.person_id is not None), None)
        start = today - dt.timedelta(days=12)
        anchor = enterprise_user.enterprise_id if enterprise_user else None
        anchor_projects = [p for p in self.projects if p.contractor_id == anchor]
        for n in range(max(8, self._n(36))):
            fate = n % 8
            found = start + dt.timedelta(days=rng.randrange(max(1, (today - start).days)))
            finding = self._finding()
            if fate == 4:
                finding = self.rng.choice(FINDINGS[:8])  # a major hazard for the principal to acknowledge
            description, location, level = finding[:3]
            # Submissions, extensions and acknowledgements need the anchor enterprise's accounts.
            if fate in (0, 1, 3, 4) and anchor_projects:
                project = rng.choice(anchor_projects)
            else:
                project = self.projects[n % len(self.projects)]
            own = enterprise_user if (project in anchor_projects and n % 2) else None
            found_at = min(_beijing(found, rng.randint(8, 17)), timezone.now() - dt.timedelta(hours=1))
            days = 15 if level == "major" else 7
            deadline = found_at.astimezone(BEIJING).date() + dt.timedelta(days=days)
            hazard = services.hazard_register(
                actor=own or self.inspector, project_id=project.pk, channel="self" if own else rng.choice(CHANNELS),
                level=level, description=description, location=location, found_at=found_at, deadline=deadline,
                standard_item_id=self._item(found_at.astimezone(BEIJING).date(), finding),
            )
            self.counts["current"] += 1
            owner = own or enterprise_user
            if fate in (0, 1) and owner and hazard.enterprise_id == owner.enterprise_id:
                services.hazard_submit(actor=owner, hazard_id=hazard.pk, note="已按整改通知完成整改",
                                       measures="拆除重新设置并复核", responsible_person="项目经理",
                                       funds=rng.choice([3000, 8500, 12000]), contingency_plan="设置警戒区，专人监护")
                if fate == 0:
                    services.hazard_close(actor=self.inspector, hazard_id=hazard.pk, note="复查合格，同意销号")
            elif fate == 2:
                services.hazard_void(actor=self.admin, hazard_id=hazard.pk, reason="现场复核不构成隐患，录入有误")
            elif fate == 3 and owner and hazard.enterprise_id == owner.enterprise_id and deadline >= today:
                services.hazard_request_extension(actor=owner, hazard_id=hazard.pk,
                                                  new_deadline=deadline + dt.timedelta(days=10),
                                                  reason="构配件订货周期长")
            elif fate == 4 and principal and hazard.notified_at and hazard.enterprise_id == principal.enterprise_id:
                services.hazard_acknowledge(actor=principal, hazard_id=hazard.pk)


