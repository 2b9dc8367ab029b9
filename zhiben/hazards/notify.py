"""Who is told about a hazard, and what they are told (送知 the principal and actual controller, 八(2))."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from zhiben.notifications import services as notifications


@dataclass
class Recipients:
    users: list = field(default_factory=list)
    sms: list[tuple[str, str]] = field(default_factory=list)


def principal_recipients(hazard) -> Recipients:
    """Accounts linked to the enterprise's principal and actual controller, and their phones for SMS."""
    enterprise = hazard.enterprise
    people = [p for p in (enterprise.principal, enterprise.actual_controller) if p is not None]
    person_ids = {p.pk for p in people}
    users = list(get_user_model().objects.filter(
        person_id__in=person_ids, role="enterprise", enterprise_id=enterprise.pk, is_active=True,
    )) if person_ids else []
    sms = list({(p.name, p.phone) for p in people if p.phone})
    return Recipients(users=users, sms=sms)


def _url(hazard) -> str:
    return reverse("hazards:detail", args=[hazard.pk])


def send_major_hazard_notice(hazard, recipients: Recipients) -> None:
    title = _("Major hazard %(code)s registered at %(project)s") % {"code": hazard.code, "project": hazard.project}
    body = _("%(description)s Rectify by %(deadline)s and acknowledge receipt on the platform.") % {
        "description": hazard.description[:200], "deadline": hazard.deadline.isoformat(),
    }
    notifications.notify(recipients=recipients.users, kind="hazard.major", title=title, body=body, url=_url(hazard),
                         subject=hazard, requires_ack=True, sms_to=recipients.sms)


def send_reminder(hazard, recipients: Recipients) -> None:
    title = _("Reminder: acknowledge major hazard %(code)s") % {"code": hazard.code}
    body = _("The notification of %(date)s has not been acknowledged yet.") % {
        "date": hazard.notified_at.strftime("%Y-%m-%d %H:%M") if hazard.notified_at else ""
    }
    notifications.notify(recipients=recipients.users, kind="hazard.reminder", title=title, body=body,
                         url=_url(hazard), subject=hazard, sms_to=recipients.sms)


def send_escalation_notice(hazard) -> None:
    """Escalation (挂牌督办) is told to the enterprise's users and principal."""
    users = list(get_user_model().objects.filter(enterprise_id=hazard.enterprise_id, role="enterprise",
                                                 is_active=True))
    title = _("Hazard %(code)s escalated to level %(level)d") % {"code": hazard.code, "level": hazard.escalation_level}
    notifications.notify(recipients=users, kind="hazard.escalated", title=title, url=_url(hazard), subject=hazard,
                         sms_to=principal_recipients(hazard).sms)


def mark_acknowledged(user, hazard) -> None:
    notifications.acknowledge(user=user, subject=hazard)
