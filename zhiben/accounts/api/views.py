from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView

from zhiben.accounts import services
from zhiben.accounts.api.serializers import TokenRequestSerializer, TokenSerializer, UserSerializer
from zhiben.accounts.selectors import users_visible_to
from zhiben.core.audit import audit


class ObtainToken(APIView):
    """`POST /api/v1/auth/token/` → `{"token"}`. Failures count towards the lockout and are audited."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer})
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(request._request, **serializer.validated_data)
        if user is None or not user.is_active:
            return Response(
                {"detail": _("Wrong username or password, or the account is locked."),
                 "errors": {"non_field_errors": [_("Wrong username or password, or the account is locked.")]}},
                status=status.HTTP_400_BAD_REQUEST,
            )
        token, _created = Token.objects.get_or_create(user=user)
        audit("token.issued", actor=user, request=request)
        return Response({"token": token.key})


class IsUserManager(permissions.BasePermission):
    def has_permission(self, request, view):
        return services.can_manage_users(request.user)


class UserViewSet(mixins.CreateModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin,
                  mixins.ListModelMixin, viewsets.GenericViewSet):
    """Users of the caller's region (regulator admins; platform administrators see all)."""

    serializer_class = UserSerializer
    permission_classes = [permissions.IsAuthenticated, IsUserManager]
    filterset_fields = ["role", "is_active"]

    def get_queryset(self):
        return users_visible_to(self.request.user).order_by("id")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.user_create(
            actor=self.request.user, username=data["username"], password=data["password"], role=data["role"],
            region=data.get("region"), enterprise=data.get("enterprise"), project=data.get("project"),
            display_name=data.get("display_name", ""), phone=data.get("phone", ""), request=self.request,
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        password = data.pop("password", "")
        serializer.instance = services.user_update(
            actor=self.request.user, user=serializer.instance, password=password, request=self.request, **data
        )
