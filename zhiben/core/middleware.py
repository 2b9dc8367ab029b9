"""Request-level guards that must run before any view or middleware reads the body."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _


class PublicBodyLimitMiddleware:
    """The public, login-free endpoints (the report portal and its API) refuse a body larger than
    PUBLIC_BODY_MAX_BYTES with 413 before it is read: nobody can fill the server's disk with temporary upload
    files through them. nginx limits the same paths in production (docs/reports.md)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(tuple(settings.PUBLIC_BODY_LIMITED_PATHS)):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > settings.PUBLIC_BODY_MAX_BYTES:
                message = _("The report is larger than %(mb)d MB in all.") % {
                    "mb": settings.PUBLIC_BODY_MAX_BYTES // (1024 * 1024)}
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": message, "errors": {"photos": [message]}}, status=413)
                return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
