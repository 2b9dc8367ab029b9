"""Report services: every write to a report or reward happens here, in a transaction, with an event appended to
the report's hash-chained history. Pages, the API and jobs call these functions.

The reporter's identity goes in sealed (vault) and comes out only through `report_identity_reveal`.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiben.core import vault
from zhiben.core.api import parse_id
from zhiben.core.audit import audit
from zhiben.core.errors import DomainError, Forbidden, InvalidTransition, NotFound
from zhiben.core.scoping import scope_of
from zhiben.reports import codes, photos, rules
from zhiben.reports.history import append_event
from zhiben.reports.models import DESCRIPTION_MAX, TEXT_MAX, Report, ReportPhoto, Reward
from zhiben.reports.states import REPORT_MOVES, REWARD_MOVES, Outcome, RewardStatus, Status

PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
NAME_MAX = 50


def role_of(actor) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return ""
    return "platform" if actor.is_superuser else (actor.role or "")


def can_reveal(actor) -> bool:
    return bool(actor and actor.is_active and actor.has_perm("reports.reveal_reporter")
                and role_of(actor) in {"regulator_admin", "inspector", "leader", "platform"})


# --- submission (public, no login) ----------------------------------------------------------------------------


def _text(value, field: str, errors: dict, *, required: bool = False, limit: int = TEXT_MAX) -> str:
    text = str(value or "").strip()
    if "\x00" in text:
        errors.setdefault(field, []).append(_("The text holds characters that cannot be stored."))
        return ""
    if required and not text:
        errors.setdefault(field, []).append(_("This field is required."))
    elif len(text) > limit:
        errors.setdefault(field, []).append(
            _("At most %(limit)d characters (%(count)d given).") % {"limit": limit, "count": len(text)})
    return text


def _public_project(project_id, errors):
    from zhiben.registry.models import Project, ProjectStatus

    try:
        pk = int(project_id)
    except (TypeError, ValueError):
        errors.setdefault("project", []).append(_("Choose the project from the list."))
        return None
    project = (Project.objects.select_related("contractor")
               .filter(pk=pk, status=ProjectStatus.UNDER_CONSTRUCTION).first() if 0 < pk < 2**63 else None)
    if project is None:
        errors.setdefault("project", []).append(_("Choose the project from the list."))
    return project


def _region(code, errors):
    from zhiben.registry.models import Region

    try:
        region = Region.objects.filter(pk=int(code)).first() if code not in (None, "") else None
    except (TypeError, ValueError, OverflowError):
        region = None
    if region is None:
        errors.setdefault("region", []).append(_("Choose the county or district where the site is."))
    return region


@transaction.atomic
def report_submit(
    *, description: str, project_id=None, project_name: str = "", location: str = "", region_code=None,
    anonymous: bool = True, reporter_name: str = "", reporter_phone: str = "", internal: bool = False,
    enterprise_id=None, uploads: list | None = None,
) -> tuple[Report, str]:
    """Register a report from the public portal or an internal whistleblower; returns it and its access key,
    which is shown once and stored only as a hash. Raises ValidationError (fields), TooLarge or PhotoRefused."""
    from zhiben.registry.models import Enterprise

    errors: dict[str, list[str]] = {}
    description = _text(description, "description", errors, required=True, limit=DESCRIPTION_MAX)
    project_name = _text(project_name, "project_name", errors)
    location = _text(location, "location", errors)
    reporter_name = _text(reporter_name, "reporter_name", errors, required=not anonymous, limit=NAME_MAX)
    reporter_phone = _text(reporter_phone, "reporter_phone", errors, required=not anonymous, limit=20)
    if reporter_phone and not PHONE_RE.match(reporter_phone.replace(" ", "")):
        errors.setdefault("reporter_phone", []).append(_("Enter a mobile number (11 digits) or a landline."))
    if anonymous:
        reporter_name = reporter_phone = ""  # an anonymous report keeps nothing that identifies
    project = _public_project(project_id, errors) if project_id not in (None, "") else None
    enterprise = None
    if internal:
        try:
            enterprise = Enterprise.objects.filter(pk=int(enterprise_id)).first() if enterprise_id else None
        except (TypeError, ValueError, OverflowError):
            enterprise = None
        if enterprise is None:
            errors.setdefault("enterprise", []).append(_("Name the enterprise you work for."))
        elif project is not None and project.contractor_id != enterprise.pk:
            errors.setdefault("project", []).append(_("This project is not one of that enterprise's projects."))
    if project is None and not internal and "project" not in errors and not project_name:
        errors.setdefault("project_name", []).append(_("Choose the project from the list or type its name."))
    region = None
    if project is not None:
        region = project.region
    elif enterprise is not None:
        region = enterprise.region
    elif "project" not in errors:
        region = _region(region_code or getattr(settings, "PUBLIC_REPORT_REGION", ""), errors)
    uploads = list(uploads or [])
    try:
        photos.check_count(uploads)
    except photos.PhotoRefused as exc:
        errors.setdefault("photos", []).extend(exc.errors["photos"])
    if errors:
        raise ValidationError(errors)
    cleaned = [photos.clean_photo(upload) for upload in uploads]  # TooLarge / PhotoRefused name the photo

    key = codes.new_access_key()
    now = timezone.now()
    report = Report(
        receipt_code=_unused_code(), key_hash=codes.key_hash(key), internal=bool(internal), region=region,
        enterprise=enterprise or (project.contractor if project is not None else None), project=project,
        project_name=project_name, location=location, description=description, anonymous=bool(anonymous),
        reporter_name=vault.seal(reporter_name), reporter_phone=vault.seal(reporter_phone),
        due_at=now + dt.timedelta(days=settings.REPORT_VERIFY_DAYS),
    )
    report.save()
    for content, content_type in cleaned:
        ReportPhoto.objects.create(report=report, file=content, content_type=content_type, size=content.size)
    append_event(report, action="submitted", actor_name=_("Reporter"), to_status=Status.RECEIVED, data={
        "internal": report.internal, "anonymous": report.anonymous, "project": project.pk if project else None,
        "photos": len(cleaned),
    })
    transaction.on_commit(lambda: _tell_regulators(report.pk))
    return report, key


def _unused_code() -> str:
    for _attempt in range(5):
        code = codes.new_receipt_code()
        if not Report.objects.filter(receipt_code=code).exists():
            return code
    raise RuntimeError("five receipt codes in a row were taken: the generator is broken")


def _tell_regulators(report_id: int) -> None:
    """An inbox notice to the report's regulators (of its county, city or province): the receipt code and the
    time limit, nothing of the reporter."""
    from zhiben.accounts.models import User
    from zhiben.notifications.services import notify

    report = Report.objects.get(pk=report_id)
    recipients = list(User.objects.filter(is_active=True, role__in=["regulator_admin", "inspector"],
                                          region_id__in=region_and_above(report.region_id)))
    if recipients:
        notify(recipients=recipients, kind="report.received", subject=report,
               title=_("New report %(code)s to verify") % {"code": report.receipt_code},
               body=_("Verify by %(due)s.") % {"due": timezone.localtime(report.due_at).strftime("%Y-%m-%d %H:%M")},
               url=f"/reports/{report.pk}/")


def report_track(*, receipt_code: str, access_key: str | None) -> Report | None:
    """The report for a code and its key, or None — the same None for a wrong key and a missing code."""
    code = codes.normalise_code(receipt_code)
    report = Report.objects.filter(receipt_code=code).first() if code else None
    if not codes.key_matches(access_key, report.key_hash if report is not None else None):
        return None
    return report


# --- regulator workflow ----------------------------------------------------------------------------------------


def reports_visible_to(user):
    """Reports a user may read: regulators (not experts) of the report's region; nobody else."""
    if role_of(user) not in {"regulator_admin", "inspector", "leader", "platform"}:
        return Report.objects.none()
    return Report.objects.visible_to(user)


def _lock(actor, report_id) -> Report:
    pk = parse_id(report_id)
    report = reports_visible_to(actor).select_for_update().filter(pk=pk).first() if pk else None
    if report is None:
        raise NotFound(_("Not found."))
    return report


def _gate(actor, report: Report, action: str) -> None:
    move = REPORT_MOVES[action]
    if role_of(actor) not in move.roles:
        raise Forbidden(_("Your role may not do this."))
    if report.status not in move.sources:
        raise InvalidTransition(_("This report is %(status)s: that cannot be done now.")
                                % {"status": report.get_status_display()})


@transaction.atomic
def report_assign(*, actor, report_id, inspector_id, request=None) -> Report:
    from zhiben.accounts.models import User

    report = _lock(actor, report_id)
    _gate(actor, report, "assign")
    try:
        inspector = User.objects.filter(pk=int(inspector_id), is_active=True,
                                        role__in=["inspector", "regulator_admin"]).first()
    except (TypeError, ValueError, OverflowError):
        inspector = None
    if inspector is None or not scope_of(inspector).covers_region(report.region_id):
        raise ValidationError({"inspector": [_("Choose an inspector of the report's region.")]})
    before = report.status
    report.status = Status.ASSIGNED
    report.assigned_to = inspector
    report.save(update_fields=["status", "assigned_to"])
    append_event(report, action="assign", actor=actor, from_status=before, to_status=report.status,
                 data={"inspector": inspector.pk, "inspector_name": str(inspector)})
    return report


@transaction.atomic
def report_verify(*, actor, report_id, outcome: str, note: str = "", public_text: str = "",
                  hazard: dict | None = None, hazard_id=None, duplicate_of=None, uploads: list | None = None,
                  request=None) -> Report:
    """Record the on-site verification. Substantiated: register the hazard (channel `report`) from `hazard`
    (level, description, location, deadline, standard_item), or link an existing one by `hazard_id`."""
    from zhiben.hazards import services as hazard_services
    from zhiben.hazards.models import Hazard

    report = _lock(actor, report_id)
    _gate(actor, report, "verify")
    if role_of(actor) == "inspector" and report.assigned_to_id != actor.pk:
        raise Forbidden(_("Only the inspector assigned to this report (or a regulator admin) verifies it."))
    errors: dict[str, list[str]] = {}
    if outcome not in Outcome.values:
        errors["outcome"] = [_("Choose substantiated, not substantiated or duplicate.")]
    note = _text(note, "note", errors, required=True, limit=DESCRIPTION_MAX)
    public_text = _text(public_text, "public_text", errors, required=True, limit=DESCRIPTION_MAX)
    original = None
    linked = None
    if outcome == Outcome.DUPLICATE:
        try:
            original = (reports_visible_to(actor).exclude(pk=report.pk).filter(pk=int(duplicate_of)).first()
                        if duplicate_of not in (None, "") else None)
        except (TypeError, ValueError, OverflowError):
            original = None
        if original is None or (original.submitted_at, original.pk) >= (report.submitted_at, report.pk):
            errors["duplicate_of"] = [_("Name the earlier report this one repeats.")]
    if outcome == Outcome.SUBSTANTIATED:
        if hazard_id not in (None, ""):
            try:
                candidates = Hazard.objects.visible_to(actor)
                if report.project_id:
                    candidates = candidates.filter(project_id=report.project_id)
                linked = candidates.filter(pk=int(hazard_id)).first()
            except (TypeError, ValueError, OverflowError):
                linked = None
            if linked is None:
                errors["hazard_id"] = [_("Unknown hazard.")]
        elif not isinstance(hazard, dict):
            errors["hazard"] = [_("Describe the hazard found, or name the hazard already in the ledger.")]
        elif report.project_id is None and not hazard.get("project"):
            errors["hazard"] = [_("Name the project of the hazard: the reporter did not choose one.")]
        elif not str(hazard.get("description") or "").strip():
            # Written by the inspector: the reporter's own words would reach the enterprise (and could name them).
            errors["hazard"] = [_("Describe the hazard as found on site, in your own words: the reporter's text "
                                  "is never copied to the enterprise.")]
    uploads = list(uploads or [])
    try:
        photos.check_count(uploads)
    except photos.PhotoRefused as exc:
        errors.setdefault("photos", []).extend(exc.errors["photos"])
    if errors:
        raise ValidationError(errors)
    cleaned = [photos.clean_photo(upload) for upload in uploads]  # TooLarge / PhotoRefused name the photo
    if outcome == Outcome.SUBSTANTIATED and linked is None:
        try:
            linked = hazard_services.hazard_register_from_report(
                verified_by=actor, report_ref=str(report.pk),  # never the receipt code the reporter holds
                project_id=hazard.get("project") or report.project_id, level=hazard.get("level", ""),
                description=hazard["description"], location=hazard.get("location") or "",
                standard_item_id=hazard.get("standard_item"), deadline=hazard.get("deadline"),
            )
        except ValidationError as exc:
            raise ValidationError({"hazard": [f"{k}: {'; '.join(v)}" for k, v in exc.message_dict.items()]}) from exc
    before = report.status
    report.status = Status.VERIFIED
    report.outcome = outcome
    report.note = note
    report.public_text = public_text
    report.hazard = linked
    report.duplicate_of = original
    report.verified_at = timezone.now()
    report.save(update_fields=["status", "outcome", "note", "public_text", "hazard", "duplicate_of", "verified_at"])
    for content, content_type in cleaned:
        ReportPhoto.objects.create(report=report, stage=ReportPhoto.Stage.VERIFICATION, file=content,
                                   content_type=content_type, size=content.size)
    append_event(report, action="verify", actor=actor, from_status=before, to_status=report.status, data={
        "outcome": outcome, "note": note, "public_text": public_text, "hazard": linked.pk if linked else None,
        "duplicate_of": original.pk if original else None, "photos": len(cleaned),
    })
    return report


@transaction.atomic
def report_close(*, actor, report_id, request=None) -> Report:
    report = _lock(actor, report_id)
    _gate(actor, report, "close")
    before = report.status
    report.status = Status.CLOSED
    report.save(update_fields=["status"])
    append_event(report, action="close", actor=actor, from_status=before, to_status=report.status)
    return report


def _check_reveal(actor, reason: str) -> None:
    """The gate of every reveal: the permission, then a reason of 4–200 characters."""
    if not can_reveal(actor):
        raise Forbidden(_("You may not see who made a report."))
    if len(reason) < 4 or len(reason) > TEXT_MAX:
        raise ValidationError({"reason": [_("Give the reason for seeing the reporter's identity (4–200 "
                                            "characters).")]})


def region_and_above(code: int) -> set[int]:
    """A county's code with its city's and province's: the regulators who oversee a report there."""
    return {code, code // 100 * 100, code // 10000 * 10000}


def report_identity_reveal(*, actor, report_id, reason: str, request=None) -> dict:
    """The reporter's name and phone, for a holder of reports.reveal_reporter, with the reveal recorded in the
    audit log and the report's history (who, when, why; never what was seen)."""
    reason = str(reason or "").strip()
    with transaction.atomic():
        report = _lock(actor, report_id)
        _check_reveal(actor, reason)
        audit("report.identity_revealed", actor=actor, obj=report, request=request, reason=reason,
              receipt_code=report.receipt_code)
        append_event(report, action="identity-revealed", actor=actor, data={"reason": reason})
        if report.anonymous:
            return {"anonymous": True, "reporter_name": "", "reporter_phone": ""}
        return {"anonymous": False, "reporter_name": _unseal(report.reporter_name),
                "reporter_phone": _unseal(report.reporter_phone)}


class VaultUnavailable(DomainError):
    status_code = 503


def _unseal(token: str) -> str:
    try:
        return vault.unseal(token)
    except vault.VaultError as exc:
        raise VaultUnavailable(_("This server does not hold the vault key that opens this identity: check "
                                 "ZHIBEN_VAULT_KEYS (every node must have the same keys).")) from exc


# --- rewards ---------------------------------------------------------------------------------------------------


@transaction.atomic
def reward_propose(*, actor, report_id, basis: str, fine_amount=None, accident_level=None, persons=None,
                   request=None) -> Reward:
    """Propose the reward of a substantiated report, computed by the published rule. Only the first valid
    reporter of a hazard is rewarded: a later report linked to the same hazard is not eligible."""
    report = _lock(actor, report_id)
    _gate(actor, report, "propose-reward")
    if report.outcome != Outcome.SUBSTANTIATED:
        raise InvalidTransition(_("Only a substantiated report is rewarded."))
    if report.hazard_id and Report.objects.filter(hazard_id=report.hazard_id, outcome=Outcome.SUBSTANTIATED).filter(
            Q(submitted_at__lt=report.submitted_at) | Q(submitted_at=report.submitted_at, pk__lt=report.pk)).exists():
        raise InvalidTransition(_("An earlier report of the same hazard is the one eligible for a reward."))
    if report.rewards.exclude(status=RewardStatus.REJECTED).exists():
        raise InvalidTransition(_("This report already has a reward."))
    try:
        amount = rules.compute_reward(basis=basis, fine_amount=fine_amount, accident_level=accident_level,
                                      persons=persons)
    except rules.RuleError as exc:
        raise ValidationError({exc.field: [str(exc.message)]}) from exc
    reward = Reward.objects.create(
        report=report, basis=basis, fine_amount=fine_amount if basis == "fine" else None,
        accident_level=accident_level or "" if basis == "concealment" else "",
        persons=int(persons) if basis == "concealment" else None, amount=amount, rule_source=rules.SOURCE,
        proposed_by=actor,
    )
    append_event(report, action="reward-proposed", actor=actor, data={
        "reward": reward.pk, "basis": basis, "amount": amount, "fine_amount": reward.fine_amount,
        "accident_level": reward.accident_level, "persons": reward.persons,
    })
    return reward


def _lock_reward(actor, reward_id) -> Reward:
    pk = parse_id(reward_id)
    visible = Reward.objects.filter(report__in=reports_visible_to(actor)) if pk else Reward.objects.none()
    reward = visible.select_for_update().select_related("report").filter(pk=pk).first()
    if reward is None:
        raise NotFound(_("Not found."))
    return reward


def _reward_move(actor, reward: Reward, action: str) -> str:
    move = REWARD_MOVES[action]
    if role_of(actor) not in move.roles:
        raise Forbidden(_("Your role may not do this."))
    if action in {"approve", "reject"} and reward.proposed_by_id == actor.pk:
        raise Forbidden(_("The reward must be decided by someone other than its proposer."))
    if reward.status not in move.sources:
        raise InvalidTransition(_("This reward is %(status)s.") % {"status": reward.get_status_display()})
    before = reward.status
    reward.status = move.target
    return before


@transaction.atomic
def reward_decide(*, actor, reward_id, approve: bool, note: str = "", request=None) -> Reward:
    reward = _lock_reward(actor, reward_id)
    action = "approve" if approve else "reject"
    before = _reward_move(actor, reward, action)
    reward.approved_by = actor
    reward.decided_at = timezone.now()
    reward.save(update_fields=["status", "approved_by", "decided_at"])
    report = Report.objects.select_for_update().get(pk=reward.report_id)
    append_event(report, action="reward-approved" if approve else "reward-rejected", actor=actor,
                 data={"reward": reward.pk, "from": before, "to": reward.status, "note": str(note or "")[:TEXT_MAX]})
    return reward


ACCOUNT_RE = re.compile(r"^\d{12,30}$")


@transaction.atomic
def reward_claim(*, receipt_code: str, access_key: str | None, name: str, phone: str, account: str) -> Reward:
    """The reporter claims an approved reward with the receipt code and key, naming whom to pay. The details go
    sealed into the vault (an anonymous reporter's identity goes nowhere else); the report stays anonymous."""
    report = report_track(receipt_code=receipt_code, access_key=access_key)
    if report is None:
        raise NotFound(_("Not found."))
    reward = (Reward.objects.select_for_update().filter(report=report, status=RewardStatus.APPROVED)
              .order_by("-id").first())
    if reward is None:
        raise InvalidTransition(_("There is no approved reward to claim for this report."))
    if reward.claimed_at is not None:
        raise InvalidTransition(_("The reward has already been claimed."))
    errors: dict[str, list[str]] = {}
    name = _text(name, "name", errors, required=True, limit=NAME_MAX)
    phone = _text(phone, "phone", errors, required=True, limit=20)
    account = "".join(_text(account, "account", errors, required=True, limit=40).split())
    if phone and not PHONE_RE.match(phone.replace(" ", "")):
        errors.setdefault("phone", []).append(_("Enter a mobile number (11 digits) or a landline."))
    if account and not ACCOUNT_RE.match(account):
        errors.setdefault("account", []).append(_("Enter the bank card or account number (12–30 digits)."))
    if errors:
        raise ValidationError(errors)
    reward.claimant_name, reward.claimant_phone = vault.seal(name), vault.seal(phone)
    reward.claimant_account = vault.seal(account)
    reward.claimed_at = timezone.now()
    reward.save(update_fields=["claimant_name", "claimant_phone", "claimant_account", "claimed_at"])
    locked = Report.objects.select_for_update().get(pk=report.pk)
    append_event(locked, action="reward-claimed", actor_name=_("Reporter"), data={"reward": reward.pk})
    return reward


def reward_claimant_reveal(*, actor, reward_id, reason: str, request=None) -> dict:
    """Whom to pay, for a holder of reports.reveal_reporter, audited like any reveal of identity."""
    reason = str(reason or "").strip()
    with transaction.atomic():
        reward = _lock_reward(actor, reward_id)
        _check_reveal(actor, reason)
        report = Report.objects.select_for_update().get(pk=reward.report_id)
        audit("report.identity_revealed", actor=actor, obj=report, request=request, reason=reason,
              receipt_code=report.receipt_code, reward=reward.pk)
        append_event(report, action="identity-revealed", actor=actor, data={"reason": reason, "reward": reward.pk})
        return {"name": _unseal(reward.claimant_name), "phone": _unseal(reward.claimant_phone),
                "account": _unseal(reward.claimant_account)}


@transaction.atomic
def reward_pay(*, actor, reward_id, paid_on, reference: str, request=None) -> Reward:
    reward = _lock_reward(actor, reward_id)
    errors: dict[str, list[str]] = {}
    reference = _text(reference, "reference", errors, required=True, limit=100)
    day = None
    try:
        day = paid_on if isinstance(paid_on, dt.date) else dt.date.fromisoformat(str(paid_on or ""))
    except ValueError:
        errors["paid_on"] = [_("Enter the payment date as YYYY-MM-DD.")]
    if day is not None and day > timezone.localdate():
        errors["paid_on"] = [_("The payment date cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    if reward.claimed_at is None:
        raise InvalidTransition(_("The reporter has not claimed the reward yet: there is no one to pay."))
    before = _reward_move(actor, reward, "pay")
    reward.paid_on = day
    reward.payment_reference = reference
    reward.save(update_fields=["status", "paid_on", "payment_reference"])
    report = Report.objects.select_for_update().get(pk=reward.report_id)
    append_event(report, action="reward-paid", actor=actor,
                 data={"reward": reward.pk, "from": before, "paid_on": day, "reference": reference})
    return reward
