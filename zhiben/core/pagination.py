"""Page-number pagination of API.md: ``?page=N&page_size=M`` with M up to 500.

Large ledgers: counting every matching row of a 10^6-row table on each request costs more than the page itself.
`CappedCountPaginator` counts exactly up to COUNT_CAP rows (a LIMITed subquery, cheap on an index) and beyond
that uses the planner's estimate on PostgreSQL; the response then says ``"count_is_estimate": true``.
"""

from __future__ import annotations

import re
from functools import cached_property

from django.core.paginator import Paginator
from django.db import connections
from rest_framework.pagination import PageNumberPagination

COUNT_CAP = 10_000
_ROWS = re.compile(r"rows=(\d+)")


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
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 500


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


