"""Campaign dashboard API (API.md, Campaign dashboard) and the further figures behind the pages."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from zhiben.core.schema import error_responses
from zhiben.dashboard import selectors
from zhiben.dashboard.params import parse_query, parse_year

PARAMS = [
    OpenApiParameter("region", OpenApiTypes.STR, description="6-digit division code (default: your region)"),
    OpenApiParameter("as_of", OpenApiTypes.DATE, description="end of this Beijing day (default: today)"),
]

_COUNTS = inline_serializer("CampaignCounts", {"total": serializers.IntegerField(),
                                               "closed": serializers.IntegerField(),
                                               "open": serializers.IntegerField()})


class CampaignView(APIView):
    """Major hazards only: stock, increment, open, overdue and escalated, as they were at the end of `as_of`.
    A region, enterprise or project the caller may not see is a 404, never an empty dashboard."""

    @extend_schema(parameters=PARAMS, responses={200: inline_serializer("Campaign", {
        "region": serializers.CharField(allow_null=True), "as_of": serializers.DateField(), "stock": _COUNTS,
        "increment": inline_serializer("CampaignIncrement", {
            "total": serializers.IntegerField(), "closed": serializers.IntegerField(),
            "open": serializers.IntegerField(), "by_year": serializers.DictField(child=serializers.IntegerField()),
        }),
        "open_major": serializers.IntegerField(), "overdue_major": serializers.IntegerField(),
        "escalated_major": serializers.IntegerField(),
    }), **error_responses(404)})
    def get(self, request):
        return Response(selectors.campaign(parse_query(request.user, request.query_params)))


class FiguresView(APIView):
    """Targets, monthly series, on-time rate, time to close, channel mix, escalations and rankings."""

    @extend_schema(parameters=[*PARAMS, OpenApiParameter("year", OpenApiTypes.INT),
                               OpenApiParameter("enterprise", OpenApiTypes.INT),
                               OpenApiParameter("project", OpenApiTypes.INT)],
                   responses={200: OpenApiTypes.OBJECT, **error_responses(404)})
    def get(self, request):
        q = parse_query(request.user, request.query_params)
        year = parse_year(request.query_params, q.as_of.year)
        return Response({
            "campaign": selectors.campaign(q),
            "targets": selectors.targets(q),
            "monthly": selectors.monthly(q, year),
            "on_time": selectors.on_time(q, year),
            "time_to_close": selectors.time_to_close(q, year),
            "channels": selectors.channel_mix(q, year),
            "escalations": selectors.escalations(q),
            "rankings": {"enterprises": selectors.rankings(q, by="enterprise"),
                         "projects": selectors.rankings(q, by="project")},
            "year": year,
        })
