"""What the hazard pages show: badge colours and labels, and the timeline of a hazard's history. Pure functions over
rows already loaded; no queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from zhiben.hazards.states import Channel, Level, Status, event_label

STATUS_COLOURS = {Status.OPEN: "blue", Status.SUBMITTED: "orange", Status.CLOSED: "green", Status.VOID: "secondary"}
LEVEL_COLOURS = {Level.MAJOR: "red", Level.GENERAL: "yellow"}

# 挂牌督办 by the county (1), the city (2) or the province (3).
ESCALATION_LABELS = {
    1: gettext_lazy("Escalated: county"),
    2: gettext_lazy("Escalated: city"),
    3: gettext_lazy("Escalated: province"),
}
ESCALATION_CHOICES = [
    (1, gettext_lazy("Level 1 · supervised by the county")),
    (2, gettext_lazy("Level 2 · supervised by the city")),
    (3, gettext_lazy("Level 3 · supervised by the province")),
]

EVENT_ICONS = {
    "registered": "file-plus", "imported": "file-import", "notified": "send", "reminded": "bell-ringing",
    "acknowledge": "checks", "submit": "upload", "reject-submission": "arrow-back-up", "close": "circle-check",
    "reopen": "refresh", "void": "ban", "request-extension": "calendar-plus", "approve-extension": "calendar-check",
    "deny-extension": "calendar-x", "escalate": "flag", "overdue": "alarm", "duplicate-flagged": "copy",
    "duplicate-merged": "git-merge", "attachment-added": "paperclip", "updated": "edit", "notice-issued": "file-text",
}


# Events that states.py does not name yet; event_label answers these with the bare code.
EXTRA_LABELS = {"duplicate-merged": gettext_lazy("Duplicate merged into this hazard")}


def label_of(action: str) -> str:
    label = event_label(action)
    return str(EXTRA_LABELS.get(action, label)) if label == action else label


def days_overdue(hazard, today: dt.date) -> int:
    """Whole days past the deadline of a live hazard (0 when not overdue)."""
    if hazard.status not in (Status.OPEN, Status.SUBMITTED) or today <= hazard.deadline:
        return 0
    return (today - hazard.deadline).days


def overdue_label(days: int) -> str:
    return ngettext("Overdue %(days)d day", "Overdue %(days)d days", days) % {"days": days}


def decorate(hazard, today: dt.date):
    """Attach the display attributes the list and detail templates read (badge colours, overdue days)."""
    hazard.status_colour = STATUS_COLOURS.get(hazard.status, "secondary")
    hazard.level_colour = LEVEL_COLOURS.get(hazard.level, "secondary")
    hazard.days_overdue = days_overdue(hazard, today)
    hazard.overdue_label = overdue_label(hazard.days_overdue) if hazard.days_overdue else ""
    hazard.escalation_label = ESCALATION_LABELS.get(hazard.escalation_level, "")
    hazard.duplicate_flag = bool(hazard.possible_duplicate_of_id and hazard.is_live and not hazard.duplicate_of_id)
    return hazard


# --- Timeline ---------------------------------------------------------------------------------------------


# The recorded time is shown beside the effective time only when they differ noticeably (backfilled history).
RECORDED_LATER = dt.timedelta(minutes=1)


@dataclass
class TimelineEntry:
    seq: int
    action: str
    label: str
    icon: str
    actor: str
    effective_at: dt.datetime
    recorded_at: dt.datetime | None  # only when it differs from the effective time (backfilled history)
    from_status: str
    to_status: str
    details: list[tuple[str, str]] = field(default_factory=list)
    hash: str = ""
    prev_hash: str = ""

    @property
    def short_hash(self) -> str:
        return self.hash[:10]


def _status_label(value: str) -> str:
    try:
        return str(Status(value).label)
    except ValueError:
        return value


def _choice(enum, value) -> str:
    try:
        return str(enum(value).label)
    except ValueError:
        return str(value)


def _pair(value, fmt=str) -> str:
    """A stored change ``[old, new]`` as "old → new"; a single value as itself."""
    if isinstance(value, list | tuple) and len(value) == 2:
        old, new = value
        return f"{fmt(old) if old not in (None, '') else '—'} → {fmt(new) if new not in (None, '') else '—'}"
    return fmt(value)


def _escalation(value) -> str:
    try:
        return str(ESCALATION_LABELS.get(int(value), _("Not escalated")))
    except (TypeError, ValueError):
        return str(value)


def _yes_no(value) -> str:
    return _("Yes") if value else _("No")


FIELD_LABELS = {
    "description": gettext_lazy("Description"), "location": gettext_lazy("Location"),
    "level": gettext_lazy("Level"), "deadline": gettext_lazy("Deadline"),
    "standard_item": gettext_lazy("Standard item"),
}


def _changes(value) -> str:
    if not isinstance(value, dict):
        return str(value)
    parts = []
    for name, change in value.items():
        fmt = (lambda v: _choice(Level, v)) if name == "level" else str
        parts.append(f"{FIELD_LABELS.get(name, name)}: {_pair(change, fmt)}")
    return "；".join(parts)


def _details(event, duplicate_codes: dict[int, str]) -> list[tuple[str, str]]:
    data = event.data or {}
    action = event.action
    rows: list[tuple[str, str]] = []

    def add(label, value):
        if value not in (None, "", [], {}):
            rows.append((str(label), str(value)))

    if action in {"registered", "imported"}:
        add(_("Channel"), _choice(Channel, data.get("channel")) if data.get("channel") else "")
        add(_("Level"), _choice(Level, data.get("level")) if data.get("level") else "")
        add(_("Deadline"), data.get("deadline"))
        add(_("Location"), data.get("location"))
        add(_("Source reference"), data.get("source_ref"))
    if action == "escalate" or action == "escalated":
        add(_("Escalation level"), _pair(data.get("level"), _escalation) if data.get("level") is not None else "")
    elif "level" in data and action not in {"registered", "imported"}:
        add(_("Level"), _pair(data["level"], lambda v: _choice(Level, v)))
    for key, label in (("reason", _("Reason")), ("note", _("Note")), ("measures", _("Measures taken")),
                       ("responsible_person", _("Responsible person")), ("funds", _("Funds (yuan)")),
                       ("completed_on", _("Completed on")), ("contingency_plan", _("Contingency plan"))):
        add(label, data.get(key))
    if action not in {"registered", "imported"} and "deadline" in data:
        add(_("Deadline"), _pair(data["deadline"]))
    if "old_deadline" in data and "new_deadline" in data:
        add(_("Requested deadline"), _pair([data["old_deadline"], data["new_deadline"]]))
    if data.get("attachments"):
        add(_("Evidence files"), len(data["attachments"]))
    if action == "attachment-added":
        add(_("File"), data.get("name"))
        add(_("SHA-256"), (data.get("sha256") or "")[:16])
    if action == "notified":
        add(_("Accounts notified"), len(data.get("users") or []))
        add(_("Text messages"), data.get("sms"))
    if action == "reminded":
        add(_("Accounts reminded"), len(data.get("users") or []))
    if action in {"duplicate-flagged", "duplicate-merged"}:
        add(_("Hazard"), data.get("code"))
    if action == "void" and data.get("duplicate_of"):
        add(_("Duplicate of"), duplicate_codes.get(data["duplicate_of"], f"#{data['duplicate_of']}"))
    if "first_channel" in data:
        add(_("Found first through"), _pair(data["first_channel"], lambda v: _choice(Channel, v)))
    if action == "close" and "on_time" in data:
        add(_("Closed within the deadline"), _yes_no(data["on_time"]))
    if action == "overdue":
        add(_("Deadline"), data.get("deadline"))
    if action == "updated":
        add(_("Changes"), _changes(data.get("changes")))
    return rows


def timeline(hazard, events) -> list[TimelineEntry]:
    """The hazard's history as the page shows it: Chinese labels, key data, shortened hashes."""
    duplicate_codes = {}
    if hazard.duplicate_of_id:
        duplicate_codes[hazard.duplicate_of_id] = hazard.duplicate_of.code
    entries = []
    for event in events:
        entries.append(TimelineEntry(
            seq=event.seq, action=event.action, label=label_of(event.action),
            icon=EVENT_ICONS.get(event.action, "point"), actor=event.actor_name or _("System"),
            effective_at=event.effective_at,
            recorded_at=event.at if abs(event.at - event.effective_at) >= RECORDED_LATER else None,
            from_status=_status_label(event.from_status) if event.from_status else "",
            to_status=_status_label(event.to_status) if event.to_status else "",
            details=_details(event, duplicate_codes), hash=event.hash, prev_hash=event.prev_hash,
        ))
    return entries
