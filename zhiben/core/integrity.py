"""Integrity checks that domain apps register and framework commands run (e.g. `manage.py restore`).

core imports no domain app, so an app that can prove its own data intact (the hazards' hash-chained histories)
registers a check from its `AppConfig.ready()`; `run_checks()` runs every registered check in name order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class CheckResult:
    """What one check found: how many records it examined and a line per problem (empty when intact)."""

    name: str
    checked: int
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


_CHECKS: dict[str, Callable[[], CheckResult]] = {}


def register_check(name: str, check: Callable[[], CheckResult]) -> None:
    """Register `check` under `name` (registering a name again replaces it, so `ready()` may run twice)."""
    _CHECKS[name] = check


def registered_checks() -> list[str]:
    return sorted(_CHECKS)


def run_checks() -> list[CheckResult]:
    """Run every registered check, in name order."""
    return [_CHECKS[name]() for name in sorted(_CHECKS)]
