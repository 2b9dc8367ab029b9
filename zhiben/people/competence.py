"""The competence answer (两场联动, seed 二(六)、三): may this person work now, on this project, in this role — and if
not, why. One function in one place: the person page, exports, the smart-site gate check and the dashboard all
call `competence` / `competence_many`; nothing else decides it.

Each reason is a separate check over a batch of persons (`CHECKS`), so a gate checking 10^3 entries costs a
handful of queries, not 10^3. A check answers {person_id: {reason codes}} for the persons it refuses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from zhiben.core.timeutils import beijing_today
from zhiben.people.roles import ROLE_CERTIFICATES
from zhiben.registry.models import Certificate, LifetimeBan, Person, Project

# Reason codes (API.md, People and competence) in the order they are shown.
REASONS: dict[str, str] = {
    "banned": _("Under a lifetime ban"),
    "suspended": _("Suspended from site work after a violation until retrained"),
    "exam_failed": _("Failed an exam and awaits retraining"),
    "certificate_missing": _("No certificate for this role"),
    "certificate_expired": _("Certificate for this role expired or revoked"),
    "induction_incomplete": _("Three-level safety induction incomplete"),
}


@dataclass(frozen=True)
class Competence:
    may_work: bool
    reasons: tuple[str, ...]

    @property
    def messages(self) -> list[str]:
        return [str(REASONS.get(code, code)) for code in self.reasons]

    def as_dict(self) -> dict:
        return {"may_work": self.may_work, "reasons": list(self.reasons), "messages": self.messages}


@dataclass(frozen=True)
class Question:
    """What a check is asked: the persons (ids), and the project, role and day of the question."""

    person_ids: list[int]
    project: Project | None
    role: str | None
    on: dt.date


Check = Callable[[Question], dict[int, set[str]]]


def _bans(question: Question) -> dict[int, set[str]]:
    banned = LifetimeBan.objects.filter(person_id__in=question.person_ids, lifted=False,
                                        decided_on__lte=question.on).values_list("person_id", flat=True)
    return {pid: {"banned"} for pid in banned}


def _certificates(question: Question) -> dict[int, set[str]]:
    kinds = ROLE_CERTIFICATES.get(question.role or "")
    if not kinds:
        return {}
    held: dict[int, bool] = {}
    rows = Certificate.objects.filter(person_id__in=question.person_ids, kind__in=kinds).values_list(
        "person_id", "issued", "expires", "revoked")
    for pid, issued, expires, revoked in rows:
        valid = not revoked and issued <= question.on <= expires
        held[pid] = held.get(pid, False) or valid
    answer: dict[int, set[str]] = {}
    for pid in question.person_ids:
        if pid not in held:
            answer[pid] = {"certificate_missing"}
        elif not held[pid]:
            answer[pid] = {"certificate_expired"}
    return answer


# The checks, in order; the people app's training, exam and violation records add theirs here.
CHECKS: list[Check] = [_bans, _certificates]


def competence_many(persons: Iterable[Person | int], *, project: Project | None = None, role: str | None = None,
                    on: dt.date | None = None) -> dict[int, Competence]:
    """The answer for each person (by id). `on` defaults to today in Beijing; `role` None asks about no role
    (no certificate needed), `project` None about no particular project."""
    ids = sorted({p if isinstance(p, int) else p.pk for p in persons})
    question = Question(person_ids=ids, project=project, role=role, on=on or beijing_today())
    refused: dict[int, set[str]] = {pid: set() for pid in ids}
    if ids:
        for check in CHECKS:
            for pid, codes in check(question).items():
                if pid in refused:
                    refused[pid] |= codes
    order = list(REASONS)
    return {
        pid: Competence(may_work=not codes,
                        reasons=tuple(sorted(codes, key=lambda c: (order.index(c) if c in order else len(order), c))))
        for pid, codes in refused.items()
    }


def competence(person: Person | int, *, project: Project | None = None, role: str | None = None,
               on: dt.date | None = None) -> Competence:
    """May this person work now (or on `on`), on `project`, in `role` — and why not."""
    pid = person if isinstance(person, int) else person.pk
    return competence_many([pid], project=project, role=role, on=on)[pid]
