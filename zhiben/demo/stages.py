"""The demo county is built in stages, in a fixed order. Each stage knows whether its data is present, builds it
and removes it again; `load_demo` runs the stages that are missing (all of them after `--reset`).

To add a stage (hazards, inspections, dashboard …): write `zhiben/demo/builders/<name>.py` with a class that has
`name`, `is_built()`, `build(ctx)` and `clear()`, and append its dotted path to STAGES. A stage finds the rows of
earlier stages by their fixed names (see builders/registry_data.py), never by primary key.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from django.utils.module_loading import import_string

STAGES: list[str] = [
    "zhiben.demo.builders.registry.RegistryStage",
    "zhiben.demo.builders.accounts.AccountsStage",
    "zhiben.demo.builders.hazards.HazardsStage",
    "zhiben.demo.builders.reports.ReportsStage",
]

DEFAULT_SEED = 20240415  # the day 交住建字〔2024〕80号 set the campaign going, more or less
DEFAULT_SIZE = 1500      # persons in the registry; other stages scale with it


@dataclass(frozen=True)
class DemoContext:
    """What every stage builds from: the seed, the size, the business day all dates are relative to."""

    seed: int = DEFAULT_SEED
    size: int = DEFAULT_SIZE
    today: dt.date = field(default_factory=dt.date.today)
    log: Callable[[str], None] = lambda message: None

    def rng(self, stream: str) -> random.Random:
        """A reproducible generator per named stream, so new draws in one stage never shift another's data."""
        return random.Random(f"{self.seed}:{stream}")  # noqa: S311  (invented demo data, not secrets)


class Stage(Protocol):
    name: str

    def is_built(self) -> bool: ...

    def build(self, ctx: DemoContext) -> dict[str, int]: ...

    def clear(self) -> None: ...


def demo_stages() -> list[Stage]:
    return [import_string(path)() for path in STAGES]
