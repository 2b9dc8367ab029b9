"""Domain errors and their one mapping to HTTP (API.md, General: errors)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler


class DomainError(Exception):
    """Base of errors raised by services; `message` is shown to the user (Chinese via the catalogue)."""

    status_code = 400

    def __init__(self, message: str = "", *, errors: dict | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class NotFound(DomainError):
    """The object does not exist or the caller may not see it: the two are never told apart."""

    status_code = 404


class Forbidden(DomainError):
    status_code = 403


class InvalidTransition(DomainError):
    """The object's current state does not allow the action."""

    status_code = 409


class Conflict(DomainError):
    status_code = 409


class TooLarge(DomainError):
    status_code = 413


def _django_validation_errors(exc: DjangoValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        # Django files row-level (constraint) errors under "__all__"; the API calls them non_field_errors.
        return {
            ("non_field_errors" if field == "__all__" else field): [str(m) for m in msgs]
            for field, msgs in exc.message_dict.items()
        }
    return {"non_field_errors": [str(m) for m in exc.messages]}


def _flatten_detail(data) -> dict:
    if isinstance(data, dict):
        return {k: (v if isinstance(v, list) else [v]) for k, v in data.items()}
    if isinstance(data, list):
        return {"non_field_errors": data}
    return {}


def api_exception_handler(exc, context):
    """Map domain, Django and DRF errors to API.md's shape: ``{"detail", "errors"}``."""
    if isinstance(exc, DomainError):
        if exc.message:
            message = exc.message
        elif exc.status_code == status.HTTP_404_NOT_FOUND:
            message = _("Not found.")
        else:
            message = _("The request could not be completed.")
        body = {"detail": message}
        if exc.errors or exc.status_code == status.HTTP_400_BAD_REQUEST:
            body["errors"] = exc.errors
        return Response(body, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        errors = _django_validation_errors(exc)
        return Response(
            {"detail": _("The submitted data is invalid."), "errors": errors},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, RequestDataTooBig):  # a form or multipart body over DATA_UPLOAD_MAX_MEMORY_SIZE
        return Response({"detail": _("The request body is too large.")},
                        status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):  # Django's limits on form fields and files
        return Response({"detail": _("The request has too many fields or files."), "errors": {}},
                        status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": _("The submitted data is invalid."), "errors": _flatten_detail(exc.detail)}
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"detail": str(response.data["detail"])}
        if response.status_code == status.HTTP_400_BAD_REQUEST:
            response.data["errors"] = {}  # e.g. malformed JSON: still the shape of API.md, no field to name
    return response
