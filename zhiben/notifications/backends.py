"""Outbound delivery backends. A backend has `send(message) -> None` and raises on failure."""

from __future__ import annotations

import logging

from django.core.mail import send_mail

log = logging.getLogger(__name__)


class OutboxBackend:
    """Default: keep the message in the outbox (state `recorded`) for administrators to read."""

    final_state = "recorded"

    def send(self, message) -> None:
        log.debug("outbox: %s to %s", message.channel, message.recipient_name)


class EmailBackend:
    """E-mail through Django's mail settings (EMAIL_HOST …); SMS messages are left to other backends."""

    final_state = "sent"
    channels = {"email"}

    def send(self, message) -> None:
        send_mail(message.subject or message.body[:50], message.body, None, [message.address])
