"""Framework pages: the role home page, a health check and the not-found answer. Domain widgets come from
`home_widgets`."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults


def _widgets(request) -> list[dict]:
    """Each installed domain app may offer `<app>.web.home.widgets(request)`; core imports none by name."""
    widgets: list[dict] = []
    for app in settings.INSTALLED_APPS:
        if not app.startswith("zhiben.") or app == "zhiben.core":
            continue
        try:
            module = import_module(f"{app}.web.home")
        except ModuleNotFoundError:
            continue
        widgets.extend(module.widgets(request))
    return sorted(widgets, key=lambda w: w.get("order", 100))


@login_required
def home(request):
    return render(request, "core/home.html", {"widgets": _widgets(request)})


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def not_found(request, exception=None):
    """handler404: a URL that matches no route. Under /api/ the answer is the API's JSON error body, as for
    every other 404 there (an id of the wrong shape in the path, e.g. /api/v1/standards/x/items/); elsewhere
    the page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)
