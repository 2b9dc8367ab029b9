"""Registry widgets of the home page (collected by zhiben.core.views): scoped counts, one query each."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from zhiben.registry import selectors
from zhiben.registry.models import ProjectStatus


def widgets(request) -> list[dict]:
    user = request.user
    if not user.is_authenticated:
        return []
    expiring = selectors.expiring_certificates(user).count()
    return [
        {
            "label": _("Enterprises"),
            "value": selectors.enterprises_visible_to(user).count(),
            "url": reverse("registry:enterprise_list"),
            "icon": "building", "colour": "blue", "order": 50,
        },
        {
            "label": _("Projects under construction"),
            "value": selectors.projects_visible_to(user).filter(status=ProjectStatus.UNDER_CONSTRUCTION).count(),
            "url": reverse("registry:project_list") + f"?status={ProjectStatus.UNDER_CONSTRUCTION}",
            "icon": "crane", "colour": "green", "order": 51,
        },
        {
            "label": _("Persons"),
            "value": selectors.persons_visible_to(user).count(),
            "url": reverse("registry:person_list"),
            "icon": "users", "colour": "azure", "order": 52,
        },
        {
            "label": _("Certificates expiring or expired"),
            "value": expiring,
            "url": reverse("registry:warnings") + "#certificates",
            "icon": "clock-exclamation", "colour": "red" if expiring else "green", "order": 53,
        },
    ]
