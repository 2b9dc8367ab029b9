"""One FilterSet per standards list, used by the API and the pages alike."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhiben.standards.models import Standard, StandardItem
from zhiben.standards.selectors import in_force_q


class StandardFilter(filters.FilterSet):
    code = filters.CharFilter(label=_("code"), field_name="code")
    kind = filters.ChoiceFilter(label=_("kind"), choices=Standard.Kind.choices)
    status = filters.ChoiceFilter(label=_("status"), choices=Standard.Status.choices)
    in_force_on = filters.DateFilter(label=_("in force on"), method="filter_in_force_on",
                                     help_text=_("A date, YYYY-MM-DD: versions in force that day."))

    class Meta:
        model = Standard
        fields = ["code", "kind", "status", "in_force_on"]

    def filter_in_force_on(self, qs, name, value):
        return qs.filter(in_force_q(value))


class StandardItemFilter(filters.FilterSet):
    q = filters.CharFilter(label=_("search"), method="search", help_text=_("Code, text, category or legal source"))
    level = filters.ChoiceFilter(label=_("level"), choices=StandardItem.Level.choices)
    category = filters.CharFilter(label=_("category"), field_name="category")
    verified = filters.BooleanFilter(label=_("verified"), field_name="verified")

    class Meta:
        model = StandardItem
        fields = ["q", "level", "category", "verified"]

    def search(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        return qs.filter(
            Q(code__icontains=value) | Q(text__icontains=value) | Q(category__icontains=value)
            | Q(legal_source__icontains=value)
        )
