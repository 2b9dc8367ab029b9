"""Sending notifications: an inbox row per recipient user, plus outbound SMS/e-mail through the backends."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhiben.notifications.models import Notification, OutboundMessage


def _backend(path: str):
    module, name = path.rsplit(".", 1)
    return getattr(import_module(module), name)()


def deliver(message_id: int) -> OutboundMessage:
    """Hand one queued message to the first backend that takes its channel; record the outcome."""
    message = OutboundMessage.objects.get(pk=message_id)
    if message.state != OutboundMessage.State.QUEUED:
        return message
    for path in getattr(settings, "NOTIFICATION_BACKENDS", ["zhiben.notifications.backends.OutboxBackend"]):
        backend = _backend(path)
        if message.channel not in getattr(backend, "channels", {message.channel}):
            continue
        try:
            backend.send(message)
        except Exception as exc:  # a gateway error is recorded on the message, never lost
            message.state, message.error, message.backend = OutboundMessage.State.FAILED, str(exc)[:2000], path
        else:
            message.state, message.backend, message.sent_at = backend.final_state, path, timezone.now()
        break
    message.save(update_fields=["state", "error", "backend", "sent_at"])
    return message


def notify(*, recipients, kind: str, title: str, body: str = "", url: str = "", subject=None,
           requires_ack: bool = False, sms_to: list[tuple[str, str]] | None = None) -> list[Notification]:
    """Inbox rows for `recipients` (users) and SMS to `sms_to` [(name, phone)]; delivery after commit."""
    subject_type = subject._meta.label_lower if subject is not None else ""
    subject_id = str(subject.pk) if subject is not None else ""
    rows = Notification.objects.bulk_create([
        Notification(recipient=user, kind=kind, title=title, body=body, url=url, subject_type=subject_type,
                     subject_id=subject_id, requires_ack=requires_ack)
        for user in {u.pk: u for u in recipients}.values()
    ])
    for name, phone in sms_to or []:
        if not phone:
            continue
        message = OutboundMessage.objects.create(
            channel=OutboundMessage.Channel.SMS, recipient_name=name, address=phone, subject=title,
            body=f"{title}\n{body}".strip(), subject_type=subject_type, subject_id=subject_id,
        )
        transaction.on_commit(lambda pk=message.pk: deliver(pk))
    return rows


def acknowledge(*, user, subject) -> int:
    """Mark the user's notifications about `subject` acknowledged (and read)."""
    now = timezone.now()
    return Notification.objects.filter(
        recipient=user, subject_type=subject._meta.label_lower, subject_id=str(subject.pk),
        acknowledged_at__isnull=True,
    ).update(acknowledged_at=now, read_at=now)


def mark_read(*, user, notification_id: int) -> None:
    Notification.objects.filter(recipient=user, pk=notification_id, read_at__isnull=True).update(
        read_at=timezone.now()
    )
