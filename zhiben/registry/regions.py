"""Loading the division codes shipped in data/regions.csv (see data/README.md for the source)."""

from __future__ import annotations

import csv
from pathlib import Path

REGIONS_CSV = Path(__file__).resolve().parent / "data" / "regions.csv"


def read_regions() -> list[dict]:
    with REGIONS_CSV.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def load_regions(region_model) -> int:
    """Insert missing regions and correct changed names; idempotent. `region_model` may be a historical model."""
    rows = read_regions()
    existing = {r.code: r for r in region_model.objects.all()}
    new, changed = [], []
    for row in rows:
        code = int(row["code"])
        parent = int(row["parent"]) if row["parent"] else None
        current = existing.get(code)
        if current is None:
            new.append(region_model(code=code, name=row["name"], level=row["level"], parent_id=parent))
        elif (current.name, current.level, current.parent_id) != (row["name"], row["level"], parent):
            current.name, current.level, current.parent_id = row["name"], row["level"], parent
            changed.append(current)
    region_model.objects.bulk_create(new, batch_size=500)
    region_model.objects.bulk_update(changed, ["name", "level", "parent"], batch_size=500)
    return len(new) + len(changed)
