"""Building blocks shared by every app's HTTP API: related fields that only accept what the caller may see,
division codes as strings, and masking of protected identifiers with an audit row for each unmasked response.

Framework only: domain apps hand in their selectors and permission names.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from zhiben.core.audit import audit

# Largest value of a signed 64-bit key: anything above cannot name a row and must not reach the database driver
# (SQLite raises OverflowError on it).
MAX_ID = 2**63 - 1
_ID_RE = re.compile(r"\d{1,19}", re.ASCII)
_DIGITS_RE = re.compile(r"\d+", re.ASCII)
_CODE_RE = re.compile(r"\d{6}", re.ASCII)

Selector = Callable[[object], QuerySet]


def _caller(field: serializers.Field):
    request = field.context.get("request")
    return getattr(request, "user", None)


def parse_id(value) -> int | None:
    """An object id from JSON or a URL: a positive integer (or its decimal string) within 64 bits, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _ID_RE.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        return None
    return number if 1 <= number <= MAX_ID else None


@extend_schema_field(OpenApiTypes.INT)
class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A related object named by id that must be visible to the caller (`selector(user)`): an unknown id and an
    out-of-scope id get the same answer, so the field never reveals that an object exists."""

    default_error_messages = {
        "does_not_exist": _("Unknown id {pk_value}, or not one you may use."),
        "incorrect_type": _("Expected an id (a positive integer), got {data_type}."),
    }

    def __init__(self, selector: Selector, **kwargs):
        self.selector = selector
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.selector(_caller(self))

    def to_internal_value(self, data):
        integral = (isinstance(data, int) and not isinstance(data, bool)) or (
            isinstance(data, str) and _DIGITS_RE.fullmatch(data.strip()) is not None
        )
        if not integral:
            self.fail("incorrect_type", data_type=type(data).__name__)
        pk = parse_id(data)
        if pk is None:  # zero, negative or beyond 64 bits: names nothing
            self.fail("does_not_exist", pk_value=data)
        try:
            return self.get_queryset().get(pk=pk)
        except ObjectDoesNotExist:
            self.fail("does_not_exist", pk_value=pk)


@extend_schema_field({"type": "string", "pattern": r"^\d{6}$", "example": "141122",
                      "description": "6-digit administrative division code (GB/T 2260)"})
class DivisionCodeField(serializers.RelatedField):
    """A region given and returned as its 6-digit division code string (API.md: `"141122"`).

    Accepts the code as a string or a number; the region must be one `selector(user)` offers.
    """

    default_error_messages = {
        "invalid": _("Enter a 6-digit administrative division code, e.g. 141122."),
        "does_not_exist": _("Unknown region code {code}, or one outside your region."),
    }

    def __init__(self, selector: Selector | None = None, **kwargs):
        self.selector = selector
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.selector(_caller(self))

    def use_pk_only_optimization(self) -> bool:
        return True

    def to_internal_value(self, data):
        if isinstance(data, int) and not isinstance(data, bool):
            data = f"{data:06d}" if data >= 0 else str(data)
        if not isinstance(data, str) or not _CODE_RE.fullmatch(data.strip()):
            self.fail("invalid")
        code = int(data.strip())
        try:
            return self.get_queryset().get(pk=code)
        except ObjectDoesNotExist:
            self.fail("does_not_exist", code=data.strip())

    def to_representation(self, value) -> str:
        return f"{int(value.pk):06d}"


class BlankOnReadChoiceField(serializers.ChoiceField):
    """A choice that must be one of `choices` on write but reads as "" for a row that has none (a platform
    administrator's role); the schema says so for responses only (core.schema.BlankOnReadChoiceExtension)."""


class MaskedFieldsMixin:
    """Serializer mixin: fields in `masked_fields` ({name: mask function}) are masked unless the view put
    ``reveal=True`` in the context; each instance shown unmasked is recorded in ``context["revealed"]`` so the
    view can audit the response (RevealAuditMixin)."""

    masked_fields: dict[str, Callable[[str | None], str]] = {}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if self.context.get("reveal"):
            if any(data.get(name) for name in self.masked_fields):
                self.context.setdefault("revealed", []).append(instance)
            return data
        for name, mask in self.masked_fields.items():
            if name in data:
                data[name] = mask(data[name])
        return data


class RevealAuditMixin:
    """View mixin: unmasks protected fields for callers holding `reveal_permission`, and writes one audit row
    (`reveal_event`) for every successful response that carried unmasked values, naming the objects shown."""

    reveal_permission: str = ""
    reveal_event: str = ""

    def can_reveal(self) -> bool:
        if not hasattr(self, "_can_reveal"):
            user = getattr(self.request, "user", None)
            self._can_reveal = bool(
                self.reveal_permission and user is not None and user.is_authenticated
                and user.has_perm(self.reveal_permission)
            )
        return self._can_reveal

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not hasattr(self, "_revealed"):
            self._revealed = []
        context["reveal"] = self.can_reveal()
        context["revealed"] = self._revealed
        return context

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        revealed = getattr(self, "_revealed", None)
        if revealed and response.status_code < 400:
            ids = sorted({obj.pk for obj in revealed})
            audit(
                self.reveal_event, actor=request.user, request=request,
                obj=revealed[0] if len(ids) == 1 else None,
                via="api", path=request.path, ids=ids,
            )
            revealed.clear()
        return response


# DRF's ModelSerializer that introspects its model once per class instead of on every instantiation.
#
# `ModelSerializer.get_fields()` rebuilds every field from the model's metadata (field mapping, kwargs, labels,
# validators) each time a serializer is created, i.e. at least once per request: a third of the CPU of a small API
# read (docs/performance.md, "Framework overhead"). The fields it builds depend only on the class (its Meta and
# declared fields), so the first result is kept on the class and each instance gets a deep copy, which is what DRF
# already does with declared fields. Subclasses that adjust fields override `get_fields()`, call super() and change
# the copy, as before. (A comment, not a docstring: drf-spectacular would publish a docstring as the description of
# every schema component built from a subclass without one.)
class ModelSerializer(serializers.ModelSerializer):
    def get_fields(self):
        cls = type(self)
        prototypes = cls.__dict__.get("_zhiben_field_prototypes")
        if prototypes is None:
            prototypes = super().get_fields()
            cls._zhiben_field_prototypes = prototypes
        return copy.deepcopy(prototypes)
