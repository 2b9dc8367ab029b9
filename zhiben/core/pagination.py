"""Page-number pagination of API.md: ``?page=N&page_size=M`` with M up to 500; anything else is a 400 on the
parameter (docs/api.md, Pagination).

Large ledgers: counting every matching row of a 10^6-row table on each request costs more than the page itself.
`CappedCountPaginator` counts exactly up to COUNT_CAP rows (a LIMITed subquery, cheap on an index) and beyond
that uses the planner's estimate on PostgreSQL; the response then says ``"count_is_estimate": true``.
"""

from __future__ import annotations

import re
from functools import cached_property

from django.core.paginator import InvalidPage, Paginator
from django.db import connections
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

COUNT_CAP = 10_000
_ROWS = re.compile(r"rows=(\d+)")
_DIGITS = re.compile(r"\d+", re.ASCII)
_BEYOND = 10**18  # stands for any longer digit string: past every page and above every page size


class CappedCountPaginator(Paginator):
    is_estimate = False

    @cached_property
    def count(self) -> int:
        qs = self.object_list
        capped = qs.order_by()[: COUNT_CAP + 1].count()
        if capped <= COUNT_CAP:
            return capped
        estimate = self._estimate(qs)
        if estimate is None:
            return qs.count()
        self.is_estimate = True
        return max(estimate, COUNT_CAP + 1)

    @staticmethod
    def _estimate(qs) -> int | None:
        connection = connections[qs.db]
        if connection.vendor != "postgresql":
            return None
        sql, params = qs.order_by().values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + sql, params)
            first = cursor.fetchone()[0]
        match = _ROWS.search(first)
        return int(match.group(1)) if match else None


class Pagination(PageNumberPagination):
    """API.md's pagination. Bad input is a 400 naming the parameter, never a 404 or a silent fix: `page` is a
    whole number from 1 to the last page (page 1 of an empty list exists), `page_size` one from 1 to 500."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        paginator = self.django_paginator_class(queryset, self.get_page_size(request))
        number = self.get_page_number(request, paginator)
        try:
            self.page = paginator.page(number)
        except InvalidPage:  # well formed, but past the last page
            raise ValidationError({self.page_query_param: [
                _("This page is past the last one (%(pages)d pages).") % {"pages": paginator.num_pages}
            ]}) from None
        self.display_page_controls = paginator.num_pages > 1
        return list(self.page)

    def get_page_size(self, request) -> int:
        return self._whole_number(request, self.page_size_query_param, self.page_size, self.max_page_size)

    def get_page_number(self, request, paginator) -> int:
        return self._whole_number(request, self.page_query_param, 1, None)

    @staticmethod
    def _whole_number(request, name: str, default: int, maximum: int | None) -> int:
        raw = request.query_params.get(name, "").strip()
        if not raw:
            return default
        number = 0
        if _DIGITS.fullmatch(raw):
            number = int(raw) if len(raw) <= 18 else _BEYOND
        if 1 <= number <= (maximum or number):
            return number
        if maximum is None:
            message = _("Enter a whole number of at least 1.")
        else:
            message = _("Enter a whole number from 1 to %(max)d.") % {"max": maximum}
        raise ValidationError({name: [message]})

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(maximum=self.max_page_size, default=self.page_size)
        return parameters


class LargeTablePagination(Pagination):
    """For ledgers that reach millions of rows (hazards, events, readings)."""

    django_paginator_class = CappedCountPaginator

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        if getattr(self.page.paginator, "is_estimate", False):
            response.data["count_is_estimate"] = True
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count_is_estimate"] = {"type": "boolean", "description": "count is the planner's "
                                                     "estimate (more than 10,000 matches)"}
        return schema


