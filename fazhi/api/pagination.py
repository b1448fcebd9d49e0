"""The API's pagination: `limit`/`offset` validated (a coded 400 naming the parameter) and `limit` capped.

DRF's LimitOffsetPagination silently ignores a malformed limit and passes a 40-digit offset on to the
database (an overflow, so a 500); one unbounded response once carried 37,332 rows.
"""

from __future__ import annotations

from rest_framework.pagination import LimitOffsetPagination

from fazhi.core.params import param_int

MAX_PAGE_SIZE = 500


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    max_limit = MAX_PAGE_SIZE

    def get_limit(self, request):
        return param_int(request.query_params, self.limit_query_param, default=self.default_limit,
                         minimum=1, maximum=self.max_limit)

    def get_offset(self, request):
        return param_int(request.query_params, self.offset_query_param, default=0)
