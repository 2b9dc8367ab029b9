"""Loading the demo county (used by `manage.py load_demo`, hence by `make run` on every start)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from zhiben.core.audit import audit
from zhiben.core.timeutils import beijing_today
from zhiben.demo.stages import DEFAULT_SEED, DEFAULT_SIZE, DemoContext, demo_stages


@dataclass
class StageResult:
    name: str
    built: bool
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


@transaction.atomic
def demo_load(
    *, actor=None, reset: bool = False, size: int = DEFAULT_SIZE, seed: int = DEFAULT_SEED,
    log: Callable[[str], None] = lambda message: None,
) -> list[StageResult]:
    """Build every stage whose data is missing; with `reset`, remove the demo first and build it all again.

    All or nothing: one transaction. A run that finds the demo present changes nothing and writes no audit row.
    """
    ctx = DemoContext(seed=seed, size=size, today=beijing_today(), log=log)
    stages = demo_stages()
    if reset:
        for stage in reversed(stages):
            stage.clear()
    results = []
    for stage in stages:
        if stage.is_built():
            results.append(StageResult(stage.name, built=False))
            continue
        started = time.perf_counter()
        counts = stage.build(ctx)
        results.append(StageResult(stage.name, built=True, counts=counts, seconds=time.perf_counter() - started))
    built = [r.name for r in results if r.built]
    if built:
        audit("demo.loaded", actor=actor, seed=seed, size=size, reset=reset, stages=built,
              counts={r.name: r.counts for r in results if r.built})
    return results
