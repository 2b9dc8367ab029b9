"""Serve the platform (embedded default): gunicorn for the web, this process for the periodic jobs."""

import os
import signal
import subprocess
import sys
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from config.scheduler import run_forever


class Command(BaseCommand):
    help = "Serve zhiben at http://HOST:PORT with gunicorn and run the periodic jobs in this process."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))

    def handle(self, *args, host, port, workers, **options):
        server = subprocess.Popen(  # noqa: S603  (fixed argv, no shell)
            [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"{host}:{port}",
             "--workers", str(workers), "--threads", "4", "--timeout", "120", "--graceful-timeout", "10"],
        )
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        self.stdout.write(self.style.SUCCESS(f"zhiben 治本 已启动: http://{host}:{port}/  (Ctrl-C 停止)"))
        scheduler = None
        if not settings.REDIS_URL:
            scheduler = threading.Thread(target=run_forever, args=(stop,), daemon=True, name="scheduler")
            scheduler.start()
        try:
            while not stop.is_set() and server.poll() is None:
                stop.wait(1)
        finally:
            stop.set()
            if server.poll() is None:
                server.terminate()
                server.wait(timeout=15)
        sys.exit(server.returncode or 0)
