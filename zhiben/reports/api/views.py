"""Report endpoints (API.md, Public reports). Thin: parse, rate-limit, call the service, answer.

The public endpoints take no login and keep nothing about the caller beyond the rate-limit counters (no address
is stored with a report). The regulators' endpoints never answer the reporter's identity except /identity/.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.authentication import TokenAuthentication
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from zhiben.core import ratelimit
from zhiben.core.api import parse_id
from zhiben.core.errors import Forbidden, NotFound
from zhiben.core.schema import error_responses
from zhiben.reports import services
from zhiben.reports.api import serializers as s
from zhiben.reports.models import Reward

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _id(pk) -> int:
    value = parse_id(pk)
    if value is None:
        raise NotFound()
    return value


def _fields_without_files(request) -> dict:
    """The submitted fields, never the uploads (a copy of request.data would try to copy their temporary files):
    form fields for form and multipart bodies, the object of a JSON body; anything else is a 400."""
    if request.content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        return {key: request.POST.get(key) for key in request.POST if key != "photos"}
    if not isinstance(request.data, dict):
        raise ValidationError({"non_field_errors": [_("Send the report as a JSON object or a form.")]})
    return {key: value for key, value in request.data.items() if key != "photos"}


def _token_only(request) -> None:
    """Reveals answer only a token-authenticated call: a session cookie would let a link in an e-mail make an
    official's browser reveal an identity (a GET carries no CSRF token)."""
    if not isinstance(request.successful_authenticator, TokenAuthentication):
        raise Forbidden(_("Reveal identities through the pages, or through the API with a token."))


@method_decorator(sensitive_post_parameters("reporter_name", "reporter_phone"), name="dispatch")
class PublicReportCreateView(APIView):
    """Submit a report without logging in; the answer holds the receipt code and the access key (shown once)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(request={"multipart/form-data": s.PublicReportCreateSerializer,
                            "application/json": s.PublicReportCreateSerializer},
                   responses={201: s.ReceiptSerializer, **error_responses(429)}, auth=[])
    def post(self, request):
        ratelimit.check(request, group="reports.submit", rate=settings.REPORT_SUBMIT_RATE)
        body = s.PublicReportCreateSerializer(data=_fields_without_files(request))
        body.is_valid(raise_exception=True)
        v = body.validated_data
        report, key = services.report_submit(
            description=v["description"], project_id=v.get("project"), project_name=v.get("project_name", ""),
            location=v.get("location", ""), region_code=v.get("region"), anonymous=v["anonymous"],
            reporter_name=v.get("reporter_name", ""), reporter_phone=v.get("reporter_phone", ""),
            internal=v["internal"], enterprise_id=v.get("enterprise"), uploads=request.FILES.getlist("photos"),
        )
        return Response({"receipt_code": report.receipt_code, "access_key": key}, status=status.HTTP_201_CREATED,
                        headers=NO_STORE)


class PublicReportTrackView(APIView):
    """Status and public outcome of one report, for its receipt code and access key (header X-Access-Key).
    A wrong key and a code that does not exist answer the same 404; repeated failures from one address, 429."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(parameters=[OpenApiParameter("X-Access-Key", OpenApiTypes.STR, OpenApiParameter.HEADER,
                                                required=True)],
                   responses={200: s.PublicReportSerializer, **error_responses(429)}, auth=[])
    def get(self, request, receipt_code: str):
        ratelimit.check(request, group="reports.track", rate=settings.REPORT_TRACK_RATE)
        ratelimit.check(request, group="reports.track-failed", rate=settings.REPORT_TRACK_FAILURE_RATE,
                        increment=False)
        report = services.report_track(receipt_code=receipt_code, access_key=request.headers.get("X-Access-Key"))
        if report is None:
            ratelimit.hit(request, group="reports.track-failed", rate=settings.REPORT_TRACK_FAILURE_RATE)
            raise NotFound()
        return Response(s.PublicReportSerializer(report).data, headers=NO_STORE)


@method_decorator(sensitive_post_parameters("name", "phone", "account"), name="dispatch")
class PublicRewardClaimView(APIView):
    """Claim an approved reward with the receipt code and key (header X-Access-Key), naming whom to pay. The
    details are sealed in the vault; the answer is the report's public status."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes = [JSONParser, FormParser]

    @extend_schema(parameters=[OpenApiParameter("X-Access-Key", OpenApiTypes.STR, OpenApiParameter.HEADER,
                                                required=True)],
                   request=s.RewardClaimSerializer,
                   responses={200: s.PublicReportSerializer, **error_responses(409, 429)}, auth=[])
    def post(self, request, receipt_code: str):
        ratelimit.check(request, group="reports.track", rate=settings.REPORT_TRACK_RATE)
        ratelimit.check(request, group="reports.track-failed", rate=settings.REPORT_TRACK_FAILURE_RATE,
                        increment=False)
        body = s.RewardClaimSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            reward = services.reward_claim(receipt_code=receipt_code, access_key=request.headers.get("X-Access-Key"),
                                           **body.validated_data)
        except NotFound:
            ratelimit.hit(request, group="reports.track-failed", rate=settings.REPORT_TRACK_FAILURE_RATE)
            raise
        return Response(s.PublicReportSerializer(reward.report).data, headers=NO_STORE)


def _action(name: str, serializer_class, call, response_serializer):
    def handler(self, request, pk=None):
        body = serializer_class(data=request.data)
        body.is_valid(raise_exception=True)
        result = call(request, _id(pk), body.validated_data)
        return Response(response_serializer(result).data)

    handler.__name__ = name.replace("-", "_")
    # extend_schema goes outside @action, or the schema never sees it.
    return extend_schema(request=serializer_class, responses={200: response_serializer, **error_responses(409)})(
        action(detail=True, methods=["post"], url_path=name, url_name=name)(handler)
    )


class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Reports of the caller's region (regulators only; everyone else sees an empty list)."""

    serializer_class = s.ReportSerializer
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get_queryset(self):
        return services.reports_visible_to(self.request.user)

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=_id(self.kwargs["pk"]))

    assign = _action("assign", s.AssignSerializer, lambda request, pk, v: services.report_assign(
        actor=request.user, report_id=pk, inspector_id=v["inspector"], request=request), s.ReportSerializer)
    verify = _action("verify", s.VerifySerializer, lambda request, pk, v: services.report_verify(
        actor=request.user, report_id=pk, outcome=v["outcome"], note=v["note"], public_text=v["public_text"],
        hazard=v.get("hazard"), hazard_id=v.get("hazard_id"), duplicate_of=v.get("duplicate_of"),
        uploads=request.FILES.getlist("photos"), request=request), s.ReportSerializer)
    close = _action("close", s.RewardDecideSerializer, lambda request, pk, v: services.report_close(
        actor=request.user, report_id=pk, request=request), s.ReportSerializer)
    reward = _action("reward", s.RewardProposeSerializer, lambda request, pk, v: services.reward_propose(
        actor=request.user, report_id=pk, basis=v["basis"], fine_amount=v.get("fine_amount"),
        accident_level=v.get("accident_level"), persons=v.get("persons"), request=request), s.RewardSerializer)

    @extend_schema(parameters=[OpenApiParameter("from", OpenApiTypes.DATE), OpenApiParameter("to", OpenApiTypes.DATE)],
                   responses={200: OpenApiTypes.OBJECT})
    @action(detail=False, methods=["get"], url_path="statistics", url_name="statistics")
    def statistics(self, request):
        """Whistleblowing figures of the caller's region for reports submitted between `from` and `to`
        (Beijing dates, inclusive; default: this year so far)."""
        from zhiben.reports.selectors import report_statistics

        body = s.StatisticsQuerySerializer(data=request.query_params)
        body.is_valid(raise_exception=True)
        return Response(report_statistics(request.user, start=body.validated_data["start"],
                                          end=body.validated_data["end"]))

    @extend_schema(parameters=[OpenApiParameter("reason", OpenApiTypes.STR, required=True)],
                   responses={200: s.IdentitySerializer})
    @action(detail=True, methods=["get"], url_path="identity", url_name="identity")
    def identity(self, request, pk=None):
        _token_only(request)
        identity = services.report_identity_reveal(actor=request.user, report_id=_id(pk),
                                                   reason=request.query_params.get("reason", ""), request=request)
        return Response(identity, headers=NO_STORE)


class RewardViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.RewardSerializer
    parser_classes = [JSONParser, FormParser]

    def get_queryset(self):
        return Reward.objects.filter(report__in=services.reports_visible_to(self.request.user))

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=_id(self.kwargs["pk"]))

    approve = _action("approve", s.RewardDecideSerializer, lambda request, pk, v: services.reward_decide(
        actor=request.user, reward_id=pk, approve=True, note=v.get("note", ""), request=request), s.RewardSerializer)
    reject = _action("reject", s.RewardDecideSerializer, lambda request, pk, v: services.reward_decide(
        actor=request.user, reward_id=pk, approve=False, note=v.get("note", ""), request=request), s.RewardSerializer)
    @extend_schema(parameters=[OpenApiParameter("reason", OpenApiTypes.STR, required=True)],
                   responses={200: s.ClaimantSerializer})
    @action(detail=True, methods=["get"], url_path="claimant", url_name="claimant")
    def claimant(self, request, pk=None):
        """Whom to pay (the reporter's claim), for a holder of the reveal permission; each look is audited."""
        _token_only(request)
        claimant = services.reward_claimant_reveal(actor=request.user, reward_id=_id(pk),
                                                   reason=request.query_params.get("reason", ""), request=request)
        return Response(claimant, headers=NO_STORE)

    pay = _action("pay", s.RewardPaySerializer, lambda request, pk, v: services.reward_pay(
        actor=request.user, reward_id=pk, paid_on=v["paid_on"], reference=v["reference"], request=request),
        s.RewardSerializer)
