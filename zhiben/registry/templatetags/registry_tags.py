"""Template helpers of the registry pages: masking and expiry states."""

from __future__ import annotations

from django import template

from zhiben.core.masking import mask_id_number, mask_phone
from zhiben.registry.models import expiry_status

register = template.Library()


@register.filter
def masked_id(value: str | None) -> str:
    """A resident ID number masked for display (lists never show it whole)."""
    return mask_id_number(value)


@register.filter
def masked_phone(value: str | None) -> str:
    return mask_phone(value)


@register.filter
def expiry_state(expires) -> str:
    """`valid`, `expiring`, `expired` or `unknown` for a date, for `{% expiry_badge %}`."""
    return expiry_status(expires)
