"""Validate the standards data files in this directory.

Run:  python zhiben/standards/data/check_data.py
Checks every *.json file: parses, required keys, enums, dates, unique item codes,
and the per-file facts from /work/shared/reference (item counts, the 2024 text hash,
JGJ 59 table sums). Exits non-zero on any failure.
"""
import datetime
import hashlib
import json
import pathlib
import re
import sys

HERE = pathlib.Path(__file__).resolve().parent
KINDS = {"determination", "catalogue", "score_table", "campaign"}
TRUST = {"verbatim", "partial", "unverified", "compiled"}
LEVELS = {"major", "general"}
TOP = ["code", "title", "version", "kind", "document_no", "issuer", "published", "effective_from",
       "effective_to", "source", "trust", "notes", "items"]
ITEM = ["code", "category", "text", "level", "legal_source", "verified"]
SHA_2024 = "8b18b70858307c184d3541b44eb0153a8f3d870760a3b3722020550760a361ad"

errors = []


def err(f, msg):
    errors.append(f"{f}: {msg}")


def date(f, key, value, nullable):
    if value is None:
        if not nullable:
            err(f, f"{key} is null")
        return None
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        err(f, f"{key} does not parse: {value!r}")
        return None


def check_common(f, d):
    for k in TOP:
        if k not in d:
            err(f, f"missing top-level key {k}")
    if d.get("kind") not in KINDS:
        err(f, f"bad kind {d.get('kind')!r}")
    if d.get("trust") not in TRUST:
        err(f, f"bad trust {d.get('trust')!r}")
    pub = date(f, "published", d.get("published"), nullable=True)
    frm = date(f, "effective_from", d.get("effective_from"), nullable=False)
    to = date(f, "effective_to", d.get("effective_to"), nullable=True)
    if frm and to and to < frm:
        err(f, "effective_to before effective_from")
    if pub and frm and frm < pub:
        err(f, "effective_from before published")
    seen = set()
    for i, it in enumerate(d.get("items", [])):
        for k in ITEM:
            if k not in it:
                err(f, f"item #{i} missing {k}")
        c = it.get("code")
        if c in seen:
            err(f, f"duplicate item code {c}")
        seen.add(c)
        if it.get("level") not in LEVELS:
            err(f, f"item {c} bad level {it.get('level')!r}")
        if not isinstance(it.get("verified"), bool):
            err(f, f"item {c} verified not bool")
        if not (it.get("text") or "").strip() or not (it.get("legal_source") or "").strip():
            err(f, f"item {c} empty text/legal_source")
        if "extra" in it and not isinstance(it["extra"], dict):
            err(f, f"item {c} extra not an object")


def status_counts(items):
    b = sum(1 for i in items if i["extra"]["status"] == "banned")
    r = sum(1 for i in items if i["extra"]["status"] == "restricted")
    return b, r


def main():
    files = sorted(HERE.glob("*.json"))
    data = {}
    for p in files:
        try:
            data[p.name] = json.loads(p.read_text(encoding="utf-8"))
        except ValueError as e:
            err(p.name, f"does not parse: {e}")
    for f, d in data.items():
        check_common(f, d)

    expected = {"hazard-determination-2022.json", "hazard-determination-2024.json",
                "eliminated-catalogue-batch1.json", "eliminated-catalogue-batch2.json",
                "jgj59-2011.json", "anti-falling-campaign.json"}
    for m in expected - set(data):
        err(m, "missing file")

    # 2022: 34 criteria, all major
    d = data.get("hazard-determination-2022.json")
    if d:
        if len(d["items"]) != 34:
            err("2022", f"{len(d['items'])} items, expected 34")
        if any(i["level"] != "major" for i in d["items"]):
            err("2022", "non-major item")
    # 2024: 51 enumerated + 2 whole-article, verbatim text
    d24 = data.get("hazard-determination-2024.json")
    if d24:
        items = d24["items"]
        whole = [i for i in items if i.get("extra", {}).get("whole_article")]
        if len(items) - len(whole) != 51 or len(whole) != 2:
            err("2024", f"{len(items) - len(whole)} listed + {len(whole)} whole-article, expected 51 + 2")
        if any(i["level"] != "major" for i in items):
            err("2024", "non-major item")
        arts = {a["no"]: a["text"] for a in d24["rules"]["articles"]}
        joined = "\n\n".join(arts[n] for n in range(1, 19)) + "\n"
        if hashlib.sha256(joined.encode("utf-8")).hexdigest() != SHA_2024:
            err("2024", "article text hash differs from the published SHA-256")
        for it in items:
            n = int(re.match(r"2024-(\d+)", it["code"]).group(1))
            if it["text"] not in arts[n]:
                err("2024", f"{it['code']} text is not verbatim from article {n}")
        if d and d24:
            to = datetime.date.fromisoformat(d["effective_to"])
            frm = datetime.date.fromisoformat(d24["effective_from"])
            if to + datetime.timedelta(days=1) != frm:
                err("2022/2024", "2022 effective_to is not the day before 2024 effective_from")
    # catalogues
    d = data.get("eliminated-catalogue-batch1.json")
    if d:
        b, r = status_counts(d["items"])
        if (len(d["items"]), b, r) != (22, 9, 13):
            err("batch1", f"{len(d['items'])} items ({b} banned, {r} restricted), expected 22 (9 + 13)")
    d = data.get("eliminated-catalogue-batch2.json")
    if d:
        b, r = status_counts(d["items"])
        if (len(d["items"]), b, r) != (23, 9, 14):
            err("batch2", f"{len(d['items'])} items ({b} banned, {r} restricted), expected 23 (9 + 14)")
    # JGJ 59
    d = data.get("jgj59-2011.json")
    if d:
        w = d["rules"]["summary_table"]["weights"]
        if sum(x["max"] for x in w) != 100:
            err("jgj59", "summary weights do not total 100")
        tables = {}
        for it in d["items"]:
            tables.setdefault(it["extra"]["table"], []).append(it)
        if len(tables) != 19:
            err("jgj59", f"{len(tables)} sub-tables, expected 19")
        for t, its in tables.items():
            if sum(i["extra"]["max_points"] for i in its) != 100:
                err("jgj59", f"table {t} does not total 100")
            g = [i for i in its if i["extra"]["guarantee"] is True]
            if g and sum(i["extra"]["max_points"] for i in g) != 60:
                err("jgj59", f"table {t} guarantee items do not total 60")
        mapped = [t for x in w for t in x["sub_tables"]]
        if sorted(mapped) != sorted(tables):
            err("jgj59", "summary sub_tables do not cover every table exactly once")
    # campaign
    d = data.get("anti-falling-campaign.json")
    if d:
        if d["trust"] != "compiled":
            err("campaign", "trust must be compiled")
        for it in d["items"]:
            if not it.get("extra", {}).get("sources"):
                err("campaign", f"{it['code']} has no sources")

    for f, d in data.items():
        its = d.get("items", [])
        print(f"{f:40s} {d.get('trust', '?'):9s} items={len(its):3d} "
              f"major={sum(i.get('level') == 'major' for i in its):3d} "
              f"verified={sum(i.get('verified') is True for i in its):3d}")
    if errors:
        print("\nFAILED:")
        for e in errors:
            print("  " + e)
        return 1
    print("\nOK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
