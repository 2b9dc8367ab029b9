"""Framework overhead of an authenticated API read, in one process (issue 7, item 7).

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhiben_bench     # or leave unset: embedded SQLite
    .venv/bin/python bench/bench_overhead.py [--seconds 5] [--rounds 3] [--profile api|plain] [--profile-out FILE]

Compares, through the project's WSGI application (the whole middleware stack of config/settings.py):

- **api**: `GET /api/v1/regions/141122/` with `Authorization: Token …` (DRF: token authentication, permissions,
  throttling, content negotiation, the scoped selector, the serializer, the exception handler);
- **plain**: a plain Django function view doing the same two lookups by hand (token → active user with select_related,
  region by code within the caller's scope) and answering the same JSON with `JsonResponse`, through the same
  middleware;
- **bare**: the same plain view through a handler built with no middleware at all (the floor).

Each is called in a tight loop of `handler(environ, start_response)` for `--seconds`, alternating, `--rounds` times;
the best round of each is kept (the machine is shared). Prints requests/s of each and the ratio api/plain.
`--profile api` runs the api loop under pyinstrument (a bench-only tool: `pip install pyinstrument`) or cProfile.
A bench user `bench_overhead` (county inspector of 141122) and its token are created if missing.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

REGION = 141122


def _environ(path: str, token: str) -> dict:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8161",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_ACCEPT": "application/json",
        "HTTP_AUTHORIZATION": f"Token {token}",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }


def plain_region(request, code: str):
    """The baseline: the same checks as the API (valid token of an active user, region in scope) by hand."""
    from django.http import JsonResponse
    from rest_framework.authtoken.models import Token

    from zhiben.core.scoping import scope_of
    from zhiben.registry.models import Region

    header = request.META.get("HTTP_AUTHORIZATION", "").split()
    if len(header) != 2 or header[0] != "Token":
        return JsonResponse({"detail": "unauthenticated"}, status=401)
    try:
        user = Token.objects.select_related("user").get(key=header[1]).user
    except Token.DoesNotExist:
        return JsonResponse({"detail": "unauthenticated"}, status=401)
    if not user.is_active:
        return JsonResponse({"detail": "unauthenticated"}, status=401)
    scope = scope_of(user)
    regions = Region.objects.all()
    if scope.kind == "region":
        lo, hi = scope.region_bounds
        regions = regions.filter(code__gte=lo, code__lte=hi)
    try:
        region = regions.get(code=int(code))
    except Region.DoesNotExist:
        return JsonResponse({"detail": "not found"}, status=404)
    return JsonResponse({
        "code": f"{region.code:06d}", "name": region.name, "level": region.level,
        "parent": None if region.parent_id is None else f"{region.parent_id:06d}",
    })


def _bench_urlconf():
    """config.urls plus the baseline view, as a module Django can import by name."""
    import types

    from django.urls import path

    import config.urls

    module = types.ModuleType("bench_overhead_urls")
    module.urlpatterns = [path("bench/plain/regions/<str:code>/", plain_region), *config.urls.urlpatterns]
    sys.modules[module.__name__] = module
    return module.__name__


def _fixtures() -> str:
    from rest_framework.authtoken.models import Token

    from zhiben.accounts.models import User
    from zhiben.registry.models import Region

    if not Region.objects.filter(pk=REGION).exists():
        raise SystemExit(f"region {REGION} missing: run `manage.py migrate` (the migration loads the divisions)")
    user, _ = User.objects.get_or_create(username="bench_overhead", defaults={"role": "inspector"})
    user.role, user.region_id, user.is_active = "inspector", REGION, True
    user.save()
    token, _ = Token.objects.get_or_create(user=user)
    return token.key


def _loop(handler, environ: dict, seconds: float) -> tuple[int, float, float]:
    """Requests answered in about `seconds`, with the wall-clock and the CPU seconds of this process spent."""
    statuses = []

    def start_response(status, headers, exc_info=None):
        statuses.append(status)

    n = 0
    cpu = time.process_time()
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        env = dict(environ)
        env["wsgi.input"] = io.BytesIO(b"")
        response = handler(env, start_response)
        body = b"".join(response)
        response.close()
        n += 1
        if n % 50 == 0 and time.perf_counter() >= deadline:
            break
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu
    if not statuses[-1].startswith("200"):
        raise SystemExit(f"{environ['PATH_INFO']} answered {statuses[-1]}: {body[:300]!r}")
    return n, elapsed, cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", choices=["api", "plain", "bare"], default=None)
    parser.add_argument("--profile-out", default=None, help="write the pyinstrument HTML (or cProfile stats) here")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.wsgi import get_wsgi_application
    from django.db import connection

    settings.ROOT_URLCONF = _bench_urlconf()
    token = _fixtures()
    handler = get_wsgi_application()
    middleware = settings.MIDDLEWARE
    settings.MIDDLEWARE = []
    bare_handler = WSGIHandler()  # the middleware chain is built when the handler is created
    settings.MIDDLEWARE = middleware
    cases = {
        "api": (handler, _environ(f"/api/v1/regions/{REGION}/", token)),
        "plain": (handler, _environ(f"/bench/plain/regions/{REGION}/", token)),
        "bare": (bare_handler, _environ(f"/bench/plain/regions/{REGION}/", token)),
    }
    for case_handler, environ in cases.values():  # warm up (URL resolver, translations, connection)
        _loop(case_handler, environ, 0.5)
    print(f"database: {connection.vendor}; middleware: {len(settings.MIDDLEWARE)} classes; "
          f"{args.rounds} rounds of {args.seconds:.0f} s each, best kept")

    if args.profile:
        _profile(*cases[args.profile], args.seconds, args.profile_out)
        return

    wall = dict.fromkeys(cases, 0.0)
    cpu = dict.fromkeys(cases, 0.0)
    for _ in range(args.rounds):
        for name, (case_handler, environ) in cases.items():
            n, elapsed, cpu_seconds = _loop(case_handler, environ, args.seconds)
            wall[name] = max(wall[name], n / elapsed)
            cpu[name] = max(cpu[name], n / cpu_seconds)
    for name in cases:
        print(f"{name:<6} {wall[name]:8.0f} requests/s ({1000 / wall[name]:6.2f} ms each)   "
              f"{cpu[name]:8.0f} requests per CPU-second of this process ({1000 / cpu[name]:5.2f} ms)")
    print(f"ratio api/plain: {wall['api'] / wall['plain']:.2f} wall-clock, {cpu['api'] / cpu['plain']:.2f} CPU")
    print(f"ratio api/bare:  {wall['api'] / wall['bare']:.2f} wall-clock, {cpu['api'] / cpu['bare']:.2f} CPU")


def _profile(handler, environ: dict, seconds: float, out: str | None) -> None:
    try:
        from pyinstrument import Profiler
    except ImportError:
        Profiler = None
    if Profiler is not None:
        profiler = Profiler(interval=0.0002)
        profiler.start()
        n, elapsed, _ = _loop(handler, environ, seconds)
        profiler.stop()
        print(f"{n / elapsed:.0f} requests/s under the profiler")
        if out:
            Path(out).write_text(profiler.output_html())
        print(profiler.output_text(unicode=True, color=False, show_all=True))
        return
    import cProfile
    import pstats

    profile = cProfile.Profile()
    profile.enable()
    _loop(handler, environ, seconds)
    profile.disable()
    if out:
        profile.dump_stats(out)
    pstats.Stats(profile).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
