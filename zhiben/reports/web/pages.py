"""The regulators' report pages: the triage queue, a report with its history and actions, reveals of identity.

Reads start from `services.reports_visible_to` (regulators of the report's region; everyone else finds nothing,
so a 404); writes call the services, whose errors land on the forms. The reporter's name and phone appear only
on the page the reveal service answers, which is never cached.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from zhiben.core.errors import DomainError, Forbidden, NotFound
from zhiben.core.web import apply_form_errors
from zhiben.reports import services
from zhiben.reports.models import Report, Reward
from zhiben.reports.states import REPORT_MOVES, REWARD_MOVES, Status
from zhiben.reports.web.forms import AssignForm, PayForm, RevealForm, RewardForm, VerifyForm

PAGE_SIZE = 50
MAX_ID = 2**63 - 1


def _report(user, pk: int) -> Report:
    if not 0 < pk <= MAX_ID:
        raise Http404
    return get_object_or_404(services.reports_visible_to(user).select_related(
        "region", "project", "enterprise", "assigned_to", "hazard"), pk=pk)


def _inspectors(report: Report):
    from zhiben.accounts.models import User

    return User.objects.filter(is_active=True, role__in=["inspector", "regulator_admin"],
                               region_id__in=services.region_and_above(report.region_id)).order_by("username")


def _may(user, action: str, report: Report) -> bool:
    move = REPORT_MOVES[action]
    return services.role_of(user) in move.roles and report.status in move.sources


@login_required
def report_list(request):
    user = request.user
    if services.role_of(user) not in {"regulator_admin", "inspector", "leader", "platform"}:
        raise Http404
    reports = services.reports_visible_to(user).select_related("region", "project", "assigned_to")
    status = request.GET.get("status", "")
    if status in Status.values:
        reports = reports.filter(status=status)
    if request.GET.get("overdue") == "1":
        reports = reports.awaiting().filter(due_at__lt=timezone.now())
    if request.GET.get("internal") in {"0", "1"}:
        reports = reports.filter(internal=request.GET["internal"] == "1")
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reports/list.html", {
        "page": page, "statuses": Status.choices, "status": status, "now": timezone.now(),
        "overdue": request.GET.get("overdue") == "1",
    })


def _detail(request, report: Report, *, forms: dict | None = None, status: int = 200):
    user = request.user
    forms = forms or {}
    rewards = list(report.rewards.select_related("proposed_by", "approved_by"))
    context = {
        "report": report, "photos": list(report.photos.all()), "events": list(report.events.order_by("seq")),
        "rewards": rewards, "now": timezone.now(), "can_reveal": services.can_reveal(user),
        "assign_form": forms.get("assign") or (AssignForm(inspectors=_inspectors(report))
                                               if _may(user, "assign", report) else None),
        "verify_form": forms.get("verify") or (VerifyForm() if _may(user, "verify", report) else None),
        "reward_form": forms.get("reward") or (RewardForm() if _may(user, "propose-reward", report)
                                               and report.outcome == "substantiated"
                                               and not any(r.status != "rejected" for r in rewards) else None),
        "can_close": _may(user, "close", report),
        "can_decide": {r.pk for r in rewards if services.role_of(user) in REWARD_MOVES["approve"].roles
                       and r.status == "proposed" and r.proposed_by_id != user.pk},
        "pay_form": forms.get("pay") or PayForm(),
        "can_pay": {r.pk for r in rewards if services.role_of(user) in REWARD_MOVES["pay"].roles
                    and r.status == "approved" and r.claimed_at},
        "reveal_form": forms.get("reveal") or RevealForm(),
    }
    return render(request, "reports/detail.html", context, status=status)


@login_required
def report_detail(request, pk: int):
    return _detail(request, _report(request.user, pk))


def _act(request, pk: int, form_name: str, form, call):
    """POST a form to a service: success → back to the report with a message; a ValidationError → the form
    with its errors (400); Forbidden → 403; NotFound → 404; a state conflict → a message (409)."""
    report = _report(request.user, pk)
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as exc:
            apply_form_errors(form, exc)
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from exc
        except NotFound as exc:
            raise Http404 from exc
        except DomainError as exc:  # a state conflict (409), or a photo too large (413) or not a photo (400)
            if exc.errors and any(field in form.fields for field in exc.errors):
                for field, errors in exc.errors.items():
                    form.add_error(field if field in form.fields else None, errors)
                return _detail(request, report, forms={form_name: form}, status=exc.status_code)
            messages.error(request, exc.message)
            return _detail(request, _report(request.user, pk), status=exc.status_code)
        else:
            messages.success(request, _("Saved."))
            return redirect("reports:detail", pk=pk)
    return _detail(request, report, forms={form_name: form}, status=400)


@login_required
@require_POST
def report_assign(request, pk: int):
    report = _report(request.user, pk)
    form = AssignForm(request.POST, inspectors=_inspectors(report))
    return _act(request, pk, "assign", form, lambda d: services.report_assign(
        actor=request.user, report_id=pk, inspector_id=d["inspector"], request=request))


@login_required
@require_POST
def report_verify(request, pk: int):
    def call(d):
        hazard = None
        if d["outcome"] == "substantiated" and not d["hazard_id"]:
            hazard = {"level": d["level"], "description": d["hazard_description"],
                      "location": d["hazard_location"], "project": d["hazard_project"]}
        return services.report_verify(actor=request.user, report_id=pk, outcome=d["outcome"], note=d["note"],
                                      public_text=d["public_text"], hazard=hazard, hazard_id=d["hazard_id"],
                                      duplicate_of=d["duplicate_of"], uploads=d["photos"], request=request)

    return _act(request, pk, "verify", VerifyForm(request.POST, request.FILES), call)


@login_required
@require_POST
def report_close(request, pk: int):
    _report(request.user, pk)
    try:
        services.report_close(actor=request.user, report_id=pk, request=request)
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("reports:detail", pk=pk)


@login_required
@require_POST
def reward_propose(request, pk: int):
    return _act(request, pk, "reward", RewardForm(request.POST), lambda d: services.reward_propose(
        actor=request.user, report_id=pk, basis=d["basis"], fine_amount=d["fine_amount"],
        accident_level=d["accident_level"] or None, persons=d["persons"], request=request))


def _reward(user, pk: int) -> Reward:
    if not 0 < pk <= MAX_ID:
        raise Http404
    return get_object_or_404(Reward.objects.filter(report__in=services.reports_visible_to(user)), pk=pk)


def _decide(request, pk: int, approve: bool):
    reward = _reward(request.user, pk)
    try:
        services.reward_decide(actor=request.user, reward_id=pk, approve=approve, request=request)
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Saved."))
    return redirect("reports:detail", pk=reward.report_id)


@login_required
@require_POST
def reward_approve(request, pk: int):
    return _decide(request, pk, True)


@login_required
@require_POST
def reward_reject(request, pk: int):
    return _decide(request, pk, False)


@login_required
@require_POST
def reward_pay(request, pk: int):
    reward = _reward(request.user, pk)
    return _act(request, reward.report_id, "pay", PayForm(request.POST), lambda d: services.reward_pay(
        actor=request.user, reward_id=pk, paid_on=d["paid_on"], reference=d["reference"], request=request))


def _reveal(request, report: Report, call, context: dict):
    """A reveal page: the reason form → the reveal service (permission, reason, audit) → a page never cached."""
    form = RevealForm(request.POST)
    if not form.is_valid():
        return _detail(request, report, forms={"reveal": form}, status=400)
    try:
        shown = call(form.cleaned_data["reason"])
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except ValidationError as exc:
        apply_form_errors(form, exc)
        return _detail(request, report, forms={"reveal": form}, status=400)
    except DomainError as exc:
        messages.error(request, exc.message)
        return _detail(request, report, status=exc.status_code)
    response = render(request, "reports/identity.html", {"report": report, **context(shown)})
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@login_required
@require_POST
def identity_reveal(request, pk: int):
    return _reveal(request, _report(request.user, pk), lambda reason: services.report_identity_reveal(
        actor=request.user, report_id=pk, reason=reason, request=request), lambda shown: {"identity": shown})


@login_required
def photo(request, pk: int, photo_pk: int):
    report = _report(request.user, pk)
    item = get_object_or_404(report.photos.all(), pk=photo_pk) if 0 < photo_pk <= MAX_ID else None
    if item is None:
        raise Http404
    response = FileResponse(item.file.open("rb"), content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def reveal_log(request):
    """Every reveal of a reporter's identity in the caller's region: who, when, why (regulator admins and
    leaders, who oversee the people holding the permission)."""
    from zhiben.reports.models import ReportEvent

    user = request.user
    if services.role_of(user) not in {"regulator_admin", "leader", "platform"}:
        raise Http404
    entries = (ReportEvent.objects.filter(action="identity-revealed", report__in=services.reports_visible_to(user))
               .select_related("report", "actor").order_by("-at", "-id"))
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reports/reveals.html", {"page": page})


@never_cache
@login_required
@require_POST
def reward_claimant(request, pk: int):
    """Whom to pay: the claimant's details, for a holder of the reveal permission, audited like any reveal."""
    reward = _reward(request.user, pk)
    return _reveal(request, _report(request.user, reward.report_id), lambda reason: services.reward_claimant_reveal(
        actor=request.user, reward_id=pk, reason=reason, request=request),
        lambda shown: {"claimant": shown, "reward": reward})
