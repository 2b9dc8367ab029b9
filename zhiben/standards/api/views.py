"""Standards API: read the library; regulator administrators copy, edit and publish versions (API.md, Standards).

Order of refusals on writes: not visible → 404, not allowed to edit → 403, not a draft → 409, bad body → 400.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from zhiben.core.errors import Forbidden
from zhiben.core.schema import error_responses
from zhiben.core.timeutils import beijing_today
from zhiben.standards import selectors, services
from zhiben.standards.api.serializers import (
    ItemInForceSerializer,
    ItemsInForceQuerySerializer,
    StandardCopySerializer,
    StandardDetailSerializer,
    StandardItemSerializer,
    StandardItemWriteSerializer,
    StandardPublishSerializer,
    StandardSerializer,
    StandardUpdateSerializer,
)
from zhiben.standards.filters import StandardFilter, StandardItemFilter
from zhiben.standards.models import StandardItem


@extend_schema_view(
    list=extend_schema(summary="Standard versions visible to the caller"),
    retrieve=extend_schema(summary="One standard version with its rules"),
    partial_update=extend_schema(summary="Change a draft's metadata", request=StandardUpdateSerializer,
                                 responses={200: StandardDetailSerializer, **error_responses(409)}),
)
class StandardViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """`/api/v1/standards/`: every version the caller may read (drafts only for their editors)."""

    filterset_class = StandardFilter
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.standard_list(self.request.user).order_by("kind", "code", "-effective_from", "id")

    def get_serializer_class(self):
        return StandardSerializer if self.action == "list" else StandardDetailSerializer

    def _standard(self):
        return selectors.standard_get(self.request.user, self.kwargs["pk"])

    def _answer(self, standard, code=status.HTTP_200_OK):
        fresh = selectors.standard_get(self.request.user, standard.pk)
        return Response(StandardDetailSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    def partial_update(self, request, pk=None):
        standard = self._standard()
        services.require_draft(request.user, standard)
        body = StandardUpdateSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        services.standard_update(actor=request.user, standard=standard, request=request, **body.validated_data)
        return self._answer(standard)

    @extend_schema(summary="Make a new draft version from this one", request=StandardCopySerializer,
                   responses={201: StandardDetailSerializer})
    @action(detail=True, methods=["post"])
    def copy(self, request, pk=None):
        source = self._standard()
        if not services.can_edit_standard(request.user):
            raise Forbidden(_("Only regulator administrators can make new versions."))
        body = StandardCopySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        draft = services.standard_copy(actor=request.user, source=source, request=request, **body.validated_data)
        return self._answer(draft, status.HTTP_201_CREATED)

    @extend_schema(summary="Publish a draft from a date", request=StandardPublishSerializer,
                   responses={200: StandardDetailSerializer, **error_responses(409)})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        standard = self._standard()
        services.require_draft(request.user, standard)
        body = StandardPublishSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.standard_publish(actor=request.user, standard=standard, request=request,
                                  effective_from=body.validated_data["effective_from"])
        return self._answer(standard)


@extend_schema_view(
    list=extend_schema(summary="Items of a standard version"),
    create=extend_schema(summary="Add an item to a draft", request=StandardItemWriteSerializer,
                         responses={201: StandardItemSerializer, **error_responses(409)}),
    partial_update=extend_schema(summary="Change an item of a draft", request=StandardItemWriteSerializer,
                                 responses={200: StandardItemSerializer, **error_responses(409)}),
    destroy=extend_schema(summary="Remove an item from a draft", responses={204: None, **error_responses(409)}),
)
class StandardItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """`/api/v1/standards/{id}/items/`: read by everyone who sees the version, written only while a draft."""

    serializer_class = StandardItemSerializer
    filterset_class = StandardItemFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def standard(self):
        if not hasattr(self, "_standard"):
            self._standard = selectors.standard_get(self.request.user, self.kwargs["standard_pk"])
        return self._standard

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return StandardItem.objects.none()
        return selectors.standard_items(self.standard())

    def get_object(self):
        return selectors.item_get(self.standard(), self.kwargs["pk"])

    def _write(self, request, *, item=None, partial=False):
        standard = self.standard()
        services.require_draft(request.user, standard)
        body = StandardItemWriteSerializer(data=request.data, partial=partial)
        body.is_valid(raise_exception=True)
        return services.item_save(actor=request.user, standard=standard, item=item, request=request,
                                  **body.validated_data)

    def create(self, request, standard_pk=None):
        item = self._write(request)
        return Response(StandardItemSerializer(item).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, standard_pk=None, pk=None):
        item = self._write(request, item=self.get_object(), partial=True)
        return Response(StandardItemSerializer(item).data)

    def destroy(self, request, standard_pk=None, pk=None):
        item = self.get_object()
        services.item_delete(actor=request.user, standard=self.standard(), item=item, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(
    summary="Items a hazard found on a given day may refer to",
    parameters=[ItemsInForceQuerySerializer,
                OpenApiParameter("q", str, description="Code, text, category or legal source"),
                OpenApiParameter("level", str, enum=["major", "general"])],
)
class ItemsInForceView(generics.ListAPIView):
    """`/api/v1/standards/items-in-force/?found_on=YYYY-MM-DD`: items of the versions in force that day (Beijing
    date, default today) — before 2024-12-13 the 2022 determination standard, from then the 2024 one."""

    serializer_class = ItemInForceSerializer
    filterset_class = StandardItemFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return StandardItem.objects.none()
        params = ItemsInForceQuerySerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        found_on = params.validated_data.get("found_on") or beijing_today()
        region = params.validated_data.get("region")
        kind = params.validated_data.get("kind")
        kinds = (kind,) if kind else selectors.HAZARD_KINDS
        return selectors.items_in_force(self.request.user, found_on, kinds=kinds,
                                        region=int(region) if region else None)
