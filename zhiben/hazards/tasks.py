"""Background entry points of the hazard ledger. Each loads what it needs and calls a service.

PERIODIC_JOBS is read by the embedded scheduler (config/scheduler.py, `manage.py serve`) and by Celery beat
(config/celery.py) at scale.
"""

from __future__ import annotations

from zhiben.hazards import services, snapshots

PERIODIC_JOBS = [
    ("hazards.overdue", "zhiben.hazards.tasks.mark_overdue", 15 * 60),
    ("hazards.ack_reminders", "zhiben.hazards.tasks.ack_reminders", 15 * 60),
    ("hazards.closing_tallies", "zhiben.hazards.tasks.closing_tallies", 15 * 60),
]


def mark_overdue() -> dict:
    return services.mark_overdue_and_escalate()


def ack_reminders() -> int:
    return services.send_acknowledgement_reminders()


def closing_tallies() -> int:
    """Store the closing tallies of each completed Beijing day not stored yet (decision 0012)."""
    return len(snapshots.build_missing())
