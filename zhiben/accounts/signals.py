"""Audit of every login success and failure, and of logouts (a decoupled concern, hence signals)."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from zhiben.core.audit import audit


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit("login.succeeded", actor=user, request=request)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    audit("login.failed", request=request, actor_name=str(credentials.get("username", ""))[:150])


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit("logout", actor=user, request=request)
