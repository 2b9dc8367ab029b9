"""Rate limits per client address (django-ratelimit over the default cache: Redis at scale, process memory in
the embedded mode, where each of the web workers keeps its own count — see docs/operations.md).

`check(request, group=…, rate=…)` counts the request and raises RateLimited (429, a Chinese message) past the
rate. `check(…, increment=False)` only looks, and `hit(…)` only counts: together they limit failures alone (a
wrong access key counts, a right one does not).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage, is_ratelimited

from zhiben.core.audit import client_ip
from zhiben.core.errors import DomainError


class RateLimited(DomainError):
    status_code = 429


def _key(group, request) -> str:
    """The client's address; an IPv6 client by its /64, which one subscriber usually holds whole."""
    address = client_ip(request) or "unknown"
    if ":" in address:
        try:
            return str(ipaddress.ip_network(f"{address}/64", strict=False))
        except ValueError:
            return address
    return address


def _refuse() -> RateLimited:
    return RateLimited(_("Too many requests from your network. Please wait a while and try again."))


def check(request, *, group: str, rate: str, increment: bool = True) -> None:
    """Count this request (or, with increment=False, only look) and refuse it past the rate: with N/period,
    the first N are let through. Looking refuses once N have been counted."""
    if not getattr(settings, "RATELIMIT_ENABLE", True):
        return
    if increment:
        if is_ratelimited(request, group=group, key=_key, rate=rate, increment=True):
            raise _refuse()
        return
    usage = get_usage(request, group=group, key=_key, rate=rate, increment=False)
    if usage is not None and usage["count"] >= usage["limit"]:
        raise _refuse()


def hit(request, *, group: str, rate: str) -> None:
    is_ratelimited(request, group=group, key=_key, rate=rate, increment=True)
