"""The public portal (no login, phone first): report, receipt, tracking, and the project and enterprise look-ups.

Nothing here shows personal data: the project look-up answers name, address and district only. The receipt
page is the one place an access key is ever shown, and it is sent with no-store.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from zhiben.core import ratelimit
from zhiben.core.errors import DomainError
from zhiben.core.web import apply_form_errors
from zhiben.reports import services
from zhiben.reports.web.forms import ClaimForm, ReportForm, TrackForm

LOOKUP_LIMIT = 10


def _counties():
    from zhiben.registry.models import Region

    return [(f"{r.pk:06d}", r.full_name) for r in Region.objects.filter(level="county").select_related(
        "parent", "parent__parent").order_by("pk")]


def portal(request):
    return render(request, "reports/public/portal.html")


@never_cache
@sensitive_post_parameters("reporter_name", "reporter_phone")
def report_new(request):
    form = ReportForm(request.POST or None, request.FILES or None, regions=_counties())
    status = 200
    if request.method == "POST":
        try:
            ratelimit.check(request, group="reports.submit", rate=settings.REPORT_SUBMIT_RATE)
        except ratelimit.RateLimited as exc:
            form.add_error(None, exc.message)
            return render(request, "reports/public/new.html", {"form": form}, status=429)
        if form.is_valid():
            data = form.cleaned_data
            try:
                report, key = services.report_submit(
                    description=data["description"], project_id=data["project"],
                    project_name=data["project_name"], location=data["location"], region_code=data["region"],
                    anonymous=data["anonymous"], reporter_name=data["reporter_name"],
                    reporter_phone=data["reporter_phone"], internal=data["internal"],
                    enterprise_id=data["enterprise"], uploads=data["photos"],
                )
            except ValidationError as exc:
                apply_form_errors(form, exc)
                status = 400
            except DomainError as exc:  # a photo too large (413) or not a photo (400)
                for field, messages in (exc.errors or {None: [exc.message]}).items():
                    form.add_error(field if field in form.fields else None, messages)
                status = exc.status_code
            else:
                response = render(request, "reports/public/receipt.html", {"report": report, "access_key": key})
                response["Cache-Control"] = "no-store"
                return response
        else:
            status = 400
    return render(request, "reports/public/new.html", {"form": form}, status=status)


@never_cache
def track(request):
    form = TrackForm(request.POST or None)
    if request.method == "POST":
        try:
            ratelimit.check(request, group="reports.track", rate=settings.REPORT_TRACK_RATE)
            ratelimit.check(request, group="reports.track-failed", rate=settings.REPORT_TRACK_FAILURE_RATE,
                            increment=False)
        except ratelimit.RateLimited as exc:
            form.add_error(None, exc.message)
            return render(request, "reports/public/track.html", {"form": form}, status=429)
        if form.is_valid():
            report = services.report_track(receipt_code=form.cleaned_data["receipt_code"],
                                           access_key=form.cleaned_data["access_key"])
            if report is not None:
                return _status(request, report, form.cleaned_data)
            ratelimit.hit(request, group="reports.track-failed", rate=settings.REPORT_TRACK_FAILURE_RATE)
            form.add_error(None, _("No report matches this receipt code and access key."))
            return render(request, "reports/public/track.html", {"form": form}, status=404)
    return render(request, "reports/public/track.html", {"form": form})


def _status(request, report, typed: dict, claim_form=None, status: int = 200):
    """The report's public status; with an approved, unclaimed reward, the form to claim it (which carries the
    code and key the reporter just typed, in a page that is never cached)."""
    reward = report.rewards.exclude(status="rejected").order_by("-id").first()
    if claim_form is None and reward is not None and reward.status == "approved" and reward.claimed_at is None:
        claim_form = ClaimForm(initial={"receipt_code": typed["receipt_code"], "access_key": typed["access_key"]})
    response = render(request, "reports/public/status.html", {"report": report, "reward": reward,
                                                              "claim_form": claim_form}, status=status)
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@sensitive_post_parameters("name", "phone", "account", "access_key")
@require_POST
def claim(request):
    form = ClaimForm(request.POST)
    try:
        ratelimit.check(request, group="reports.track", rate=settings.REPORT_TRACK_RATE)
        ratelimit.check(request, group="reports.track-failed", rate=settings.REPORT_TRACK_FAILURE_RATE,
                        increment=False)
    except ratelimit.RateLimited as exc:
        return render(request, "reports/public/track.html", {"form": TrackForm(), "error": exc.message}, status=429)
    typed = {"receipt_code": request.POST.get("receipt_code", ""), "access_key": request.POST.get("access_key", "")}
    report = services.report_track(**typed)
    if report is None:
        ratelimit.hit(request, group="reports.track-failed", rate=settings.REPORT_TRACK_FAILURE_RATE)
        return render(request, "reports/public/track.html", {
            "form": TrackForm(), "error": _("No report matches this receipt code and access key.")}, status=404)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.reward_claim(receipt_code=data["receipt_code"], access_key=data["access_key"],
                                  name=data["name"], phone=data["phone"], account=data["account"])
        except ValidationError as exc:
            apply_form_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return _status(request, report, typed)
    return _status(request, report, typed, claim_form=form, status=400)


def _lookup_limited(request):
    """None, or the 429 answer once the address has looked up too often."""
    try:
        ratelimit.check(request, group="reports.lookup", rate=settings.REPORT_PROJECT_SEARCH_RATE)
    except ratelimit.RateLimited as exc:
        return HttpResponse(exc.message, status=429, content_type="text/plain; charset=utf-8")
    return None


@require_GET
def project_search(request):
    """Projects under construction by name or address: name, address and district only."""
    from zhiben.registry.models import Project, ProjectStatus

    if limited := _lookup_limited(request):
        return limited
    q = (request.GET.get("q") or request.GET.get("project_name") or "").strip()[:50]
    projects = []
    if len(q) >= 2:
        projects = list(Project.objects.filter(status=ProjectStatus.UNDER_CONSTRUCTION)
                        .filter(Q(name__icontains=q) | Q(address__icontains=q))
                        .select_related("region").only("pk", "name", "address", "region__name")
                        .order_by("name")[:LOOKUP_LIMIT])
    return render(request, "reports/public/_projects.html", {"projects": projects, "q": q})


@require_GET
def enterprise_search(request):
    from zhiben.registry.models import Enterprise

    if limited := _lookup_limited(request):
        return limited
    q = (request.GET.get("q") or request.GET.get("enterprise_name") or "").strip()[:50]
    enterprises = []
    if len(q) >= 2:
        enterprises = list(Enterprise.objects.filter(name__icontains=q).select_related("region")
                           .only("pk", "name", "region__name").order_by("name")[:LOOKUP_LIMIT])
    return render(request, "reports/public/_enterprises.html", {"enterprises": enterprises, "q": q})
