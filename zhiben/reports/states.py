"""Report and reward statuses and their transition tables (API.md, Public reports), as data.

A report is `received` (submitted, awaiting triage) → `assigned` (an inspector verifies it on site) →
`verified` (outcome recorded: substantiated, unsubstantiated or duplicate) → `closed` (the public outcome is final).
A reward is `proposed` by an inspector → `approved` by a leader (never its proposer) → `paid`; a leader may instead
reject it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Status(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("report status", "Received")
    ASSIGNED = "assigned", pgettext_lazy("report status", "Being verified")
    VERIFIED = "verified", pgettext_lazy("report status", "Verified")
    CLOSED = "closed", pgettext_lazy("report status", "Closed")


class Outcome(models.TextChoices):
    SUBSTANTIATED = "substantiated", _("Substantiated")
    UNSUBSTANTIATED = "unsubstantiated", _("Not substantiated")
    DUPLICATE = "duplicate", _("Duplicate of an earlier report")


class RewardStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("reward status", "Proposed")
    APPROVED = "approved", pgettext_lazy("reward status", "Approved")
    PAID = "paid", pgettext_lazy("reward status", "Paid")
    REJECTED = "rejected", pgettext_lazy("reward status", "Rejected")


TRIAGE = frozenset({"regulator_admin", "platform"})        # assign reports
VERIFIERS = frozenset({"regulator_admin", "inspector", "platform"})
APPROVERS = frozenset({"leader", "regulator_admin", "platform"})  # approve or reject rewards (never the proposer)
READERS = frozenset({"regulator_admin", "inspector", "leader", "platform"})


@dataclass(frozen=True)
class Move:
    sources: frozenset[str]
    target: str | None  # None keeps the status
    roles: frozenset[str]


REPORT_MOVES: dict[str, Move] = {
    "assign": Move(frozenset({Status.RECEIVED, Status.ASSIGNED}), Status.ASSIGNED, TRIAGE),
    "verify": Move(frozenset({Status.ASSIGNED}), Status.VERIFIED, VERIFIERS),
    "close": Move(frozenset({Status.VERIFIED}), Status.CLOSED, VERIFIERS),
    "propose-reward": Move(frozenset({Status.VERIFIED, Status.CLOSED}), None, VERIFIERS),
}

REWARD_MOVES: dict[str, Move] = {
    "approve": Move(frozenset({RewardStatus.PROPOSED}), RewardStatus.APPROVED, APPROVERS),
    "reject": Move(frozenset({RewardStatus.PROPOSED}), RewardStatus.REJECTED, APPROVERS),
    "pay": Move(frozenset({RewardStatus.APPROVED}), RewardStatus.PAID, VERIFIERS),
}
