"""Template helpers of the hazard ledger's Excel pages: `{% if request.user|can_import_hazards %}`."""

from __future__ import annotations

from django import template

from zhiben.hazards.excel.ledger import can_import

register = template.Library()


@register.filter
def can_import_hazards(user) -> bool:
    """Whether the user may import a hazard ledger (regulator admins, inspectors, platform administrators)."""
    return can_import(user)
