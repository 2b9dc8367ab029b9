"""The OpenAPI schema documents every status an operation can answer (API.md, General: errors), each with the
one error body of `zhiben.core.errors`: ``{"detail", "errors"}``.

`AutoSchema` (settings.REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]) derives the statuses that follow from an
operation's shape, so no view has to repeat them:

- 400 when it takes a body or query parameters (bad input; `errors` names each field at fault);
- 401 and 403 unless it is public (not signed in; the caller's role may not do this);
- 404 when its path names an object (missing, or outside the caller's scope: the two read the same);
- 413 and 415 when it takes a body (larger than the server accepts; not JSON, form or multipart).

Statuses that depend on what the operation does are declared by the view with `error_responses(409, ...)`
inside its `extend_schema(responses=...)`; any error status a view declares without a body gets the error body.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """Every error answer: a message, and for bad input the fields at fault."""

    detail = serializers.CharField(help_text=_("What went wrong, in the caller's language"))
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.JSONField()), required=False,
        help_text=_("Messages per field; row-level ones under non_field_errors"),
    )


class ValidationErrorSerializer(ErrorSerializer):
    """A 400: `errors` is always present (empty when no field is to blame, e.g. malformed JSON)."""

    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.JSONField()),
        help_text=_("Messages per field; row-level ones under non_field_errors"),
    )


DESCRIPTIONS = {
    400: "Bad input: `errors` names each field (or query parameter) at fault.",
    401: "Not signed in: no token or session, or an unknown token.",
    403: "The caller's role may not do this.",
    404: "Not found, or outside the caller's scope (the two read the same).",
    409: "Not possible in the object's current state.",
    413: "The body or upload is larger than the server accepts.",
    415: "The body is not JSON, form data or multipart.",
    429: "Too many requests from this client; try again later.",
}


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """`extend_schema(responses={200: X, **error_responses(409)})`: statuses the shape of an operation does not
    reveal, each with the error body."""
    return {code: OpenApiResponse(_serializer_for(code), description=DESCRIPTIONS[code]) for code in codes}


def _serializer_for(code: int) -> type[ErrorSerializer]:
    return ValidationErrorSerializer if code == 400 else ErrorSerializer


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's AutoSchema, plus the error statuses every operation can answer (module docstring)."""

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses = operation["responses"]
        for code in self._implied_error_statuses(operation):
            responses.setdefault(str(code), {"description": DESCRIPTIONS[code]})
        for code, response in responses.items():
            if code.isdigit() and int(code) >= 400 and "content" not in response:
                component = self.resolve_serializer(_serializer_for(int(code)), "response")
                response["content"] = {"application/json": {"schema": component.ref}}
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    @staticmethod
    def _implied_error_statuses(operation: dict) -> list[int]:
        parameters = operation.get("parameters", [])
        has_body = "requestBody" in operation
        security = operation.get("security", [])
        public = not security or {} in security
        codes = []
        if has_body or any(p["in"] == "query" for p in parameters):
            codes.append(400)
        if not public:
            codes += [401, 403]
        if any(p["in"] == "path" for p in parameters):
            codes.append(404)
        if has_body:
            codes += [413, 415]
        return codes


class BlankOnReadChoiceExtension(OpenApiSerializerFieldExtension):
    """core.api.BlankOnReadChoiceField: its choices on write; its choices or "" in responses."""

    target_class = "zhiben.core.api.BlankOnReadChoiceField"

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if direction != "response":
            return schema
        return {"oneOf": [schema, {"type": "string", "enum": [""]}]}
