"""Helpers for pages: mapping domain errors onto forms."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def apply_form_errors(form, exc: ValidationError) -> None:
    """Attach a service's ValidationError to a bound form, field by field."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
