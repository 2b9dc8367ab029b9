"""Writing audit rows. Every caller goes through `audit()` so the shape stays the same."""

from __future__ import annotations

from typing import Any

from django.db import models

from zhiben.core.models import AuditLog


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit(
    event: str,
    *,
    actor=None,
    obj: models.Model | None = None,
    request=None,
    actor_name: str = "",
    **data: Any,
) -> AuditLog:
    """Append one audit row. `actor` may be None (anonymous, system); `data` must be JSON-serialisable."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditLog.objects.create(
        actor=actor,
        actor_name=actor_name or (actor.get_username() if actor else ""),
        event=event,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        ip=client_ip(request),
        data=data,
    )
