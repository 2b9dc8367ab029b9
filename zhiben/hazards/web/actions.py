"""The action panel of the detail page: one view takes every action's form and calls its service.

The service is the authority: it checks the role, the scope and the state. Its ValidationError goes back onto
the form, Forbidden is a 403, NotFound a 404, InvalidTransition a 409 showing its message, TooLarge a 413.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from zhiben.core.errors import DomainError, Forbidden, NotFound
from zhiben.core.web import apply_form_errors
from zhiben.hazards import services
from zhiben.hazards.states import TRANSITIONS
from zhiben.hazards.web import forms as web_forms
from zhiben.hazards.web.uploads import StoredFiles
from zhiben.hazards.web.views import can_add_evidence, detail_context, load_hazard

SERVICES = {
    "submit": services.hazard_submit,
    "reject-submission": services.hazard_reject_submission,
    "close": services.hazard_close,
    "reopen": services.hazard_reopen,
    "void": services.hazard_void,
    "request-extension": services.hazard_request_extension,
    "approve-extension": services.hazard_approve_extension,
    "deny-extension": services.hazard_deny_extension,
    "escalate": services.hazard_escalate,
    "acknowledge": services.hazard_acknowledge,
}

SUCCESS = {
    "submit": gettext_lazy("The rectification has been submitted for re-inspection."),
    "reject-submission": gettext_lazy("The rectification has been rejected; the hazard is open again."),
    "close": gettext_lazy("The hazard has been closed out."),
    "reopen": gettext_lazy("The hazard has been reopened."),
    "void": gettext_lazy("The hazard has been voided."),
    "request-extension": gettext_lazy("The extension request has been sent."),
    "approve-extension": gettext_lazy("The extension has been approved."),
    "deny-extension": gettext_lazy("The extension has been denied."),
    "escalate": gettext_lazy("The hazard has been escalated."),
    "acknowledge": gettext_lazy("Receipt of the notification has been acknowledged."),
}


def _detail_url(hazard) -> str:
    return reverse("hazards:detail", args=[hazard.pk])


def _rerender(request, hazard, key: str, form, *, status: int = 200, error: str = ""):
    """The detail page again, with the failed form bound (its errors shown and its panel open)."""
    hazard = load_hazard(request.user, hazard.pk)  # fresh: the failed transaction may have touched the row
    form.hazard = hazard
    context = detail_context(request, hazard, bound={key: form})
    context["action_error"] = error
    return render(request, "hazards/detail.html", context, status=status)


def _refused(request, hazard, action: str, form):
    """An action the caller may not take now, posted with invalid data: 403 for the wrong role, else 409."""
    transition = TRANSITIONS[action]
    if "principal" in transition.roles:
        role_may = services._is_principal(request.user, hazard)
    else:
        role_may = services.role_of(request.user) in transition.roles
    if not role_may:
        raise PermissionDenied(_("Your role may not do this."))
    message = _("“%(action)s” is not possible now.") % {"action": transition.label}
    return _rerender(request, hazard, action, form, status=409, error=message)


@login_required
@require_POST
def act(request, pk: int, action: str):
    if action not in SERVICES:
        raise Http404
    user = request.user
    hazard = load_hazard(user, pk)
    form = web_forms.ACTION_FORMS[action](request.POST, request.FILES, hazard=hazard, user=user)
    if not form.is_valid():
        if action not in services.allowed_actions(user, hazard):
            return _refused(request, hazard, action, form)
        return _rerender(request, hazard, action, form, status=413 if form.too_large else 200)
    try:
        with StoredFiles() as stored, transaction.atomic():
            kwargs = form.service_kwargs()
            if action == "submit":
                for upload in form.cleaned_data["evidence"]:
                    stored.add(services.attachment_add(actor=user, hazard_id=hazard.pk, upload=upload,
                                                       request=request))
                kwargs["attachments"] = stored.ids
            SERVICES[action](actor=user, hazard_id=hazard.pk, request=request, **kwargs)
    except ValidationError as exc:
        apply_form_errors(form, exc)
        return _rerender(request, hazard, action, form)
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:  # InvalidTransition/Conflict 409, TooLarge 413, unsupported file 400
        if exc.errors.get("file") and action == "submit":
            form.add_error("evidence", exc.message)
        return _rerender(request, hazard, action, form, status=exc.status_code, error=exc.message)
    messages.success(request, str(SUCCESS[action]))
    return redirect(_detail_url(hazard) + "#timeline")


@login_required
@require_POST
def add_evidence(request, pk: int):
    """Upload photos or documents to a hazard, each through `services.attachment_add`, all or none."""
    user = request.user
    hazard = load_hazard(user, pk)
    form = web_forms.EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        if not can_add_evidence(user, hazard) and services.role_of(user) in {"leader", ""}:
            raise PermissionDenied(_("Your role may not add evidence."))
        return _rerender(request, hazard, "evidence", form, status=413 if form.too_large else 200)
    try:
        with StoredFiles() as stored, transaction.atomic():
            for upload in form.cleaned_data["files"]:
                stored.add(services.attachment_add(actor=user, hazard_id=hazard.pk, upload=upload, request=request))
    except ValidationError as exc:
        apply_form_errors(form, exc)
        return _rerender(request, hazard, "evidence", form)
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        if exc.errors.get("file"):
            form.add_error("files", exc.message)
        return _rerender(request, hazard, "evidence", form, status=exc.status_code, error=exc.message)
    count = len(stored.attachments)
    messages.success(request, ngettext("%(count)d evidence file added.", "%(count)d evidence files added.", count)
                     % {"count": count})
    return redirect(_detail_url(hazard) + "#evidence")
