"""Reports stage of the demo: public and internal reports of 交城县 sites in every state, through the report
services (so histories, hash chains and the vault are real): new ones awaiting triage (one past its time limit),
some being verified, unsubstantiated and duplicate ones, substantiated ones that became hazards, and rewards
proposed, approved and paid. The county leader holds the permission to reveal reporters' identities.
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO

from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from zhiben.accounts.models import User
from zhiben.demo.builders.registry_data import DEMO_ENTERPRISE_NAMES, JIAOCHENG
from zhiben.demo.stages import DemoContext
from zhiben.hazards.models import Hazard
from zhiben.notifications.models import Notification
from zhiben.registry.models import Project
from zhiben.reports import services
from zhiben.reports.models import Report, ReportEvent, ReportPhoto, Reward
from zhiben.standards.selectors import items_in_force

# (what was seen, location, hazard level when substantiated, determination item of 建质规〔2024〕5号 if major)
SIGHTINGS = [
    ("塔吊司机没有操作证，晚上还在吊钢筋", "2号楼北侧塔吊", "major", "2024-4.3"),
    ("基坑边上堆了很多土，没有护栏，坑挺深的", "基坑东边", "major", "2024-14.2"),
    ("外脚手架连墙件拆了好几处，风大时架子晃", "3号楼外架", "major", "2024-7.2"),
    ("工人在五楼楼边干活不系安全带，也没有安全网", "5号楼五层临边", "major", "2024-9.4"),
    ("施工电梯门锁坏了，门开着也能上下", "1号楼施工电梯", "major", "2024-8.4"),
    ("临时电线拖在水里，配电箱没有门", "生活区后面", "general", ""),
    ("夜间施工噪声大，工人没戴安全帽", "工地西门", "general", ""),
    ("模板支架很高，没看到有专家论证的方案", "地下车库顶板", "major", "2024-4.4"),
]
NAMES = [("钱立新", "13834560001"), ("孙海燕", "13934560002"), ("周建平", "15034560003")]
REVEAL_HOLDER = "jc_leader"


def _photo(n: int) -> SimpleUploadedFile:
    from PIL import Image

    image = Image.new("RGB", (320, 240), (120 + n * 10, 110, 100))
    out = BytesIO()
    image.save(out, format="JPEG")
    return SimpleUploadedFile(f"IMG_{n:04d}.jpg", out.getvalue(), content_type="image/jpeg")


class ReportsStage:
    name = "reports"

    def _projects(self):
        return Project.objects.filter(contractor__name__in=DEMO_ENTERPRISE_NAMES, region_id=JIAOCHENG,
                                      status="under_construction").order_by("pk")

    def is_built(self) -> bool:
        return Report.objects.filter(region_id=JIAOCHENG).exists()

    def clear(self) -> None:
        reports = Report.objects.filter(region_id=JIAOCHENG)
        ids = list(reports.values_list("pk", flat=True))
        Reward.objects.filter(report_id__in=ids).delete()
        ReportEvent.objects.filter(report_id__in=ids).delete()
        for photo in ReportPhoto.objects.filter(report_id__in=ids):
            photo.file.delete(save=False)
            photo.delete()
        Notification.objects.filter(subject_type="reports.report", subject_id__in=[str(i) for i in ids]).delete()
        reports.update(outcome="", duplicate_of=None, hazard=None)  # the hazards stage clears the ledger's rows
        reports.delete()

    @transaction.atomic
    def build(self, ctx: DemoContext) -> dict[str, int]:
        rng = ctx.rng("reports")
        admin = User.objects.get(username="jc_admin")
        inspector = User.objects.get(username="jc_inspector")
        leader = User.objects.get(username=REVEAL_HOLDER)
        leader.user_permissions.add(Permission.objects.get(codename="reveal_reporter",
                                                           content_type__app_label="reports"))
        projects = list(self._projects())
        made: list[Report] = []

        keys: dict[int, str] = {}

        def submit(n: int, *, named: bool = False, internal: bool = False, photos: int = 0) -> Report:
            seen, location = SIGHTINGS[n % len(SIGHTINGS)][:2]
            project = projects[rng.randrange(len(projects))]
            name, phone = NAMES[n % len(NAMES)] if named else ("", "")
            report, key = services.report_submit(
                description=seen, project_id=project.pk, location=location, anonymous=not named,
                reporter_name=name, reporter_phone=phone, internal=internal,
                enterprise_id=project.contractor_id if internal else None,
                uploads=[_photo(n * 10 + i) for i in range(photos)],
            )
            made.append(report)
            keys[report.pk] = key
            return report

        def verify(report: Report, outcome: str, n: int, **extra) -> Report:
            services.report_assign(actor=admin, report_id=report.pk, inspector_id=inspector.pk)
            texts = {
                "substantiated": ("现场核查属实，已下达整改通知。",
                                  "经核查，您反映的问题属实，已责令施工单位限期整改。感谢您的监督。"),
                "unsubstantiated": ("现场未发现所反映问题，塔吊司机持证上岗。",
                                    "经核查，未发现您反映的问题。感谢您的监督。"),
                "duplicate": ("与在先举报为同一问题。", "您反映的问题已有群众举报，正在处理中。"),
            }[outcome]
            hazard = None
            if outcome == "substantiated" and "hazard_id" not in extra:
                seen, location, level, code = SIGHTINGS[n % len(SIGHTINGS)]
                item = items_in_force(inspector, ctx.today).filter(code=code).first() if code else None
                hazard = {"level": level, "description": f"群众举报查实：{seen}", "location": location,
                          "standard_item": item.pk if item else None}
            return services.report_verify(actor=inspector, report_id=report.pk, outcome=outcome, note=texts[0],
                                          public_text=texts[1], hazard=hazard, **extra)

        # Awaiting triage: one of them past its time limit (the demo ages it; its history is untouched).
        submit(0, photos=1)
        late = submit(1, named=True)
        Report.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(days=2))
        submit(2, internal=True)
        # Being verified.
        services.report_assign(actor=admin, report_id=submit(3, photos=2).pk, inspector_id=inspector.pk)
        # Verified: not substantiated, a duplicate, substantiated ones (a hazard each) with rewards in each state.
        verify(submit(4), "unsubstantiated", 4)
        first = verify(submit(5, named=True, photos=1), "substantiated", 5)
        verify(submit(6), "duplicate", 6, duplicate_of=first.pk)
        paid = verify(submit(7, named=True), "substantiated", 7)
        approved = verify(submit(8), "substantiated", 8)
        proposed = verify(submit(9, named=True), "substantiated", 9)
        reward = services.reward_propose(actor=inspector, report_id=paid.pk, basis="fine", fine_amount="50000")
        services.reward_decide(actor=leader, reward_id=reward.pk, approve=True)
        name, phone = NAMES[7 % len(NAMES)]
        services.reward_claim(receipt_code=paid.receipt_code, access_key=keys[paid.pk], name=name, phone=phone,
                              account="6217000000001234567")
        services.reward_pay(actor=inspector, reward_id=reward.pk, paid_on=ctx.today - dt.timedelta(days=3),
                            reference=f"交住建奖{ctx.today:%Y}-001")
        reward = services.reward_propose(actor=inspector, report_id=approved.pk, basis="fine", fine_amount="20000")
        services.reward_decide(actor=leader, reward_id=reward.pk, approve=True)
        services.reward_propose(actor=admin, report_id=proposed.pk, basis="fine", fine_amount="100000")
        services.report_close(actor=inspector, report_id=first.pk)
        return {"reports": len(made), "hazards": Hazard.objects.filter(source_ref__startswith="report:").count(),
                "rewards": Reward.objects.filter(report__in=made).count()}
