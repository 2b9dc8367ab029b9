"""Writing audit rows. Every caller goes through `audit()` so the shape stays the same."""

from __future__ import annotations

import functools
import ipaddress
from typing import Any

from django.db import models

from zhiben.core.models import AuditLog


@functools.cache
def _networks(entries: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _trusted(peer: str | None, entries: tuple[str, ...]) -> bool:
    """Whether the direct peer is one of TRUSTED_PROXIES (addresses or networks such as 10.0.0.0/24)."""
    if not peer or not entries:
        return False
    try:
        address = ipaddress.ip_address(peer)
    except ValueError:
        return False
    address = getattr(address, "ipv4_mapped", None) or address  # ::ffff:10.0.0.1 is 10.0.0.1
    return any(address in network for network in _networks(entries))


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or — only when the direct peer is one of the configured trusted
    proxies (TRUSTED_PROXIES) — the address that proxy put in the configured header (CLIENT_IP_HEADER, e.g.
    X-Real-IP, or the last entry of X-Forwarded-For). A header from anyone else is ignored, so a client cannot
    choose its own address to dodge a rate limit or forge the audit log."""
    if request is None:
        return None
    from django.conf import settings

    peer = request.META.get("REMOTE_ADDR") or None
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    if not header or not _trusted(peer, tuple(getattr(settings, "TRUSTED_PROXIES", ()))):
        return peer
    value = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
    candidate = value.split(",")[-1].strip() if value else ""
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return peer
    return candidate


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
