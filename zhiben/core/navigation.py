"""The side navigation per role, declared as data. URL names are reversed lazily so core imports no app."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from zhiben.core.scoping import REGULATOR_ROLES, scope_of

EVERYONE = frozenset({"regulator_admin", "inspector", "leader", "enterprise", "project", "expert", "platform"})
REGULATORS = frozenset(REGULATOR_ROLES | {"platform"})
ADMINS = frozenset({"regulator_admin", "platform"})


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset = EVERYONE
    icon: str = ""


@dataclass(frozen=True)
class NavSection:
    label: str
    items: list[NavItem] = field(default_factory=list)


MENU: list[NavSection] = [
    NavSection(_("Workbench"), [
        NavItem(_("Home"), "core:home", icon="home"),
        NavItem(_("Inbox"), "notifications:inbox", icon="bell"),
    ]),
    NavSection(
        _("Hazard ledger"),
        [
            NavItem(_("Hazards"), "hazards:list", icon="alert-triangle"),
            NavItem(_("Campaign dashboard"), "dashboard:campaign", REGULATORS | {"enterprise", "project"},
                    icon="chart-bar"),
            NavItem(_("Large screen"), "dashboard:screen", REGULATORS, icon="device-desktop-analytics"),
            NavItem(_("Standards library"), "standards:list", icon="book"),
        ],
    ),
    NavSection(
        _("Public reports"),
        [
            NavItem(_("Reports"), "reports:list", REGULATORS, icon="speakerphone"),
            NavItem(_("Public portal"), "public:portal", REGULATORS, icon="world"),
        ],
    ),
    NavSection(
        _("Registry"),
        [
            NavItem(_("Enterprises"), "registry:enterprise_list", icon="building"),
            NavItem(_("Projects"), "registry:project_list", icon="crane"),
            NavItem(_("Persons"), "registry:person_list", icon="users"),
            NavItem(_("Certificates"), "registry:certificate_list", icon="id-badge"),
            NavItem(_("Expiry warnings"), "registry:warnings", icon="clock-exclamation"),
            NavItem(_("Excel import"), "registry:import", EVERYONE - {"expert", "leader"}, icon="file-import"),
        ],
    ),
    NavSection(
        _("System"),
        [
            NavItem(_("Users"), "accounts:user_list", ADMINS, icon="user-cog"),
            NavItem(_("Audit log"), "accounts:audit_log", ADMINS, icon="list-search"),
            NavItem(_("Outbox"), "notifications:outbox", ADMINS, icon="send"),
            NavItem(_("API documentation"), "api-docs", EVERYONE, icon="api"),
        ],
    ),
]


def role_of(user) -> str:
    return "platform" if user.is_superuser else (getattr(user, "role", "") or "")


def menu_for(user, current_path: str = "") -> list[dict]:
    role = role_of(user)
    sections = []
    for section in MENU:
        items = []
        for item in section.items:
            if role not in item.roles:
                continue
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                continue
            active = current_path == url or (url != "/" and current_path.startswith(url))
            items.append({"label": item.label, "url": url, "icon": item.icon, "active": active})
        if items:
            sections.append({"label": section.label, "items": items})
    return sections


def scope_label(user) -> str:
    """A short Chinese description of what the caller sees, for the header."""
    scope = scope_of(user)
    if scope.kind == "all":
        return str(_("Platform (all regions)"))
    if scope.kind == "region":
        return str(user.region)
    if scope.kind == "enterprise":
        return str(user.enterprise)
    if scope.kind == "project":
        return str(user.project)
    return str(_("No scope assigned"))
