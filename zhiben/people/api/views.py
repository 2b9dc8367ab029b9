"""`GET /api/v1/persons/{id}/competence/` (API.md, People and competence)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from zhiben.core.api import parse_id
from zhiben.core.schema import error_responses
from zhiben.people.competence import competence
from zhiben.people.roles import Role
from zhiben.registry import selectors

CompetenceAnswer = inline_serializer("Competence", {
    "may_work": serializers.BooleanField(),
    "reasons": serializers.ListField(child=serializers.ChoiceField(choices=[
        "banned", "suspended", "exam_failed", "certificate_missing", "certificate_expired", "induction_incomplete",
    ])),
    "messages": serializers.ListField(child=serializers.CharField()),
})


class CompetenceView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="persons_competence",
        parameters=[
            OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH),
            OpenApiParameter("project", OpenApiTypes.INT, description="A project visible to the caller"),
            OpenApiParameter("role", OpenApiTypes.STR, enum=Role.values),
            OpenApiParameter("on", OpenApiTypes.DATE, description="The day asked about (default: today, Beijing)"),
        ],
        responses={200: CompetenceAnswer, **error_responses(400, 401, 404)},
        tags=["persons"],
    )
    def get(self, request, pk):
        person_id = parse_id(pk)
        if person_id is None:
            raise Http404
        try:
            person = selectors.person_detail(request.user, person_id)
        except ObjectDoesNotExist:
            raise Http404 from None
        errors: dict[str, list[str]] = {}
        project = None
        if request.query_params.get("project"):
            project_id = parse_id(request.query_params["project"])
            project = selectors.project_list(request.user).filter(pk=project_id).first() if project_id else None
            if project is None:
                errors["project"] = [_("No such project.")]
        role = request.query_params.get("role") or None
        if role is not None and role not in Role.values:
            errors["role"] = [_("Unknown role; one of: %(roles)s.") % {"roles": ", ".join(Role.values)}]
        on = None
        if request.query_params.get("on"):
            try:
                on = dt.date.fromisoformat(request.query_params["on"])
            except ValueError:
                errors["on"] = [_("Enter a date as YYYY-MM-DD.")]
        if errors:
            raise ValidationError(errors)
        return Response(competence(person, project=project, role=role, on=on).as_dict())
