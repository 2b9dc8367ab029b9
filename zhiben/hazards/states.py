"""Hazard statuses and the transition table (API.md, Hazards), as data.

`open` (registered, being rectified) → `submitted` (rectification handed in) → `closed` (销号 after
re-inspection); `submitted` → `open` (re-inspection failed); `open` → `void` (registered in error or merged as
a duplicate); `closed` → `open` (reopened by a regulator). Actions that keep the status (extensions,
escalation, acknowledgement) are in the table too, so one gate checks every action.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    SUBMITTED = "submitted", _("Submitted for re-inspection")
    CLOSED = "closed", _("Closed out")
    VOID = "void", _("Void")


class Channel(models.TextChoices):
    SELF = "self", _("Enterprise self-inspection")
    INSPECTION = "inspection", _("Regulator inspection")
    REPORT = "report", _("Verified public report")
    ALARM = "alarm", _("Smart-site alarm")


class Level(models.TextChoices):
    MAJOR = "major", _("Major hazard")
    GENERAL = "general", _("General hazard")


# Who may act (roles as in accounts.Role; "platform" is a superuser).
REGULATORS = frozenset({"regulator_admin", "inspector", "platform"})
REVIEWERS = REGULATORS | {"expert"}
OWNERS = frozenset({"enterprise", "project"})
PRINCIPALS = frozenset({"principal"})  # a user linked to the enterprise's principal or actual controller
LIVE = frozenset({Status.OPEN, Status.SUBMITTED})


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset
    target: str | None  # None keeps the status
    roles: frozenset
    label: str


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition("submit", frozenset({Status.OPEN}), Status.SUBMITTED, OWNERS | REGULATORS,
                   _("Submit rectification")),
        Transition("reject-submission", frozenset({Status.SUBMITTED}), Status.OPEN, REVIEWERS,
                   _("Reject the rectification")),
        Transition("close", frozenset({Status.SUBMITTED}), Status.CLOSED, REVIEWERS, _("Close out")),
        Transition("reopen", frozenset({Status.CLOSED}), Status.OPEN, REGULATORS, _("Reopen")),
        Transition("void", frozenset({Status.OPEN}), Status.VOID, REGULATORS, _("Void")),
        Transition("request-extension", frozenset({Status.OPEN}), None, OWNERS, _("Request an extension")),
        Transition("approve-extension", frozenset(LIVE), None, REGULATORS, _("Approve the extension")),
        Transition("deny-extension", frozenset(LIVE), None, REGULATORS, _("Deny the extension")),
        Transition("escalate", frozenset(LIVE), None, REGULATORS, _("Escalate")),
        Transition("acknowledge", frozenset(LIVE | {Status.CLOSED}), None, PRINCIPALS,
                   _("Acknowledge the notification")),
    ]
}

# Events that are not user actions: recorded by the service itself.
SYSTEM_EVENTS = {
    "registered": _("Registered"),
    "updated": _("Details changed"),
    "notified": _("Principal and actual controller notified"),
    "reminded": _("Reminder sent"),
    "overdue": _("Deadline passed"),
    "duplicate-flagged": _("Possible duplicate flagged"),
    "attachment-added": _("Evidence attached"),
    "imported": _("Imported from the historical ledger"),
    "notice-issued": _("Rectification notice issued"),
}


def event_label(action: str) -> str:
    if action in TRANSITIONS:
        return str(TRANSITIONS[action].label)
    if action == "escalated":
        return str(_("Escalated"))
    return str(SYSTEM_EVENTS.get(action, action))
