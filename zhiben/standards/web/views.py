"""Standards library pages: the list of versions, one version with its rules and items, the comparison with the
previous version, and for editors the copy → edit → publish cycle with inline (htmx) item forms.

Every logged-in user reads; out of scope is 404; editing needs `services.can_edit_standard` (else 403); a
published version answers every edit with a clear message instead of a form.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhiben.core.errors import Forbidden, InvalidTransition, NotFound
from zhiben.core.timeutils import beijing_today
from zhiben.core.web import apply_form_errors
from zhiben.standards import selectors, services
from zhiben.standards.filters import StandardFilter, StandardItemFilter
from zhiben.standards.models import Standard
from zhiben.standards.web import presentation
from zhiben.standards.web.forms import CopyForm, ItemForm, PublishForm, StandardForm

ITEMS_PER_PAGE = 50


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _standard(request, pk) -> Standard:
    try:
        return selectors.standard_get(request.user, pk)
    except NotFound:
        raise Http404 from None


def _item(standard, pk):
    try:
        return selectors.item_get(standard, pk)
    except NotFound:
        raise Http404 from None


def _go(request, url: str):
    """Redirect; an htmx request is sent there as a whole page so the message shows."""
    if _is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _draft_or_refusal(request, standard: Standard):
    """None when the user may edit this draft; otherwise 403 (not an editor) or, for a published version, a
    clear message back on the version's page."""
    if not services.can_edit_standard(request.user, standard):
        raise PermissionDenied
    if standard.status != Standard.Status.DRAFT:
        messages.error(request, _("This version is published and can no longer be changed. To change it, make a "
                                  "new version from it, edit that draft and publish it."))
        return _go(request, reverse("standards:detail", args=[standard.pk]))
    return None


def _refused(request, standard: Standard, exc: Exception):
    if isinstance(exc, Forbidden):
        raise PermissionDenied
    messages.error(request, getattr(exc, "message", "") or _("This version can no longer be changed."))
    return _go(request, reverse("standards:detail", args=[standard.pk]))


@login_required
def standard_list(request):
    today = beijing_today()
    filterset = StandardFilter(request.GET or None, queryset=selectors.standard_list(request.user))
    standards = list(filterset.qs.order_by("kind", "code", "-effective_from", "id"))
    for standard in standards:
        standard.state = selectors.version_state(standard, today)
    return render(request, "standards/list.html", {
        "groups": selectors.kind_groups(standards), "filter": filterset, "today": today,
        "can_create": services.can_edit_standard(request.user), "count": len(standards),
        "kinds": Standard.Kind.choices,
    })


def _items_context(request, standard: Standard) -> dict:
    filterset = StandardItemFilter(request.GET or None, queryset=selectors.standard_items(standard))
    page = Paginator(filterset.qs, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = presentation.decorate_items(page.object_list)
    categories = list(
        selectors.standard_items(standard).order_by().exclude(category="").values_list("category", flat=True)
        .distinct()
    )
    return {
        "standard": standard, "page": page, "filter": filterset, "categories": sorted(categories),
        "can_edit": standard.status == Standard.Status.DRAFT and services.can_edit_standard(request.user, standard),
        "filtered": any(request.GET.get(k) for k in ("q", "level", "category", "verified")),
    }


@login_required
def standard_detail(request, pk: int):
    standard = _standard(request, pk)
    if _is_htmx(request) and request.GET.get("partial") == "items":
        return render(request, "standards/_items.html", _items_context(request, standard))
    today = beijing_today()
    standard.state = selectors.version_state(standard, today)
    context = _items_context(request, standard)
    scores = None
    if standard.kind == Standard.Kind.SCORE_TABLE:
        scores = presentation.score_tables(standard, selectors.standard_items(standard))
    context.update({
        "today": today,
        "articles": presentation.articles(standard),
        "scores": scores,
        "other_rules": presentation.other_rules(standard),
        "previous": selectors.previous_version(request.user, standard),
        "versions": list(selectors.versions_of(request.user, standard).select_related("region")),
        "can_copy": services.can_edit_standard(request.user),
    })
    return render(request, "standards/detail.html", context)


@login_required
def standard_compare(request, pk: int):
    standard = _standard(request, pk)
    versions = [v for v in selectors.versions_of(request.user, standard) if v.pk != standard.pk]
    other = None
    with_id = request.GET.get("with", "").strip()
    if with_id:
        other = next((v for v in versions if str(v.pk) == with_id), None)
        if other is None:
            raise Http404
    else:
        other = selectors.previous_version(request.user, standard)
    diff = selectors.compare_versions(other, standard) if other is not None else None
    if diff is not None:
        presentation.decorate_items(diff.added)
        presentation.decorate_items(diff.removed)
    return render(request, "standards/compare.html", {
        "standard": standard, "other": other, "diff": diff, "versions": versions,
    })


@login_required
@require_http_methods(["GET", "POST"])
def standard_copy(request, pk: int):
    source = _standard(request, pk)
    if not services.can_edit_standard(request.user):
        raise PermissionDenied
    form = CopyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.standard_copy(actor=request.user, source=source, request=request, **form.cleaned_data)
        except ValidationError as exc:
            apply_form_errors(form, exc)
        except (Forbidden, NotFound):
            raise PermissionDenied from None
        else:
            messages.success(request, _("A draft of the new version has been made. Edit it, then publish it."))
            return redirect("standards:detail", draft.pk)
    return render(request, "standards/copy.html", {"source": source, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def standard_edit(request, pk: int):
    standard = _standard(request, pk)
    refusal = _draft_or_refusal(request, standard)
    if refusal:
        return refusal
    # The form works on its own copy: a ModelForm writes into its instance while validating.
    form = StandardForm(request.POST or None, instance=Standard.objects.get(pk=standard.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.standard_update(actor=request.user, standard=standard, request=request,
                                     **{name: form.cleaned_data[name] for name in form.Meta.fields})
        except ValidationError as exc:
            apply_form_errors(form, exc)
        except (Forbidden, InvalidTransition) as exc:
            return _refused(request, standard, exc)
        else:
            messages.success(request, _("The draft has been saved."))
            return redirect("standards:detail", standard.pk)
    return render(request, "standards/edit.html", {"standard": standard, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def standard_publish(request, pk: int):
    standard = _standard(request, pk)
    refusal = _draft_or_refusal(request, standard)
    if refusal:
        return refusal
    initial = {"effective_from": max(standard.effective_from, beijing_today())}
    form = PublishForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.standard_publish(actor=request.user, standard=standard, request=request,
                                      effective_from=form.cleaned_data["effective_from"])
        except ValidationError as exc:
            apply_form_errors(form, exc)
        except (Forbidden, InvalidTransition) as exc:
            return _refused(request, standard, exc)
        else:
            messages.success(request, _("The version has been published."))
            return redirect("standards:detail", standard.pk)
    planned = getattr(form, "cleaned_data", {}).get("effective_from") or initial["effective_from"]
    superseded = list(services.superseded_by_publishing(standard, planned))
    return render(request, "standards/publish.html", {
        "standard": standard, "form": form, "superseded": superseded, "planned": planned,
        "ends_on": planned - dt.timedelta(days=1),
    })


# --- Items of a draft (htmx inline forms; plain pages without JavaScript) --------------------------------------

def _item_row(request, standard, item):
    item.details = presentation.item_details(item)
    return render(request, "standards/_item_row.html", {"standard": standard, "item": item, "can_edit": True})


def _item_form(request, standard, item=None):
    refusal = _draft_or_refusal(request, standard)
    if refusal:
        return refusal
    form = ItemForm(request.POST or None, standard=standard, item=item)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.item_save(actor=request.user, standard=standard, item=item, request=request,
                                       **form.service_fields())
        except ValidationError as exc:
            apply_form_errors(form, exc)
        except (Forbidden, InvalidTransition) as exc:
            return _refused(request, standard, exc)
        else:
            if _is_htmx(request):
                return _item_row(request, standard, saved)
            messages.success(request, _("The item has been saved."))
            return redirect(reverse("standards:detail", args=[standard.pk]) + f"#item-{saved.pk}")
    template = "standards/_item_form_row.html" if _is_htmx(request) else "standards/item_form.html"
    return render(request, template, {"standard": standard, "item": item, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def item_new(request, pk: int):
    return _item_form(request, _standard(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request, pk: int, item_pk: int):
    standard = _standard(request, pk)
    return _item_form(request, standard, _item(standard, item_pk))


@login_required
def item_row(request, pk: int, item_pk: int):
    """The plain row of an item (htmx: cancelling an inline edit)."""
    standard = _standard(request, pk)
    item = _item(standard, item_pk)
    item.details = presentation.item_details(item)
    can_edit = standard.status == Standard.Status.DRAFT and services.can_edit_standard(request.user, standard)
    return render(request, "standards/_item_row.html", {"standard": standard, "item": item, "can_edit": can_edit})


@login_required
@require_POST
def item_delete(request, pk: int, item_pk: int):
    standard = _standard(request, pk)
    item = _item(standard, item_pk)
    refusal = _draft_or_refusal(request, standard)
    if refusal:
        return refusal
    try:
        services.item_delete(actor=request.user, standard=standard, item=item, request=request)
    except (Forbidden, InvalidTransition) as exc:
        return _refused(request, standard, exc)
    if _is_htmx(request):
        return HttpResponse("")
    messages.success(request, _("The item has been removed."))
    return redirect("standards:detail", standard.pk)
