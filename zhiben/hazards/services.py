"""Every state change of a hazard happens here (BRIEF capability 3; API.md, Hazards).

Each public function takes the acting user first (None only for the system's own periodic jobs), runs in one
transaction with the hazard row locked, checks role and scope through the transition table in states.py,
changes the row and appends an event to the hash-chained history. Views, the API, imports and periodic jobs
all call these functions; nothing else writes a hazard's status.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiben.core.errors import Forbidden, InvalidTransition, NotFound
from zhiben.core.numbering import DocumentNumber, next_document_number, register_document_number
from zhiben.core.timeutils import BEIJING, beijing_date, beijing_today
from zhiben.hazards import duplicates, notify, search
from zhiben.hazards.attachments import inspect_upload
from zhiben.hazards.history import append_event
from zhiben.hazards.models import (
    STOCK_CUTOFF,
    Attachment,
    ExtensionRequest,
    Hazard,
    Rectification,
)
from zhiben.hazards.states import LIVE, TRANSITIONS, Channel, Level, Status
from zhiben.registry.selectors import projects_visible_to
from zhiben.standards.selectors import item_in_force

REGISTRAR_ROLES = {"regulator_admin", "inspector", "expert", "enterprise", "project"}


def role_of(actor) -> str:
    if actor is None:
        return "system"
    return "platform" if actor.is_superuser else (actor.role or "")


def _is_principal(actor, hazard: Hazard) -> bool:
    """The acting user stands for the enterprise's principal or actual controller (送知 recipient)."""
    if actor is None or actor.role != "enterprise" or actor.enterprise_id != hazard.enterprise_id:
        return False
    enterprise = hazard.enterprise
    return actor.person_id is not None and actor.person_id in {enterprise.principal_id, enterprise.actual_controller_id}


def allowed_actions(actor, hazard: Hazard) -> list[str]:
    """The actions the caller may take on the hazard now (for pages and the API's `actions`)."""
    role = role_of(actor)
    result = []
    for action, transition in TRANSITIONS.items():
        if hazard.status not in transition.sources:
            continue
        if "principal" in transition.roles:
            if not _is_principal(actor, hazard) or hazard.acknowledged_at or not hazard.notified_at:
                continue
        elif role not in transition.roles:
            continue
        if action in {"approve-extension", "deny-extension"} and not hazard.extensions.filter(
            state=ExtensionRequest.State.PENDING
        ).exists():
            continue
        if action == "request-extension" and hazard.extensions.filter(state=ExtensionRequest.State.PENDING).exists():
            continue
        if action == "escalate" and hazard.escalation_level >= 3:
            continue
        result.append(action)
    return result


def _lock(actor, hazard_id: int) -> Hazard:
    """The hazard, locked for this transaction, if the actor may see it; otherwise NotFound (404)."""
    # FOR NO KEY UPDATE: other transactions' foreign-key checks against this row (KEY SHARE, e.g. a hazard
    # pointing at it as its possible duplicate) do not wait on it, so jobs on related hazards cannot deadlock.
    qs = Hazard.objects.select_for_update(no_key=True)
    if actor is not None:
        qs = qs.visible_to(actor)
    hazard = qs.filter(pk=hazard_id).first()
    if hazard is None:
        raise NotFound(_("Not found."))
    return hazard


def _gate(actor, hazard: Hazard, action: str) -> str:
    """Check that `action` is allowed in the hazard's state and for the actor's role; returns the old status."""
    transition = TRANSITIONS[action]
    if actor is not None:
        if "principal" in transition.roles:
            if not _is_principal(actor, hazard):
                raise Forbidden(_("Only the enterprise's principal or actual controller can acknowledge."))
        elif role_of(actor) not in transition.roles:
            raise Forbidden(_("Your role may not do this."))
    if hazard.status not in transition.sources:
        raise InvalidTransition(
            _("“%(action)s” is not possible while the hazard is “%(status)s”.")
            % {"action": transition.label, "status": Status(hazard.status).label}
        )
    return hazard.status


def _required_text(value, field: str) -> str:
    value = (value or "").strip() if isinstance(value, str) else ""
    if not value:
        raise ValidationError({field: [_("This field is required.")]})
    return value


def _parse_date(value, field: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return beijing_date(value)
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise ValidationError({field: [_("Enter a date as YYYY-MM-DD.")]}) from None


# --- Registration ---------------------------------------------------------------------------------------


# YH1411222026000001: the region's code, the Beijing year and a serial per region and year.
HAZARD_CODE = register_document_number(DocumentNumber(kind="hazard", template="YH{region}{year}{serial:06d}"))


def _next_code(region_code: int, year: int) -> str:
    return next_document_number(HAZARD_CODE.kind, region_code, year)


def _validate_registration(actor, *, project, channel, level, standard_item_id, found_at, deadline, description):
    errors: dict[str, list[str]] = {}
    now = timezone.now()
    if found_at is None:
        found_at = now
    if found_at > now + dt.timedelta(minutes=5):
        errors["found_at"] = [_("The time found cannot be in the future.")]
    found_on = beijing_date(found_at)
    if channel not in Channel.values:
        errors["channel"] = [_("Unknown channel.")]
    if level not in Level.values:
        errors["level"] = [_("Choose major or general.")]
    item = None
    if standard_item_id:
        item = item_in_force(actor, standard_item_id, found_on) if actor else None
        if item is None and actor is None:
            from zhiben.standards.models import StandardItem
            from zhiben.standards.selectors import in_force_q

            item = StandardItem.objects.filter(in_force_q(found_on, "standard__"), pk=standard_item_id).first()
        if item is None:
            errors["standard_item"] = [_("This item is not part of a standard in force on the day the hazard "
                                         "was found.")]
        elif item.level == Level.MAJOR and level == Level.GENERAL and item.standard.kind == "determination":
            errors["level"] = [_("An item of the major hazard determination standard makes this a major hazard.")]
    if not (description or "").strip():
        errors["description"] = [_("Describe the hazard.")]
    if deadline is None and level in Level.values:
        deadline = found_on + dt.timedelta(days=settings.HAZARD_DEFAULT_DAYS[level])
    if deadline is not None and deadline < found_on:
        errors["deadline"] = [_("The deadline cannot be before the day the hazard was found.")]
    if errors:
        raise ValidationError(errors)
    return item, found_at, found_on, deadline


@transaction.atomic
def hazard_register(
    *, actor, project_id: int, channel: str, level: str, description: str, location: str = "",
    standard_item_id: int | None = None, found_at: dt.datetime | None = None, deadline: dt.date | None = None,
    source_ref: str = "", request=None, notify_principal: bool = True, event_action: str = "registered",
) -> Hazard:
    """Register a hazard from any channel.

    Regulators (and experts, for inspection findings) register any channel in their region; enterprise and
    project users register self-inspection hazards of their own projects. `actor=None` is the system itself
    (verified public reports and smart-site alarms arrive through reports/smartsite services).
    """
    role = role_of(actor)
    if actor is not None:
        if role not in REGISTRAR_ROLES | {"platform"}:
            raise Forbidden(_("Your role may not register hazards."))
        if role in {"enterprise", "project"} and channel != Channel.SELF:
            raise ValidationError({"channel": [_("Enterprises and project teams report self-inspection hazards.")]})
        if role == "expert" and channel != Channel.INSPECTION:
            raise ValidationError({"channel": [_("Experts record inspection findings.")]})
        project = projects_visible_to(actor).select_related("contractor").filter(pk=project_id).first()
    else:
        from zhiben.registry.models import Project

        project = Project.objects.select_related("contractor").filter(pk=project_id).first()
    if project is None:
        raise ValidationError({"project": [_("Unknown project.")]})
    item, found_at, found_on, deadline = _validate_registration(
        actor, project=project, channel=channel, level=level, standard_item_id=standard_item_id,
        found_at=found_at, deadline=deadline, description=description,
    )
    hazard = Hazard(
        code=_next_code(project.region_id, found_on.year), project=project, enterprise=project.contractor,
        region_id=project.region_id, channel=channel, level=level, standard_item=item,
        description=description.strip(), location=(location or "").strip(), found_at=found_at, found_on=found_on,
        is_stock=found_on <= STOCK_CUTOFF, deadline=deadline, original_deadline=deadline, status=Status.OPEN,
        first_channel=channel, first_found_at=found_at, source_ref=source_ref or "",
        created_by=actor if actor is not None else None,
    )
    search.fill(hazard)
    hazard.full_clean(exclude=["code"])
    hazard.save()
    append_event(hazard, action=event_action, actor=actor, to_status=Status.OPEN, effective_at=found_at, data={
        "channel": channel, "level": level, "project": project.pk, "standard_item": item.pk if item else None,
        "description": hazard.description, "location": hazard.location, "deadline": deadline,
        "found_at": found_at, "source_ref": hazard.source_ref,
    })
    match = duplicates.find_possible_duplicate(hazard)
    if match is not None:
        hazard.possible_duplicate_of = match
        hazard.save(update_fields=["possible_duplicate_of", "updated_at"])
        append_event(hazard, action="duplicate-flagged", actor=None, data={"hazard": match.pk, "code": match.code})
    if notify_principal and level == Level.MAJOR:
        _notify_principal(hazard)
    return hazard


def hazard_register_from_report(
    *, verified_by, report_ref: str, project_id: int, level: str, description: str, location: str = "",
    standard_item_id: int | None = None, found_at: dt.datetime | None = None, deadline: dt.date | None = None,
) -> Hazard:
    """Entry point for the public report channel (群众举报查实): the regulator who verified the report registers
    the hazard with channel `report`, pointing back at the report (its receipt code, never the reporter)."""
    return hazard_register(
        actor=verified_by, project_id=project_id, channel=Channel.REPORT, level=level, description=description,
        location=location, standard_item_id=standard_item_id, found_at=found_at, deadline=deadline,
        source_ref=f"report:{report_ref}",
    )


def hazard_register_from_alarm(
    *, alarm_ref: str, project_id: int, level: str, description: str, location: str = "",
    standard_item_id: int | None = None, found_at: dt.datetime | None = None, deadline: dt.date | None = None,
) -> Hazard:
    """Entry point for smart-site alarms (智慧工地): an alarm left unhandled becomes a hazard with channel `alarm`,
    registered by the system itself (no acting user); the same alarm never makes two hazards."""
    ref = f"alarm:{alarm_ref}"
    existing = Hazard.objects.filter(source_ref=ref).first()
    if existing is not None:
        return existing
    return hazard_register(
        actor=None, project_id=project_id, channel=Channel.ALARM, level=level, description=description,
        location=location, standard_item_id=standard_item_id, found_at=found_at, deadline=deadline, source_ref=ref,
    )


def _notify_principal(hazard: Hazard) -> None:
    """送知: tell the enterprise's principal and actual controller (inbox and SMS) and record it."""
    recipients = notify.principal_recipients(hazard)
    notify.send_major_hazard_notice(hazard, recipients)
    hazard.notified_at = timezone.now()
    hazard.save(update_fields=["notified_at", "updated_at"])
    append_event(hazard, action="notified", actor=None, data={
        "users": [u.pk for u in recipients.users], "sms": len(recipients.sms),
    })


@transaction.atomic
def hazard_update(*, actor, hazard_id: int, request=None, **fields) -> Hazard:
    """Change description, location, level, standard item or deadline while the hazard is open (PATCH)."""
    hazard = _lock(actor, hazard_id)
    role = role_of(actor)
    if role not in REGISTRAR_ROLES | {"platform"} or role == "expert":
        raise Forbidden(_("Your role may not change hazards."))
    if hazard.status != Status.OPEN:
        raise InvalidTransition(_("Only an open hazard can be changed."))
    if role in {"enterprise", "project"} and hazard.channel != Channel.SELF:
        raise Forbidden(_("Only the regulator can change a hazard it registered."))
    if "deadline" in fields and role in {"enterprise", "project"}:
        raise ValidationError({"deadline": [_("Ask for an extension to change the deadline.")]})
    if (role in {"enterprise", "project"} and hazard.level == Level.MAJOR
            and fields.get("level", Level.MAJOR) != Level.MAJOR):
        # Lowering a major hazard would skip 送知 and escalation: only a regulator may re-determine it.
        raise ValidationError({"level": [_("Only a regulator can change a major hazard to a general one.")]})
    changes = {}
    if "standard_item_id" in fields:
        item_id = fields.pop("standard_item_id")
        item = item_in_force(actor, item_id, hazard.found_on) if item_id else None
        if item_id and item is None:
            raise ValidationError({"standard_item": [_("This item is not part of a standard in force on the day "
                                                       "the hazard was found.")]})
        if (item.pk if item else None) != hazard.standard_item_id:
            changes["standard_item"] = [hazard.standard_item_id, item.pk if item else None]
            hazard.standard_item = item
    for name in ("description", "location", "level", "deadline"):
        if name in fields and fields[name] != getattr(hazard, name):
            changes[name] = [getattr(hazard, name), fields[name]]
            setattr(hazard, name, fields[name])
    if "deadline" in changes and hazard.deadline >= beijing_today():
        hazard.overdue_marked_on = None  # as when an extension is approved: a later overdue is recorded again
    if hazard.level not in Level.values:
        raise ValidationError({"level": [_("Choose major or general.")]})
    if hazard.deadline < hazard.found_on:
        raise ValidationError({"deadline": [_("The deadline cannot be before the day the hazard was found.")]})
    if (hazard.standard_item and hazard.standard_item.level == Level.MAJOR and hazard.level == Level.GENERAL
            and hazard.standard_item.standard.kind == "determination"):
        raise ValidationError({"level": [_("An item of the major hazard determination standard makes this a "
                                           "major hazard.")]})
    if not hazard.description.strip():
        raise ValidationError({"description": [_("Describe the hazard.")]})
    if changes:
        if "description" in changes or "location" in changes:
            search.fill(hazard)
        hazard.save()
        append_event(hazard, action="updated", actor=actor, data={"changes": changes})
        if "level" in changes and hazard.level == Level.MAJOR and hazard.notified_at is None:
            _notify_principal(hazard)
    return hazard


# --- Rectification and close-out --------------------------------------------------------------------------


def _decimal(value, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: [_("Enter an amount in yuan.")]}) from None
    if not number.is_finite() or number < 0:  # NaN first: comparing Decimal("NaN") raises InvalidOperation
        raise ValidationError({field: [_("Enter an amount in yuan.")]})
    return number


@transaction.atomic
def hazard_submit(
    *, actor, hazard_id: int, note: str = "", attachments: list[int] | None = None, measures: str = "",
    responsible_person: str = "", funds=None, completed_on=None, contingency_plan: str = "", request=None,
) -> Hazard:
    """Hand in the rectification (the five fixes and evidence); the hazard waits for re-inspection."""
    hazard = _lock(actor, hazard_id)
    old = _gate(actor, hazard, "submit")
    funds_value = _decimal(funds, "funds")
    completed = _parse_date(completed_on, "completed_on") if completed_on else beijing_today()
    if completed > beijing_today():
        raise ValidationError({"completed_on": [_("The completion date cannot be in the future.")]})
    files = list(Attachment.objects.filter(pk__in=attachments or [], hazard=hazard, rectification__isnull=True))
    if len(files) != len(set(attachments or [])):
        raise ValidationError({"attachments": [_("Unknown attachment: upload evidence to this hazard first.")]})
    if not (note or measures).strip():
        raise ValidationError({"note": [_("Describe what was done to rectify the hazard.")]})
    rectification = Rectification.objects.create(
        hazard=hazard, measures=(measures or note).strip(), responsible_person=responsible_person.strip(),
        funds=funds_value if funds_value is not None else Decimal("0"), completed_on=completed,
        contingency_plan=contingency_plan.strip(), note=note.strip(), submitted_by=actor, submitted_at=timezone.now(),
    )
    Attachment.objects.filter(pk__in=[f.pk for f in files]).update(rectification=rectification)
    hazard.status = Status.SUBMITTED
    hazard.save(update_fields=["status", "updated_at"])
    append_event(hazard, action="submit", actor=actor, from_status=old, to_status=hazard.status, data={
        "rectification": rectification.pk, "note": note, "measures": rectification.measures,
        "responsible_person": rectification.responsible_person, "funds": rectification.funds,
        "completed_on": completed, "contingency_plan": rectification.contingency_plan,
        "attachments": [f.pk for f in files],
    })
    return hazard


def _pending_rectification(hazard: Hazard) -> Rectification | None:
    return hazard.rectifications.filter(outcome=Rectification.Outcome.PENDING).order_by("-submitted_at").first()


@transaction.atomic
def hazard_reject_submission(*, actor, hazard_id: int, reason: str, request=None) -> Hazard:
    """Re-inspection failed: the hazard goes back to `open` with the reason."""
    hazard = _lock(actor, hazard_id)
    old = _gate(actor, hazard, "reject-submission")
    reason = _required_text(reason, "reason")
    rectification = _pending_rectification(hazard)
    if rectification:
        rectification.outcome = Rectification.Outcome.REJECTED
        rectification.reviewed_by, rectification.reviewed_at, rectification.review_note = actor, timezone.now(), reason
        rectification.save()
    hazard.status = Status.OPEN
    hazard.save(update_fields=["status", "updated_at"])
    append_event(hazard, action="reject-submission", actor=actor, from_status=old, to_status=hazard.status,
                 data={"reason": reason, "rectification": rectification.pk if rectification else None})
    return hazard


def _close_pending_extensions(hazard: Hazard, reason: str) -> list[int]:
    """A closed or void hazard has no deadline to move: pending requests are closed, not left to be approved
    later against an out-of-date deadline."""
    pending = list(hazard.extensions.filter(state=ExtensionRequest.State.PENDING))
    for extension in pending:
        extension.state, extension.decided_at, extension.decision_note = (
            ExtensionRequest.State.DENIED, timezone.now(), reason)
        extension.save(update_fields=["state", "decided_at", "decision_note"])
    return [e.pk for e in pending]


@transaction.atomic
def hazard_close(*, actor, hazard_id: int, note: str = "", request=None) -> Hazard:
    """Re-inspection passed: close out (销号)."""
    hazard = _lock(actor, hazard_id)
    old = _gate(actor, hazard, "close")
    rectification = _pending_rectification(hazard)
    if rectification:
        rectification.outcome = Rectification.Outcome.ACCEPTED
        rectification.reviewed_by, rectification.reviewed_at = actor, timezone.now()
        rectification.review_note = note or ""
        rectification.save()
    hazard.status = Status.CLOSED
    hazard.closed_at = timezone.now()
    hazard.save(update_fields=["status", "closed_at", "updated_at"])
    closed_requests = _close_pending_extensions(hazard, _("Closed with the hazard."))
    append_event(hazard, action="close", actor=actor, from_status=old, to_status=hazard.status,
                 data={"note": note or "", "rectification": rectification.pk if rectification else None,
                       **({"extensions_closed": closed_requests} if closed_requests else {}),
                       "on_time": beijing_date(hazard.closed_at) <= hazard.deadline})
    return hazard


@transaction.atomic
def hazard_reopen(*, actor, hazard_id: int, reason: str, deadline=None, request=None) -> Hazard:
    """A regulator reopens a closed hazard (e.g. the hazard came back); optionally with a new deadline."""
    hazard = _lock(actor, hazard_id)
    old = _gate(actor, hazard, "reopen")
    reason = _required_text(reason, "reason")
    data = {"reason": reason}
    if deadline:
        new_deadline = _parse_date(deadline, "deadline")
        if new_deadline < beijing_today():
            raise ValidationError({"deadline": [_("The new deadline cannot be in the past.")]})
        data["deadline"] = [hazard.deadline, new_deadline]
        hazard.deadline = new_deadline
        hazard.overdue_marked_on = None
    hazard.status = Status.OPEN
    hazard.closed_at = None
    hazard.save(update_fields=["status", "closed_at", "deadline", "overdue_marked_on", "updated_at"])
    append_event(hazard, action="reopen", actor=actor, from_status=old, to_status=hazard.status, data=data)
    return hazard


@transaction.atomic
def hazard_void(*, actor, hazard_id: int, reason: str, duplicate_of: int | None = None, request=None) -> Hazard:
    """Void a hazard registered in error, or merge it into the one it duplicates."""
    hazard = _lock(actor, hazard_id)
    old = _gate(actor, hazard, "void")
    reason = _required_text(reason, "reason")
    original = None
    if duplicate_of:
        original = Hazard.objects.visible_to(actor).select_for_update(no_key=True).filter(pk=duplicate_of).first()
        if original is None or original.pk == hazard.pk:
            raise ValidationError({"duplicate_of": [_("Unknown hazard.")]})
        if original.status == Status.VOID:
            raise ValidationError({"duplicate_of": [_("A hazard cannot be merged into a void one.")]})
        if original.project_id != hazard.project_id:
            raise ValidationError({"duplicate_of": [_("A duplicate must be on the same project.")]})
    hazard.status = Status.VOID
    hazard.duplicate_of = original
    hazard.save(update_fields=["status", "duplicate_of", "updated_at"])
    closed_requests = _close_pending_extensions(hazard, _("Closed with the hazard."))
    append_event(hazard, action="void", actor=actor, from_status=old, to_status=hazard.status,
                 data={"reason": reason, "duplicate_of": original.pk if original else None,
                       **({"extensions_closed": closed_requests} if closed_requests else {})})
    if original is not None:
        data = {"hazard": hazard.pk, "code": hazard.code, "channel": hazard.channel}
        if hazard.first_found_at < original.first_found_at:
            # The channel that found it first is kept on the surviving record (BRIEF: duplicates across channels).
            data["first_channel"] = [original.first_channel, hazard.first_channel]
            original.first_channel, original.first_found_at = hazard.first_channel, hazard.first_found_at
            original.save(update_fields=["first_channel", "first_found_at", "updated_at"])
        append_event(original, action="duplicate-merged", actor=actor, data=data)
    return hazard


# --- Deadlines, extensions and escalation -----------------------------------------------------------------


@transaction.atomic
def hazard_request_extension(*, actor, hazard_id: int, new_deadline, reason: str, request=None) -> Hazard:
    hazard = _lock(actor, hazard_id)
    _gate(actor, hazard, "request-extension")
    reason = _required_text(reason, "reason")
    new = _parse_date(new_deadline, "new_deadline")
    if new <= hazard.deadline:
        raise ValidationError({"new_deadline": [_("The requested deadline must be after the current one.")]})
    if hazard.extensions.filter(state=ExtensionRequest.State.PENDING).exists():
        raise InvalidTransition(_("An extension request is already waiting for a decision."))
    extension = ExtensionRequest.objects.create(
        hazard=hazard, old_deadline=hazard.deadline, new_deadline=new, reason=reason, requested_by=actor,
        requested_at=timezone.now(),
    )
    append_event(hazard, action="request-extension", actor=actor, data={
        "extension": extension.pk, "new_deadline": new, "old_deadline": hazard.deadline, "reason": reason,
    })
    return hazard


def _decide_extension(actor, hazard_id: int, action: str, note: str) -> Hazard:
    hazard = _lock(actor, hazard_id)
    _gate(actor, hazard, action)
    extension = hazard.extensions.filter(state=ExtensionRequest.State.PENDING).first()
    if extension is None:
        raise InvalidTransition(_("There is no extension request waiting for a decision."))
    if actor is not None and extension.requested_by_id == actor.pk:
        raise Forbidden(_("An extension cannot be decided by the person who asked for it."))
    approved = action == "approve-extension"
    extension.state = ExtensionRequest.State.APPROVED if approved else ExtensionRequest.State.DENIED
    extension.decided_by, extension.decided_at, extension.decision_note = actor, timezone.now(), note or ""
    extension.save()
    data = {"extension": extension.pk, "note": note or ""}
    if approved:
        data["deadline"] = [hazard.deadline, extension.new_deadline]
        hazard.deadline = extension.new_deadline
        if hazard.deadline >= beijing_today():
            hazard.overdue_marked_on = None
        hazard.save(update_fields=["deadline", "overdue_marked_on", "updated_at"])
    append_event(hazard, action=action, actor=actor, data=data)
    return hazard


@transaction.atomic
def hazard_approve_extension(*, actor, hazard_id: int, note: str = "", request=None) -> Hazard:
    return _decide_extension(actor, hazard_id, "approve-extension", note)


@transaction.atomic
def hazard_deny_extension(*, actor, hazard_id: int, note: str = "", request=None) -> Hazard:
    return _decide_extension(actor, hazard_id, "deny-extension", note)


def _escalate(actor, hazard: Hazard, level: int, reason: str) -> Hazard:
    old_level = hazard.escalation_level
    hazard.escalation_level = level
    hazard.escalated_at = timezone.now()
    hazard.save(update_fields=["escalation_level", "escalated_at", "updated_at"])
    append_event(hazard, action="escalate", actor=actor, data={"level": [old_level, level], "reason": reason})
    notify.send_escalation_notice(hazard)
    return hazard


@transaction.atomic
def hazard_escalate(*, actor, hazard_id: int, level, reason: str, request=None) -> Hazard:
    """挂牌督办 by hand: raise the escalation level (1 county, 2 city, 3 province)."""
    hazard = _lock(actor, hazard_id)
    _gate(actor, hazard, "escalate")
    try:
        level = int(level)
    except (TypeError, ValueError):
        raise ValidationError({"level": [_("Choose level 1, 2 or 3.")]}) from None
    if level not in (1, 2, 3):
        raise ValidationError({"level": [_("Choose level 1, 2 or 3.")]})
    reason = _required_text(reason, "reason")
    if level <= hazard.escalation_level:
        raise InvalidTransition(_("The hazard is already escalated to level %(level)d.")
                                % {"level": hazard.escalation_level})
    return _escalate(actor, hazard, level, reason)


@transaction.atomic
def hazard_acknowledge(*, actor, hazard_id: int, request=None) -> Hazard:
    """The principal or actual controller confirms receipt of the major-hazard notification."""
    hazard = _lock(actor, hazard_id)
    _gate(actor, hazard, "acknowledge")
    if hazard.notified_at is None:
        raise InvalidTransition(_("No notification was sent for this hazard."))
    if hazard.acknowledged_at is not None:
        raise InvalidTransition(_("Receipt has already been acknowledged."))
    hazard.acknowledged_at, hazard.acknowledged_by = timezone.now(), actor
    hazard.save(update_fields=["acknowledged_at", "acknowledged_by", "updated_at"])
    notify.mark_acknowledged(actor, hazard)
    append_event(hazard, action="acknowledge", actor=actor, data={"person": actor.person_id})
    return hazard


# --- Evidence ---------------------------------------------------------------------------------------------


@transaction.atomic
def attachment_add(*, actor, hazard_id: int, upload, request=None) -> Attachment:
    """Attach a photo or document to a hazard (413 over the size limit, 400 for other types)."""
    hazard = _lock(actor, hazard_id)
    role = role_of(actor)
    if role in {"leader", ""} or (role == "expert" and hazard.status == Status.VOID):
        raise Forbidden(_("Your role may not add evidence."))
    if hazard.status == Status.VOID:
        raise InvalidTransition(_("A void hazard takes no more evidence."))
    info = inspect_upload(upload)
    original_name = (getattr(upload, "name", "") or "upload")[:200]
    upload.name = "evidence" + info["suffix"]
    attachment = Attachment.objects.create(
        hazard=hazard, file=upload, original_name=original_name, content_type=info["content_type"],
        size=info["size"], sha256=info["sha256"], uploaded_by=actor,
    )
    append_event(hazard, action="attachment-added", actor=actor, data={
        "attachment": attachment.pk, "name": original_name, "sha256": info["sha256"], "size": info["size"],
    })
    return attachment


# --- Periodic jobs (system actor) -------------------------------------------------------------------------


def mark_overdue_and_escalate(*, today: dt.date | None = None) -> dict[str, int]:
    """Record overdue hazards once, and escalate overdue major hazards: level 1 the day after the deadline,
    2 and 3 after settings.HAZARD_ESCALATION_DAYS. Idempotent; each hazard in its own short transaction with a
    row lock (skip_locked where supported), so two workers running it at once do each hazard once."""
    today = today or beijing_today()
    counts = {"overdue": 0, "escalated": 0}
    ids = list(Hazard.objects.overdue(today).values_list("pk", flat=True))
    for pk in ids:
        with transaction.atomic():
            hazard = Hazard.objects.select_for_update(skip_locked=True, no_key=True).filter(pk=pk).first()
            if hazard is None or hazard.status not in LIVE or hazard.deadline >= today:
                continue
            if hazard.overdue_marked_on is None:
                hazard.overdue_marked_on = today
                hazard.save(update_fields=["overdue_marked_on", "updated_at"])
                append_event(hazard, action="overdue", actor=None, data={"deadline": hazard.deadline, "on": today})
                counts["overdue"] += 1
            if hazard.level != Level.MAJOR:
                continue
            days_late = (today - hazard.deadline).days
            target = 1
            for level, days in sorted(settings.HAZARD_ESCALATION_DAYS.items()):
                if days_late >= days:
                    target = max(target, level)
            if target > hazard.escalation_level:
                _escalate(None, hazard, target, _("Overdue by %(days)d days.") % {"days": days_late})
                counts["escalated"] += 1
    return counts


def send_acknowledgement_reminders(*, now: dt.datetime | None = None) -> int:
    """Remind the principal and actual controller once when a notification is unacknowledged after 24 hours."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(hours=settings.HAZARD_ACK_REMINDER_HOURS)
    sent = 0
    ids = list(Hazard.objects.filter(notified_at__lte=cutoff, acknowledged_at__isnull=True, reminded_at__isnull=True,
                                     status__in=LIVE).values_list("pk", flat=True))
    for pk in ids:
        with transaction.atomic():
            hazard = (Hazard.objects.select_for_update(skip_locked=True, no_key=True)
                      .filter(pk=pk, reminded_at__isnull=True, acknowledged_at__isnull=True).first())
            if hazard is None:
                continue
            recipients = notify.principal_recipients(hazard)
            notify.send_reminder(hazard, recipients)
            hazard.reminded_at = now
            hazard.save(update_fields=["reminded_at", "updated_at"])
            append_event(hazard, action="reminded", actor=None, data={"users": [u.pk for u in recipients.users]})
            sent += 1
    return sent



# --- Backfilling an existing ledger -----------------------------------------------------------------------

IMPORT_STATUSES = {Status.OPEN, Status.SUBMITTED, Status.CLOSED, Status.VOID}


def _moment(value, field: str) -> dt.datetime:
    """A datetime as given, or a date read as noon of that Beijing day (a ledger row rarely has the hour)."""
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else value.replace(tzinfo=BEIJING)
    day = _parse_date(value, field)
    return dt.datetime.combine(day, dt.time(12), tzinfo=BEIJING)


@transaction.atomic
def hazard_import(
    *, actor, project_id: int, channel: str, level: str, description: str, found_at, location: str = "",
    standard_item_id: int | None = None, deadline=None, status: str = Status.OPEN, status_at=None,
    escalation_level: int = 0, note: str = "", source_ref: str = "", request=None,
) -> Hazard:
    """Register a hazard from an older ledger with its historical status (e.g. the bureau's 2023 stock).

    Every event records when it took effect (`effective_at`: the dates in the ledger) and when it was recorded
    (`at`: now). Only regulators import. A closed or void row needs the date it was closed or voided.
    """
    if role_of(actor) not in {"regulator_admin", "inspector", "platform"}:
        raise Forbidden(_("Only regulators import hazard ledgers."))
    found = _moment(found_at, "found_at")
    if status not in IMPORT_STATUSES:
        raise ValidationError({"status": [_("Unknown status.")]})
    changed_at = None
    if status != Status.OPEN:
        if not status_at:
            raise ValidationError({"status_at": [_("Give the date of the status (closed, voided or submitted).")]})
        changed_at = _moment(status_at, "status_at")
        if changed_at < found:
            changed_at = found + dt.timedelta(minutes=1) if beijing_date(changed_at) >= beijing_date(found) else None
            if changed_at is None:
                raise ValidationError({"status_at": [_("The status date cannot be before the day found.")]})
        if changed_at > timezone.now():
            raise ValidationError({"status_at": [_("The status date cannot be in the future.")]})
    try:
        escalation = int(escalation_level or 0)
    except (TypeError, ValueError):
        escalation = -1
    if escalation not in (0, 1, 2, 3):
        raise ValidationError({"escalation_level": [_("Choose level 0, 1, 2 or 3.")]})
    live = status in LIVE
    hazard = hazard_register(
        actor=actor, project_id=project_id, channel=channel, level=level, description=description,
        location=location, standard_item_id=standard_item_id, found_at=found,
        deadline=_parse_date(deadline, "deadline") if deadline else None, source_ref=source_ref, request=request,
        notify_principal=live, event_action="imported",
    )
    historical = {"historical": True, "note": note or ""}
    if status in {Status.SUBMITTED, Status.CLOSED}:
        submitted_at = changed_at if status == Status.SUBMITTED else changed_at - dt.timedelta(seconds=1)
        submitted_at = max(submitted_at, found)
        append_event(hazard, action="submit", actor=actor, from_status=Status.OPEN, to_status=Status.SUBMITTED,
                     effective_at=submitted_at, data=historical)
        hazard.status = Status.SUBMITTED
    if status == Status.CLOSED:
        append_event(hazard, action="close", actor=actor, from_status=Status.SUBMITTED, to_status=Status.CLOSED,
                     effective_at=changed_at,
                     data={**historical, "on_time": beijing_date(changed_at) <= hazard.deadline})
        hazard.status, hazard.closed_at = Status.CLOSED, changed_at
    if status == Status.VOID:
        append_event(hazard, action="void", actor=actor, from_status=Status.OPEN, to_status=Status.VOID,
                     effective_at=changed_at, data={**historical, "reason": note or _("Voided in the old ledger.")})
        hazard.status = Status.VOID
    if escalation and hazard.status in LIVE:
        append_event(hazard, action="escalate", actor=actor, data={"level": [0, escalation], **historical})
        hazard.escalation_level, hazard.escalated_at = escalation, timezone.now()
    hazard.save()
    return hazard
