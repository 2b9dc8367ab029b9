"""Duplicate detection at entry: a new hazard matching a live one on the same project is flagged.

A match is the same standard item, or a description and location that read almost the same (difflib ratio
≥ 0.8 on normalised text). A regulator then merges it (`void` with `duplicate_of`) or leaves it.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from zhiben.hazards.states import LIVE

SIMILARITY = 0.8
CANDIDATES = 200
_PUNCT = re.compile(r"[\s，。、；：！？,.;:!?（）()“”\"'—\-]+")


def _norm(text: str) -> str:
    return _PUNCT.sub("", text or "").lower()


def similarity(a: str, b: str) -> float:
    a, b = _norm(a), _norm(b)
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b).ratio()


def find_possible_duplicate(hazard):
    """The live hazard on the same project that this one most likely duplicates, or None."""
    from zhiben.hazards.models import Hazard

    others = Hazard.objects.filter(project_id=hazard.project_id, status__in=LIVE).exclude(pk=hazard.pk)
    if hazard.standard_item_id:
        same_item = others.filter(standard_item_id=hazard.standard_item_id).order_by("found_at").first()
        if same_item is not None:
            return same_item
    text = f"{hazard.description} {hazard.location}"
    best, best_score = None, SIMILARITY
    for other in others.order_by("-found_at").only("pk", "description", "location", "code")[:CANDIDATES]:
        score = similarity(text, f"{other.description} {other.location}")
        if score >= best_score:
            best, best_score = other, score
    return best
