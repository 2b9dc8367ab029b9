"""One FilterSet per registry list, used by the API and the pages alike."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhiben.core import search
from zhiben.core.scoping import range_q, region_range
from zhiben.registry.models import (
    Certificate,
    CertificateKind,
    Employment,
    Enterprise,
    Person,
    Project,
    ProjectStage,
    ProjectStatus,
    Region,
    StandardizationLevel,
)


class RegionCodeFilter(filters.NumberFilter):
    """`region=<code>` matches the region and all its sub-regions."""

    def __init__(self, *args, field_name: str = "region_id", **kwargs):
        kwargs.setdefault("label", _("region code"))
        # A division code has six digits; the bounds also keep absurd numbers away from the database driver.
        kwargs.setdefault("min_value", 100000)
        kwargs.setdefault("max_value", 999999)
        kwargs.setdefault("decimal_places", 0)
        super().__init__(*args, field_name=field_name, **kwargs)

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        return qs.filter(range_q(self.field_name, *region_range(int(value))))


class IdFilter(filters.NumberFilter):
    """`<field>=<id>`: a positive whole number that fits a 64-bit key, anything else is a 400 on the field."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        kwargs.setdefault("decimal_places", 0)
        super().__init__(*args, **kwargs)


class RegionFilter(filters.FilterSet):
    parent = filters.NumberFilter(label=_("parent region code"), field_name="parent_id", min_value=100000,
                                  max_value=999999, decimal_places=0)
    level = filters.ChoiceFilter(label=_("level"), choices=Region.Level.choices)
    q = filters.CharFilter(label=_("search"), method="search")

    class Meta:
        model = Region
        fields = ["parent", "level", "q"]

    def search(self, qs, name, value):
        return qs.filter(search.substring_q(value, "name")) if search.clean_query(value) else qs


class EnterpriseFilter(filters.FilterSet):
    q = filters.CharFilter(label=_("search"), method="search")
    region = RegionCodeFilter()
    standardization_level = filters.ChoiceFilter(label=_("standardization level"),
                                                 choices=StandardizationLevel.choices)
    licence = filters.ChoiceFilter(
        label=_("safety licence"), method="filter_licence",
        choices=[("valid", _("Valid")), ("expiring", _("Expiring within 30 days")), ("expired", _("Expired"))],
    )

    class Meta:
        model = Enterprise
        fields = ["q", "region", "standardization_level", "licence"]

    def search(self, qs, name, value):
        # Registry lists are small (thousands of rows): the shared search without a document (core/search.py).
        if not search.clean_query(value):
            return qs
        return qs.filter(search.substring_q(value, "name", "uscc", "safety_licence_no"))

    def filter_licence(self, qs, name, value):
        import datetime as dt

        from zhiben.core.timeutils import beijing_today
        from zhiben.registry.models import EXPIRY_WARNING_DAYS

        today = beijing_today()
        horizon = today + dt.timedelta(days=EXPIRY_WARNING_DAYS)
        if value == "expired":
            return qs.filter(safety_licence_expires__lt=today)
        if value == "expiring":
            return qs.filter(safety_licence_expires__gte=today, safety_licence_expires__lte=horizon)
        return qs.filter(safety_licence_expires__gt=horizon)


class ProjectFilter(filters.FilterSet):
    q = filters.CharFilter(label=_("search"), method="search")
    region = RegionCodeFilter()
    contractor = IdFilter(label=_("contractor"), field_name="contractor_id")
    status = filters.ChoiceFilter(label=_("status"), choices=ProjectStatus.choices)
    stage = filters.ChoiceFilter(label=_("stage"), choices=ProjectStage.choices)

    class Meta:
        model = Project
        fields = ["q", "region", "contractor", "status", "stage"]

    def search(self, qs, name, value):
        if not search.clean_query(value):
            return qs
        return qs.filter(search.substring_q(value, "name", "address", "permit_no"))


class PersonFilter(filters.FilterSet):
    q = filters.CharFilter(label=_("search"), method="search",
                           help_text=_("Name, phone, or the full resident ID number"))
    enterprise = IdFilter(label=_("enterprise"), method="filter_enterprise")
    project = IdFilter(label=_("project"), method="filter_project")
    employment_kind = filters.ChoiceFilter(label=_("employment type"), choices=Employment.Kind.choices,
                                           method="filter_kind")

    class Meta:
        model = Person
        fields = ["q", "enterprise", "project", "employment_kind"]

    def search(self, qs, name, value):
        value = search.clean_query(value)
        if not value:
            return qs
        # A resident ID is searched only whole: a partial match would let masked digits be guessed.
        return qs.filter(search.substring_q(value, "name") | Q(id_number=value.upper()) | Q(phone=value))

    def filter_enterprise(self, qs, name, value):
        return qs.filter(pk__in=Employment.objects.filter(enterprise_id=value).values("person_id"))

    def filter_project(self, qs, name, value):
        return qs.filter(pk__in=Employment.objects.filter(project_id=value).values("person_id"))

    def filter_kind(self, qs, name, value):
        return qs.filter(pk__in=Employment.objects.filter(kind=value).values("person_id"))


class CertificateFilter(filters.FilterSet):
    q = filters.CharFilter(label=_("search"), method="search")
    person = IdFilter(label=_("person"), field_name="person_id")
    kind = filters.ChoiceFilter(label=_("kind"), choices=CertificateKind.choices)
    status = filters.ChoiceFilter(
        label=_("status"), method="filter_status",
        choices=[("valid", _("Valid")), ("expiring", _("Expiring within 30 days")), ("expired", _("Expired")),
                 ("revoked", _("Revoked"))],
    )
    expires_before = filters.DateFilter(label=_("expires on or before"), field_name="expires", lookup_expr="lte")

    class Meta:
        model = Certificate
        fields = ["q", "person", "kind", "status", "expires_before"]

    def search(self, qs, name, value):
        if not search.clean_query(value):
            return qs
        return qs.filter(search.substring_q(value, "number", "person__name"))

    def filter_status(self, qs, name, value):
        return qs.with_status(value)
