"""Users API: the token endpoint and user administration (API.md, General and Users)."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView

from zhiben.accounts import services
from zhiben.accounts.api.serializers import TokenRequestSerializer, TokenSerializer, UserSerializer
from zhiben.accounts.selectors import users_visible_to
from zhiben.core.api import RevealAuditMixin
from zhiben.core.audit import audit


class ObtainToken(APIView):
    """`POST /api/v1/auth/token/` → `{"token"}`.

    Goes through `authenticate()` with the request, so django-axes counts every failure and, once the account
    is locked (5 failures), refuses even the right password until the cool-off ends or an admin unlocks it.
    """

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description="Wrong username or password."),
            403: OpenApiResponse(description="The account is locked after repeated failures."),
        },
        auth=[],
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        django_request = request._request
        user = authenticate(django_request, **serializer.validated_data)
        if getattr(django_request, "axes_locked_out", False):
            # Answer in JSON ourselves; left set, AxesMiddleware would swap in the HTML lockout page.
            django_request.axes_locked_out = False
            return Response(
                {"detail": _("This account is locked after too many failed logins. Try again later or ask "
                             "an administrator to unlock it.")},
                status=status.HTTP_403_FORBIDDEN,
            )
        if user is None or not user.is_active:
            message = _("Wrong username or password.")
            return Response({"detail": message, "errors": {"non_field_errors": [message]}},
                            status=status.HTTP_400_BAD_REQUEST)
        # A token request is a login: axes resets the failure count, last_login and the audit log record it.
        user_logged_in.send(sender=user.__class__, request=django_request, user=user)
        token, _created = Token.objects.get_or_create(user=user)
        audit("token.issued", actor=user, request=request)
        return Response({"token": token.key})


class IsUserManager(permissions.BasePermission):
    """Regulator admins (inside their region) and platform administrators."""

    def has_permission(self, request, view):
        return services.can_manage_users(request.user)


@extend_schema_view(
    list=extend_schema(summary="Users of the caller's region"),
    create=extend_schema(summary="Create a user inside the caller's region"),
    retrieve=extend_schema(summary="One user"),
    partial_update=extend_schema(summary="Change a user's role, scope, name, active flag or password"),
)
class UserViewSet(RevealAuditMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin,
                  mixins.UpdateModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Users of the caller's region and everything under it (regulator admins); platform administrators see
    every user. Others get 403. Phones are masked unless the caller may see protected identifiers."""

    serializer_class = UserSerializer
    permission_classes = [permissions.IsAuthenticated, IsUserManager]
    filterset_fields = ["role", "is_active"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    reveal_permission = "registry.view_sensitive_person"
    reveal_event = "user.revealed"

    def get_queryset(self):
        return users_visible_to(self.request.user).order_by("id")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.user_create(
            actor=self.request.user, username=data["username"], password=data["password"], role=data["role"],
            region=data.get("region"), enterprise=data.get("enterprise"), project=data.get("project"),
            display_name=data.get("display_name", ""), phone=data.get("phone", ""),
            is_active=data.get("is_active", True), request=self.request,
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        password = data.pop("password", "")
        serializer.instance = services.user_update(
            actor=self.request.user, user=serializer.instance, password=password, request=self.request, **data
        )
