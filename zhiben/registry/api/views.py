"""Registry API (API.md, Registry): thin viewsets over the registry selectors (reads), FilterSets (lists) and
services (writes). Everything starts from the caller's scope, so an object outside it is a 404; read-only roles
get 403 on writes before any lookup."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from zhiben.core.api import RevealAuditMixin, parse_id
from zhiben.core.scoping import scope_of
from zhiben.registry import selectors, services
from zhiben.registry.api import serializers as s
from zhiben.registry.filters import CertificateFilter, EnterpriseFilter, PersonFilter, ProjectFilter, RegionFilter
from zhiben.registry.models import DangerousWork, ProjectParticipant

SENSITIVE_PERMISSION = "registry.view_sensitive_person"


class CanWriteRegistry(permissions.BasePermission):
    """Reads for every authenticated caller (scoped by the queryset); writes only for the writer roles.
    Whether this caller may change this object is the service's decision."""

    message = _("Your role may not change the registry.")

    def has_permission(self, request, view) -> bool:
        return request.method in permissions.SAFE_METHODS or services.can_write_registry(request.user)


_ID_PATH = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)


class RegistryViewSet(mixins.CreateModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin,
                      mixins.ListModelMixin, viewsets.GenericViewSet):
    """GET list/detail, POST, PATCH. Subclasses name the selectors and services:

    - `list_queryset()`: the scoped list (the FilterSet and the paginator apply to it);
    - `detail_object(pk)`: one scoped object, raising DoesNotExist when missing or out of scope;
    - `save_new(data)` / `save_changes(obj, data)`: the registry service calls.
    """

    permission_classes = [permissions.IsAuthenticated, CanWriteRegistry]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def list_queryset(self):
        raise NotImplementedError

    def detail_object(self, pk: int):
        raise NotImplementedError

    def save_new(self, data: dict):
        raise NotImplementedError

    def save_changes(self, obj, data: dict):
        raise NotImplementedError

    @property
    def actor(self):
        return self.request.user

    def get_queryset(self):
        return self.list_queryset()

    def get_object(self):
        pk = parse_id(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field))
        if pk is None:
            raise Http404
        try:
            obj = self.detail_object(pk)
        except ObjectDoesNotExist:
            raise Http404 from None
        self.check_object_permissions(self.request, obj)
        return obj

    def _answer(self, obj, code: int) -> Response:
        """The saved object as the caller now sees it, read again through the detail selector."""
        try:
            obj = self.detail_object(obj.pk)
        except ObjectDoesNotExist:  # written, but no longer in the caller's scope (e.g. moved region)
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(self.get_serializer(obj).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        obj = self.save_new(dict(serializer.validated_data))
        return self._answer(obj, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        obj = self.save_changes(instance, dict(serializer.validated_data))
        return self._answer(obj, status.HTTP_200_OK)


# --- Regions ---------------------------------------------------------------------------------------------


_CODE_PATH = OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH, pattern=r"^\d{6}$",
                              description="6-digit division code, e.g. 141122")


@extend_schema_view(
    list=extend_schema(summary="Regions the caller may use (own region and below; every region for others)"),
    retrieve=extend_schema(summary="One region by division code", parameters=[_CODE_PATH]),
)
class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """Administrative divisions, read only. Filter with `parent=<code>` and `level=province|city|county`."""

    serializer_class = s.RegionSerializer
    filterset_class = RegionFilter
    lookup_field = "code"

    def get_queryset(self):
        return selectors.regions_visible_to(self.request.user)

    def get_object(self):
        raw = str(self.kwargs.get("code", ""))
        if not (len(raw) == 6 and raw.isascii() and raw.isdigit()):
            raise Http404
        try:
            return self.get_queryset().get(code=int(raw))
        except ObjectDoesNotExist:
            raise Http404 from None


# --- Enterprises -----------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Enterprises in the caller's scope"),
    create=extend_schema(summary="Register an enterprise (regulators)"),
    retrieve=extend_schema(summary="One enterprise", parameters=[_ID_PATH]),
    partial_update=extend_schema(summary="Change an enterprise (regulators; an enterprise user its own)",
                                 parameters=[_ID_PATH]),
)
class EnterpriseViewSet(RegistryViewSet):
    serializer_class = s.EnterpriseSerializer
    filterset_class = EnterpriseFilter

    def list_queryset(self):
        return selectors.enterprise_list(self.actor).prefetch_related("qualifications")

    def detail_object(self, pk):
        return selectors.enterprise_detail(self.actor, pk)

    def save_new(self, data):
        return services.enterprise_save(actor=self.actor, request=self.request, **data)

    def save_changes(self, obj, data):
        # The service keeps an enterprise user's enterprise where it is; say so rather than ignore the field.
        if "region" in data and data["region"].pk != obj.region_id and scope_of(self.actor).kind == "enterprise":
            raise ValidationError({"region": [_("Only regulators can move an enterprise to another region.")]})
        return services.enterprise_save(actor=self.actor, enterprise=obj, request=self.request, **data)


# --- Projects --------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Projects in the caller's scope"),
    create=extend_schema(summary="Register a project (regulators; enterprise users as its contractor)"),
    retrieve=extend_schema(summary="One project with participants and dangerous works", parameters=[_ID_PATH]),
    partial_update=extend_schema(summary="Change a project", parameters=[_ID_PATH]),
)
class ProjectViewSet(RegistryViewSet):
    serializer_class = s.ProjectSerializer
    filterset_class = ProjectFilter

    def list_queryset(self):
        # The same related rows as selectors.project_detail, fetched once per page.
        return selectors.project_list(self.actor).prefetch_related(
            Prefetch("participants", queryset=ProjectParticipant.objects.select_related("enterprise")),
            Prefetch("dangerous_works", queryset=DangerousWork.objects.order_by("id")),
        )

    def detail_object(self, pk):
        return selectors.project_detail(self.actor, pk)

    def save_new(self, data):
        return services.project_save(actor=self.actor, request=self.request, **data)

    def save_changes(self, obj, data):
        return services.project_save(actor=self.actor, project=obj, request=self.request, **data)


# --- Persons ---------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Persons in the caller's scope (identifiers masked)"),
    create=extend_schema(summary="Register a person by resident ID number"),
    retrieve=extend_schema(summary="One person with employments and certificates", parameters=[_ID_PATH]),
    partial_update=extend_schema(summary="Change a person", parameters=[_ID_PATH]),
)
class PersonViewSet(RevealAuditMixin, RegistryViewSet):
    """Resident ID numbers and phones are masked unless the caller holds registry.view_sensitive_person;
    every response that shows them unmasked is audited (``person.revealed``)."""

    filterset_class = PersonFilter
    reveal_permission = SENSITIVE_PERMISSION
    reveal_event = "person.revealed"

    def get_serializer_class(self):
        return s.PersonSerializer if self.action == "list" else s.PersonDetailSerializer

    def list_queryset(self):
        return selectors.person_list(self.actor)

    def detail_object(self, pk):
        return selectors.person_detail(self.actor, pk)

    def save_new(self, data):
        return services.person_register(
            actor=self.actor, name=data["name"], id_number=data["id_number"], region=data.get("region"),
            phone=data.get("phone", ""), employment_kind=data.get("employment_kind", "staff"),
            position=data.get("position", ""), request=self.request,
        )

    def save_changes(self, obj, data):
        data.pop("employment_kind", None)  # employment is recorded when a person is registered
        data.pop("position", None)
        return services.person_update(actor=self.actor, person=obj, request=self.request, **data)


# --- Certificates ----------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Certificates of the persons in the caller's scope"),
    create=extend_schema(summary="Record a certificate"),
    retrieve=extend_schema(summary="One certificate", parameters=[_ID_PATH]),
    partial_update=extend_schema(summary="Change a certificate", parameters=[_ID_PATH]),
)
class CertificateViewSet(RegistryViewSet):
    serializer_class = s.CertificateSerializer
    filterset_class = CertificateFilter

    def list_queryset(self):
        return selectors.certificate_list(self.actor)

    def detail_object(self, pk):
        return selectors.certificate_list(self.actor).get(pk=pk)

    def save_new(self, data):
        return services.certificate_save(actor=self.actor, request=self.request, **data)

    def save_changes(self, obj, data):
        return services.certificate_save(actor=self.actor, certificate=obj, request=self.request, **data)
