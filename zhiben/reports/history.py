"""The report's append-only, hash-chained history, on the shared machinery of `zhiben.core.history` (the same
chain as the hazard ledger's); the receipt code is the hashed subject code."""

from __future__ import annotations

from zhiben.core.history import HashChain
from zhiben.reports.models import Report, ReportEvent

CHAIN = HashChain(event_model=ReportEvent, subject_field="report", code_attr="receipt_code",
                  head_field="history_head")


def append_event(report: Report, *, action: str, actor=None, from_status: str = "", to_status: str = "",
                 data: dict | None = None, actor_name: str = "") -> ReportEvent:
    """Append one entry; call with the report row locked, inside the transaction that changes it."""
    return CHAIN.append(report, action=action, actor=actor, from_status=from_status, to_status=to_status,
                        data=data, actor_name=actor_name)


def verify_chain(report: Report, events: list[ReportEvent] | None = None) -> str | None:
    """The first problem in a report's history (a sentence), or None when it is intact."""
    events = events if events is not None else list(report.events.order_by("seq"))
    problem = CHAIN.verify(report, events) or CHAIN.verify_head(report, events)
    if problem is None:
        status = next((e.to_status for e in reversed(events) if e.to_status), "")
        if status != report.status:
            return f"event {events[-1].seq}: history does not match the report"
        return None
    return f"event {problem.seq}: {problem.reason}"


def integrity_check():
    """Every report's chain, as a core integrity check (`manage.py restore` runs it)."""
    from zhiben.core.integrity import CheckResult

    problems = []
    reports = Report.objects.order_by("pk")
    for report in reports.iterator(chunk_size=500):
        problem = verify_chain(report)
        if problem:
            problems.append(f"{report.receipt_code} (id {report.pk}): {problem}")
    return CheckResult(name="report_history", checked=reports.count(), problems=problems)
