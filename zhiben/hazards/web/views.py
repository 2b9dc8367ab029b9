"""Hazard ledger pages: the filtered list, reporting a hazard, the detail page with its timeline and action panel,
and the permission-checked evidence download.

Every read starts from `hazards.selectors` (scoped to the caller), so a hazard outside the caller's scope is a
404; every write goes through `hazards.services` (see `actions.py` for the action panel). The list runs a fixed
number of queries whatever the page holds (pinned in tests/web/test_list.py).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_filters.widgets import BaseCSVWidget

from zhiben.core.errors import DomainError, Forbidden, NotFound
from zhiben.core.scoping import scope_of
from zhiben.core.timeutils import beijing_today
from zhiben.core.web import apply_form_errors
from zhiben.hazards import selectors, services
from zhiben.hazards.filters import HazardFilter
from zhiben.hazards.models import Hazard
from zhiben.hazards.states import TRANSITIONS
from zhiben.hazards.web import forms as web_forms
from zhiben.hazards.web.presentation import EVENT_ICONS, decorate, timeline
from zhiben.hazards.web.uploads import StoredFiles
from zhiben.registry.models import Region
from zhiben.registry.selectors import enterprises_visible_to, projects_visible_to, regions_visible_to


class HiddenCSVWidget(BaseCSVWidget, forms.HiddenInput):
    """The ordering (a comma-separated list for django-filter) kept as a hidden input of the filter form."""

    surrogate = forms.HiddenInput


PAGE_SIZE = 20
ACTION_ICONS = EVENT_ICONS
SORTABLE = ("code", "found_at", "deadline", "escalation_level")


# --- List --------------------------------------------------------------------------------------------------


def _prepare_filter_form(filterset, user) -> None:
    """Page-only touches on the shared FilterSet's form: a region select for multi-region scopes, id filters
    (arriving from links) as hidden inputs, bounds that keep absurd ids away from the database."""
    form = filterset.form
    for name in ("enterprise", "project"):
        field = form.fields[name]
        field.widget = forms.HiddenInput()
        field.validators += [MinValueValidator(1), MaxValueValidator(web_forms.MAX_ID)]
    form.fields["ordering"].widget = HiddenCSVWidget()  # set by the sortable column headers
    scope = scope_of(user)
    region = form.fields["region"]
    spans_regions = scope.kind == "all" or (scope.kind == "region" and scope.region % 100 == 0)
    if spans_regions:
        regions = regions_visible_to(user).exclude(level=Region.Level.PROVINCE).order_by("code")
        region.widget = forms.Select(choices=[("", "—"), *((r.code, r.name) for r in regions)])
    else:
        region.widget = forms.HiddenInput()
    for name in ("found_from", "found_to"):
        form.fields[name].widget = forms.DateInput()


def _filtered_by(filterset, name: str, queryset):
    form = filterset.form
    if not form.is_valid() or form.cleaned_data.get(name) in (None, ""):
        return None
    return queryset.filter(pk=int(form.cleaned_data[name])).first()


def _sort_links(request) -> dict[str, dict]:
    """Per sortable column: the query string that sorts by it (toggling the direction) and the current one."""
    current = request.GET.get("ordering", "")
    links = {}
    for name in SORTABLE:
        query = request.GET.copy()
        query.pop("page", None)
        direction = "asc" if current == name else "desc" if current == f"-{name}" else ""
        query["ordering"] = f"-{name}" if direction == "asc" else name
        links[name] = {"query": query.urlencode(), "direction": direction}
    return links


@login_required
def hazard_list(request):
    user = request.user
    queryset = selectors.hazard_list(user)
    filterset = HazardFilter(request.GET or None, queryset=queryset)
    _prepare_filter_form(filterset, user)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    today = beijing_today()
    for hazard in page.object_list:
        decorate(hazard, today)
    return render(request, "hazards/list.html", {
        "filter": filterset,
        "page": page,
        "sort": _sort_links(request),
        "filtered_enterprise": _filtered_by(filterset, "enterprise", enterprises_visible_to(user)),
        "filtered_project": _filtered_by(filterset, "project", projects_visible_to(user)),
        "can_register": web_forms.can_register(user),
    })


# --- Reporting a hazard ------------------------------------------------------------------------------------


@login_required
def hazard_create(request):
    """Register a hazard and store its photos, all in one transaction: a refused photo writes nothing."""
    user = request.user
    if not web_forms.can_register(user):
        raise PermissionDenied
    form = web_forms.HazardCreateForm(request.POST or None, request.FILES or None, user=user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                with StoredFiles() as stored, transaction.atomic():
                    hazard = services.hazard_register(
                        actor=user, project_id=data["project"].pk, channel=data["channel"], level=data["level"],
                        description=data["description"], location=data["location"],
                        standard_item_id=data["standard_item"], found_at=data["found_at"],
                        deadline=data["deadline"], request=request,
                    )
                    for upload in data["photos"]:
                        stored.add(services.attachment_add(actor=user, hazard_id=hazard.pk, upload=upload,
                                                           request=request))
            except ValidationError as exc:
                apply_form_errors(form, exc)
            except Forbidden as exc:
                raise PermissionDenied(exc.message) from exc
            except NotFound as exc:
                raise Http404 from exc
            except DomainError as exc:  # TooLarge (413), an unsupported file (400)
                form.add_error("photos" if exc.errors.get("file") else None, exc.message)
                status = exc.status_code
            else:
                messages.success(request, _("Hazard %(code)s has been registered.") % {"code": hazard.code})
                if hazard.possible_duplicate_of_id:
                    duplicate = hazard.possible_duplicate_of
                    messages.warning(request, format_html(
                        '{} <a href="{}" class="alert-link" data-testid="duplicate-link">{}</a>',
                        _("It may duplicate a hazard already in the ledger:"),
                        reverse("hazards:detail", args=[duplicate.pk]), duplicate.code,
                    ))
                return redirect("hazards:detail", pk=hazard.pk)
        if form.too_large:
            status = 413
    return render(request, "hazards/create.html", {"form": form}, status=status)


@login_required
@require_GET
def item_options(request):
    """htmx: the <option>s of the standard-item select for a found date and a project."""
    day = web_forms.parse_found_day(request.GET.get("found_at"))
    project_id = web_forms.parse_id(request.GET.get("project"))
    region = None
    if project_id is not None:
        region = projects_visible_to(request.user).filter(pk=project_id).values_list("region_id", flat=True).first()
    return render(request, "hazards/includes/item_options.html", {
        "groups": web_forms.item_groups(request.user, day, region),
        "selected": request.GET.get("standard_item", ""),
        "day": day,
    })


# --- Detail ------------------------------------------------------------------------------------------------


def load_hazard(user, pk: int) -> Hazard:
    try:
        return selectors.hazard_detail(user, pk)
    except Hazard.DoesNotExist:
        raise Http404 from None


def can_add_evidence(user, hazard: Hazard) -> bool:
    """Mirrors `services.attachment_add`: anyone in scope but leaders, while the hazard is not void."""
    return services.role_of(user) not in {"leader", ""} and hazard.status != "void"


def detail_context(request, hazard: Hazard, *, bound: dict | None = None) -> dict:
    """Everything the detail page shows; `bound` replaces the unbound form of an action (with its errors)."""
    user = request.user
    bound = bound or {}
    actions = services.allowed_actions(user, hazard)
    action_forms = [
        {
            "name": name, "label": TRANSITIONS[name].label, "icon": ACTION_ICONS.get(name, "point"),
            "form": bound.get(name) or web_forms.ACTION_FORMS[name](hazard=hazard, user=user),
        }
        for name in actions if name in web_forms.ACTION_FORMS
    ]
    attachments = list(hazard.attachments.all())
    by_rectification: dict[int, list] = {}
    for attachment in attachments:
        if attachment.rectification_id:
            by_rectification.setdefault(attachment.rectification_id, []).append(attachment)
    rectifications = list(hazard.rectifications.all())
    for rectification in rectifications:
        rectification.files = by_rectification.get(rectification.pk, [])
    decorate(hazard, beijing_today())
    return {
        "hazard": hazard,
        "action_forms": action_forms,
        "open_action": next(iter(bound), ""),
        "attachments": [a for a in attachments if not a.rectification_id],
        "rectifications": rectifications,
        "extensions": list(hazard.extensions.all()),
        "timeline": timeline(hazard, hazard.events.all()),
        "evidence_form": bound.get("evidence") or (web_forms.EvidenceForm() if can_add_evidence(user, hazard)
                                                   else None),
        "item": hazard.standard_item,
    }


@login_required
def hazard_detail(request, pk: int):
    hazard = load_hazard(request.user, pk)
    return render(request, "hazards/detail.html", detail_context(request, hazard))


@login_required
def attachment_download(request, pk: int):
    """Evidence is served only through this permission check (never from a public URL)."""
    attachment = get_object_or_404(selectors.attachments_visible_to(request.user), pk=pk)
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type,
                            as_attachment=not attachment.is_image, filename=attachment.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response
