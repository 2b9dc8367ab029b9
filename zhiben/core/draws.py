"""Reproducible random draws (双随机、一公开 inspections, random exams): anyone holding the seed and the inputs gets
the same result again, on any machine and Python version.

Every candidate's random number comes from HMAC-SHA256(seed, salt + key), not from a generator consumed in order,
so the result does not depend on the order the candidates were listed in, and adding a candidate changes no other
candidate's number. Weighted sampling without replacement is Efraimidis–Spirakis (A-ES, 2006): each candidate
gets the key u^(1/w) with u uniform in (0, 1) and the k largest keys are drawn; the probability of being drawn
first is w / Σw, and each later pick is the same rule over the candidates left. Keys are compared as log(u) / w,
which orders the same and does not underflow for small weights. docs/inspections.md explains it for the public.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import secrets
from collections.abc import Hashable, Iterable, Mapping
from typing import Any

_SCALE = float(1 << 53)


def new_seed() -> str:
    """A fresh seed of 128 random bits, as 32 hex digits (recorded with the draw)."""
    return secrets.token_hex(16)


def canonical_json(inputs: Any) -> str:
    """The one text of `inputs` whose digest is published: sorted keys, no spaces, UTF-8 kept as characters."""
    return json.dumps(inputs, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def inputs_digest(inputs: Any) -> str:
    """SHA-256 (hex) of the canonical JSON of `inputs`: a re-run with other inputs shows another digest."""
    return hashlib.sha256(canonical_json(inputs).encode("utf-8")).hexdigest()


def uniform(key: Hashable, *, seed: str, salt: str = "") -> float:
    """The candidate's number in the open interval (0, 1), fixed by the seed, the salt and the key alone."""
    if not seed:
        raise ValueError("a draw needs a seed")
    digest = hmac.new(seed.encode("utf-8"), f"{salt}\x1f{key}".encode(), hashlib.sha256).digest()
    return ((int.from_bytes(digest[:7], "big") >> 3) + 0.5) / _SCALE


def weighted_sample(weights: Mapping[Hashable, float], k: int, *, seed: str, salt: str = "") -> list:
    """Draw up to `k` keys without replacement, each with probability in proportion to its weight.

    Keys with a weight of zero or less (or not a finite number) are never drawn. The answer is in draw order
    (the first key is the first pick); fewer than `k` keys come back when fewer are eligible.
    """
    if k < 0:
        raise ValueError("k must not be negative")
    ranked = []
    for key, weight in weights.items():
        w = float(weight)
        if not math.isfinite(w) or w <= 0:
            continue
        ranked.append((math.log(uniform(key, seed=seed, salt=salt)) / w, str(key), key))
    ranked.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [key for _, _, key in ranked[:k]]


def sample(keys: Iterable[Hashable], k: int, *, seed: str, salt: str = "") -> list:
    """Draw up to `k` of `keys` uniformly without replacement, in draw order."""
    return weighted_sample(dict.fromkeys(keys, 1.0), k, seed=seed, salt=salt)


def shuffle(keys: Iterable[Hashable], *, seed: str, salt: str = "") -> list:
    """All of `keys` in a random order fixed by the seed (e.g. the order of an exam's questions)."""
    keys = list(dict.fromkeys(keys))
    return sample(keys, len(keys), seed=seed, salt=salt)
