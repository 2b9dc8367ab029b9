"""The in-app inbox, its header bell, and the outbox of outbound messages for administrators.

A user reads only their own notifications (someone else's is a 404). The outbox is for regulator administrators
and platform administrators; a regulator administrator sees the messages whose subject (a hazard, …) lies in
their scope, a platform administrator every message.
"""

from __future__ import annotations

from functools import cache

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, CharField, IntegerField, Q, Value, When
from django.db.models.functions import Cast
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from zhiben.core.masking import mask_phone
from zhiben.core.scoping import Scoped
from zhiben.notifications import services
from zhiben.notifications.models import Notification, OutboundMessage

PAGE_SIZE = 25


def _mine(user):
    return Notification.objects.filter(recipient=user)


@login_required
def inbox(request):
    """The user's notifications, unread first, newest first within each group."""
    show = request.GET.get("show", "")
    qs = _mine(request.user)
    if show == "unread":
        qs = qs.filter(read_at__isnull=True)
    qs = qs.annotate(
        unread=Case(When(read_at__isnull=True, then=Value(1)), default=Value(0), output_field=IntegerField())
    ).order_by("-unread", "-created_at", "-id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page, "show": show})


@login_required
@require_GET
def bell(request):
    """The header bell (loaded by htmx on every page): the unread count, one query."""
    unread = _mine(request.user).filter(read_at__isnull=True).count()
    # A fragment: rendered without the page context processors (navigation, scope label), so one query it is.
    return HttpResponse(render_to_string("notifications/bell.html", {"unread": unread}))


def _safe(request, url: str) -> str:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return url
    return reverse("notifications:inbox")


@login_required
@require_POST
def mark_read(request, pk: int):
    """Mark one notification read; `open=1` then follows its link (to the hazard, where it is acknowledged)."""
    notification = get_object_or_404(_mine(request.user), pk=pk)
    services.mark_read(user=request.user, notification_id=notification.pk)
    if request.POST.get("open"):
        return redirect(_safe(request, notification.url))
    return redirect(_safe(request, request.POST.get("next", "")))


@login_required
@require_POST
def mark_all_read(request):
    # The user's own reading state, not domain data: one UPDATE rather than a service call per row.
    _mine(request.user).filter(read_at__isnull=True).update(read_at=timezone.now())
    return redirect("notifications:inbox")


# --- Outbox -------------------------------------------------------------------------------------------------


def can_read_outbox(user) -> bool:
    return user.is_superuser or (getattr(user, "role", "") == "regulator_admin" and bool(user.region_id))


@cache
def _scoped_labels() -> dict[str, type]:
    return {m._meta.label_lower: m for m in apps.get_models() if issubclass(m, Scoped)}


def outbox_visible_to(user):
    """Messages whose subject the user may see (a subject-less message is a platform matter)."""
    qs = OutboundMessage.objects.all()
    if user.is_superuser:
        return qs
    if not can_read_outbox(user):
        return qs.none()
    visible = Q(pk__in=[])
    for label, model in _scoped_labels().items():
        ids = model.objects.visible_to(user).annotate(key=Cast("pk", CharField())).values("key")
        visible |= Q(subject_type=label, subject_id__in=ids)
    return qs.filter(visible)


def _display_address(message: OutboundMessage) -> str:
    if message.channel == OutboundMessage.Channel.SMS:
        return mask_phone(message.address)
    local, _at, domain = message.address.partition("@")
    return f"{local[:2]}***@{domain}" if domain else mask_phone(message.address)


@login_required
def outbox(request):
    if not can_read_outbox(request.user):
        raise PermissionDenied
    qs = outbox_visible_to(request.user)
    channel, state = request.GET.get("channel", ""), request.GET.get("state", "")
    if channel in OutboundMessage.Channel.values:
        qs = qs.filter(channel=channel)
    if state in OutboundMessage.State.values:
        qs = qs.filter(state=state)
    page = Paginator(qs.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    for message in page.object_list:
        message.display_address = _display_address(message)
    return render(request, "notifications/outbox.html", {
        "page": page, "channel": channel, "state": state,
        "channels": OutboundMessage.Channel.choices, "states": OutboundMessage.State.choices,
    })
