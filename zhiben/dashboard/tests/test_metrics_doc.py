"""docs/metrics.md states the formulas the dashboard shows in words: the two never drift apart."""

from __future__ import annotations

import re

from django.conf import settings
from django.utils import translation

from zhiben.dashboard import selectors
from zhiben.dashboard.presentation import TARGETS

DOC = settings.BASE_DIR / "docs" / "metrics.md"


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_every_target_formula_on_the_page_is_the_documented_one():
    doc = _flat(DOC.read_text(encoding="utf-8"))
    with translation.override("en"):
        for target in TARGETS:
            # The page writes the on-time target's value in; the document names the setting.
            assert _flat(str(target.formula) % {"target": "CAMPAIGN_ON_TIME_TARGET"}) in doc, target.code
            assert f"**{target.title}**" in doc


def test_every_public_selector_is_documented():
    doc = DOC.read_text(encoding="utf-8")
    figures = [name for name in selectors.__all__ if name not in {
        "Query", "population", "resolve_region", "resolve_enterprise", "resolve_project", "sub_regions",
        "region_trail", "month_end", "targets"}]
    assert [name for name in figures if f"`{name}`" not in doc] == []
    assert "CAMPAIGN_ON_TIME_TARGET" in doc and "rebuild_hazard_spans" in doc
