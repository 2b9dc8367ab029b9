"""`manage.py load_demo [--reset] [--size N] [--seed S]`: the 交城县 demo county, run by `make run` on every start.

Idempotent: when the demo is present it only prints the demo accounts.
"""

from __future__ import annotations

import unicodedata

from django.core.management.base import BaseCommand, CommandError
from django.db.models import ProtectedError

from zhiben.demo.builders.accounts import account_rows
from zhiben.demo.builders.registry import MIN_SIZE
from zhiben.demo.services import demo_load
from zhiben.demo.stages import DEFAULT_SEED, DEFAULT_SIZE


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    """A plain-text table aligned for a terminal, counting CJK characters as two columns."""
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip()
             for row in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Build the 交城县 demo county (registry, accounts …) unless it is present; --reset rebuilds it."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="remove the demo data and build it again")
        parser.add_argument("--size", type=int, default=DEFAULT_SIZE,
                            help=f"persons in the registry (default {DEFAULT_SIZE}, at least {MIN_SIZE})")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed of the generator")

    def handle(self, *args, reset, size, seed, **options):
        if size < MIN_SIZE:
            raise CommandError(f"--size must be at least {MIN_SIZE}")
        try:
            results = demo_load(reset=reset, size=size, seed=seed, log=self.stdout.write)
        except ProtectedError as exc:
            # Rows that no demo stage built (e.g. hazards entered by hand) still point at the demo.
            labels = ", ".join(sorted({obj._meta.label for obj in exc.protected_objects}))
            raise CommandError(f"--reset cannot remove the demo: other rows refer to it ({labels}).") from exc
        built = [r for r in results if r.built]
        if not built:
            self.stdout.write("演示数据已存在，未做改动（--reset 可重建）。")
        for result in built:
            counts = ", ".join(f"{name} {count}" for name, count in result.counts.items())
            self.stdout.write(f"已生成 {result.name}: {counts} ({result.seconds:.1f} s)")
        if built:
            total = sum(r.seconds for r in built)
            self.stdout.write(self.style.SUCCESS(f"交城县演示数据已生成，用时 {total:.1f} s"))
        self.stdout.write("")
        self.stdout.write("演示账号：")
        self.stdout.write(format_table(("用户名", "角色", "范围", "密码"), account_rows()))
