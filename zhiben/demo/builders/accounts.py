"""Accounts stage of the demo: one login for every role, all with the password printed by `load_demo`."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from zhiben.accounts.models import Role, User
from zhiben.demo.builders.registry_data import ANCHOR_ENTERPRISE, ANCHOR_PROJECT, JIAOCHENG, LULIANG
from zhiben.demo.stages import DemoContext
from zhiben.registry.models import Enterprise, Project, Region

DEMO_PASSWORD = "Zhiben@2024"  # noqa: S105  (published demo password, printed on every run)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str                 # "" for the platform administrator (superuser)
    role_label: str
    display_name: str
    region: int | None = None
    scope: str = ""           # "enterprise" (the anchor enterprise), "project" (its anchor project), "principal"
    phone: str = ""


ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", "", "平台管理员", "平台管理员"),
    DemoAccount("jc_admin", Role.REGULATOR_ADMIN, "监管管理员", "交城县住建局管理员", JIAOCHENG,
                phone="0358-3522101"),
    DemoAccount("jc_inspector", Role.INSPECTOR, "监督执法人员", "交城县住建局监督员", JIAOCHENG,
                phone="0358-3522102"),
    DemoAccount("jc_leader", Role.LEADER, "领导", "交城县住建局分管领导", JIAOCHENG, phone="0358-3522100"),
    DemoAccount("ll_admin", Role.REGULATOR_ADMIN, "监管管理员", "吕梁市住建局管理员", LULIANG,
                phone="0358-8221001"),
    DemoAccount("zhuanjia", Role.EXPERT, "专家", "交城县安全生产专家", JIAOCHENG),
    DemoAccount("qiye", Role.ENTERPRISE, "企业用户", "交城建工集团安全管理部", scope="enterprise"),
    DemoAccount("xiangmu", Role.PROJECT, "项目用户", f"{ANCHOR_PROJECT}项目部", scope="project"),
    DemoAccount("qiye_fzr", Role.ENTERPRISE, "企业用户（主要负责人）", "交城建工集团主要负责人", scope="principal"),
)
USERNAMES = [a.username for a in ACCOUNTS]


class AccountsStage:
    """The demo accounts; an account that already exists is left as it is (and keeps its password)."""

    name = "accounts"

    def is_built(self) -> bool:
        return User.objects.filter(username__in=USERNAMES).count() == len(ACCOUNTS)

    def build(self, ctx: DemoContext) -> dict[str, int]:
        enterprise = Enterprise.objects.select_related("principal").get(name=ANCHOR_ENTERPRISE,
                                                                         region_id=JIAOCHENG)
        project = Project.objects.get(name=ANCHOR_PROJECT, contractor=enterprise)
        existing = set(User.objects.filter(username__in=USERNAMES).values_list("username", flat=True))
        # One hash for all: the password is public, and PBKDF2 at Django's work factor costs ~0.3 s per call.
        encoded = make_password(DEMO_PASSWORD)
        users = []
        for account in ACCOUNTS:
            if account.username in existing:
                continue
            user = User(username=account.username, role=account.role, display_name=account.display_name,
                        phone=account.phone, password=encoded)
            if not account.role:
                user.is_superuser = user.is_staff = True
            if account.region:
                user.region = Region.objects.get(code=account.region)
            if account.scope in {"enterprise", "principal"}:
                user.enterprise = enterprise
            if account.scope == "project":
                user.project = project
            if account.scope == "principal":
                user.person = enterprise.principal
                user.display_name = f"{enterprise.principal.name}（{account.display_name}）"
            user.full_clean(exclude=["password"])  # also derives the region of enterprise and project users
            users.append(user)
        User.objects.bulk_create(users)
        return {"accounts": len(users)}

    def clear(self) -> None:
        User.objects.filter(username__in=USERNAMES).delete()


def account_rows() -> list[tuple[str, str, str, str]]:
    """(username, role, scope, password) of each demo account, for the table `load_demo` prints."""
    users = {u.username: u for u in User.objects.filter(username__in=USERNAMES)
             .select_related("region", "enterprise", "project")}
    rows = []
    for account in ACCOUNTS:
        user = users.get(account.username)
        if user is None:
            continue
        if user.is_superuser:
            scope = "全部地区"
        elif user.project_id:
            scope = f"项目：{user.project.name}"
        elif user.enterprise_id:
            scope = f"企业：{user.enterprise.name}"
        else:
            scope = f"{user.region.full_name}（{user.region_id}）"
        rows.append((account.username, account.role_label, scope, DEMO_PASSWORD))
    return rows
