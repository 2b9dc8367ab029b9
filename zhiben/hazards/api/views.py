"""Hazard endpoints: the ledger, its actions and history (API.md, Hazards). Thin: parse, call the service."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from zhiben.core.pagination import LargeTablePagination
from zhiben.core.schema import error_responses
from zhiben.hazards import selectors, services
from zhiben.hazards.api import serializers as s
from zhiben.hazards.filters import HazardFilter
from zhiben.hazards.models import Hazard


def _action(name: str, serializer_class, service):
    """Build `POST /hazards/{id}/<name>/`: validate the body, call the service, answer the updated hazard."""

    def handler(self, request, pk=None):
        hazard_id = self._hazard_id(pk)
        body = serializer_class(data=request.data)
        body.is_valid(raise_exception=True)
        hazard = service(actor=request.user, hazard_id=hazard_id, request=request, **body.validated_data)
        return self._respond(hazard)

    handler.__name__ = name.replace("-", "_")
    # extend_schema goes outside @action, or the schema never sees it.
    return extend_schema(request=serializer_class, responses={200: s.HazardDetailSerializer, **error_responses(409)})(
        action(detail=True, methods=["post"], url_path=name, url_name=name)(handler)
    )


class HazardViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The hazard ledger of the caller's scope."""

    filterset_class = HazardFilter
    pagination_class = LargeTablePagination
    queryset = Hazard.objects.none()
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get_queryset(self):
        return selectors.hazard_list(self.request.user)

    def get_serializer_class(self):
        if self.action == "list":
            return s.HazardSerializer
        return s.HazardDetailSerializer

    def _hazard_id(self, pk) -> int:
        from zhiben.core.api import parse_id
        from zhiben.core.errors import NotFound

        hazard_id = parse_id(pk)
        if hazard_id is None:
            raise NotFound()
        return hazard_id

    def _respond(self, hazard, code=status.HTTP_200_OK):
        hazard = selectors.hazard_list(self.request.user).get(pk=hazard.pk)
        return Response(s.HazardDetailSerializer(hazard, context=self.get_serializer_context()).data, status=code)

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self._hazard_id(self.kwargs["pk"]))

    @extend_schema(request=s.HazardCreateSerializer, responses={201: s.HazardDetailSerializer})
    def create(self, request):
        body = s.HazardCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        hazard = services.hazard_register(
            actor=request.user, project_id=data["project"], channel=data["channel"], level=data["level"],
            description=data["description"], location=data.get("location", ""),
            standard_item_id=data.get("standard_item"), found_at=data.get("found_at"), deadline=data.get("deadline"),
            request=request,
        )
        return self._respond(hazard, status.HTTP_201_CREATED)

    @extend_schema(request=s.HazardUpdateSerializer, responses={200: s.HazardDetailSerializer, **error_responses(409)})
    def partial_update(self, request, pk=None):
        hazard_id = self._hazard_id(pk)
        body = s.HazardUpdateSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        fields = dict(body.validated_data)
        if "standard_item" in fields:
            fields["standard_item_id"] = fields.pop("standard_item")
        hazard = services.hazard_update(actor=request.user, hazard_id=hazard_id, request=request, **fields)
        return self._respond(hazard)

    submit = _action("submit", s.SubmitSerializer, services.hazard_submit)
    reject_submission = _action("reject-submission", s.ReasonSerializer, services.hazard_reject_submission)
    close = _action("close", s.NoteSerializer, services.hazard_close)
    reopen = _action("reopen", s.ReopenSerializer, services.hazard_reopen)
    void = _action("void", s.VoidSerializer, services.hazard_void)
    request_extension = _action("request-extension", s.ExtensionSerializer, services.hazard_request_extension)
    approve_extension = _action("approve-extension", s.NoteSerializer, services.hazard_approve_extension)
    deny_extension = _action("deny-extension", s.NoteSerializer, services.hazard_deny_extension)
    escalate = _action("escalate", s.EscalateSerializer, services.hazard_escalate)
    acknowledge = _action("acknowledge", s.EmptySerializer, services.hazard_acknowledge)

    @extend_schema(responses={200: s.EventSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def events(self, request, pk=None):
        hazard = self.get_object()
        page = self.paginate_queryset(hazard.events.order_by("seq"))
        return self.get_paginated_response(s.EventSerializer(page, many=True).data)

    @extend_schema(methods=["GET"], responses={200: s.AttachmentSerializer(many=True)})
    @extend_schema(methods=["POST"], request={"multipart/form-data": s.UploadSerializer},
                   responses={201: s.AttachmentSerializer, **error_responses(409, 413)})
    @action(detail=True, methods=["get", "post"])
    def attachments(self, request, pk=None):
        if request.method == "GET":
            hazard = self.get_object()
            page = self.paginate_queryset(hazard.attachments.order_by("uploaded_at", "id"))
            return self.get_paginated_response(s.AttachmentSerializer(page, many=True).data)
        hazard_id = self._hazard_id(pk)
        body = s.UploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        attachment = services.attachment_add(
            actor=request.user, hazard_id=hazard_id, upload=body.validated_data["file"], request=request
        )
        return Response(s.AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)
