"""Framework pages: the role home page, a health check and the not-found answer. Domain widgets and work
queues come from each app's `web/home.py`."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import cache_control


def _collect(request, name: str) -> list[dict]:
    """Each installed domain app may offer `<app>.web.home.widgets(request)` (counts) and
    `<app>.web.home.work_queue(request)` (待办 entries: label, count, url, items); core imports none by name."""
    entries: list[dict] = []
    for app in settings.INSTALLED_APPS:
        if not app.startswith("zhiben.") or app == "zhiben.core":
            continue
        try:
            module = import_module(f"{app}.web.home")
        except ModuleNotFoundError:
            continue
        provider = getattr(module, name, None)
        if provider is not None:
            entries.extend(provider(request))
    return sorted(entries, key=lambda w: w.get("order", 100))


@login_required
def home(request):
    work_queue = _collect(request, "work_queue")
    return render(request, "core/home.html", {
        "widgets": _collect(request, "widgets"),
        "work_queue": work_queue,
        "work_queue_total": sum(entry["count"] for entry in work_queue),
        "work_queue_read_only": any(entry.get("read_only") for entry in work_queue),
    })


@cache_control(max_age=86400, public=True)
def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the API's browsable pages, the admin, files):
    send them to the static icon instead of a 404 in the console. Not permanent: the static name is hashed."""
    return HttpResponseRedirect(static("img/favicon.svg"))


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
