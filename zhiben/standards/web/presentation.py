"""Turning a version's shipped data (rules, item details) into what the pages show. Reads only; no queries
except `score_tables`, which takes the items it is given."""

from __future__ import annotations

import json
from collections import OrderedDict

from django.utils.translation import gettext_lazy as _

from zhiben.standards.models import Standard, StandardItem

# Item details worth showing, in this order, with the label a reader sees. Everything else stays in the data.
TEXT_DETAILS = [
    ("description", _("Description")),
    ("replacement", _("Replacement")),
    ("restriction_scope", _("Restriction scope")),
    ("restriction_scope_note", _("About the restriction scope")),
    ("applies_to", _("Applies to")),
    ("effective_from", _("In force from")),
    ("article_lead_in", _("Article lead-in")),
    ("reading_note", _("How to read it")),
    ("sub_items_note", _("About the sub-items")),
    ("focus", _("Focus")),
    ("note", _("Note")),
    ("compiled_note", _("Compilation note")),
    ("level_basis", _("Why this level")),
    ("deductions_source", _("Source of the deductions")),
    ("verification", _("Verification")),
]

RULE_KEYS_SHOWN = {"articles", "summary_table", "sub_tables", "scoring", "rating", "unresolved", "dates_verified",
                   "dates_note"}


def item_details(item: StandardItem) -> list[dict]:
    """Display entries for one item's `extra`: {label, text} or {label, lines: [(text, verified)]}."""
    extra = item.extra or {}
    details: list[dict] = []
    if extra.get("placeholder"):
        details.append({"label": _("Placeholder"), "text": _("This item was not found in the sources; it is kept "
                                                              "so that the count matches the official document.")})
    sub_items = extra.get("sub_items")
    if isinstance(sub_items, list) and sub_items:
        details.append({"label": _("Sub-items"), "lines": [(str(s), True) for s in sub_items]})
    deductions = extra.get("deductions")
    if isinstance(deductions, list) and deductions:
        details.append({"label": _("Deductions"), "lines": [
            (str(d.get("text", "")), bool(d.get("verified", False))) if isinstance(d, dict) else (str(d), False)
            for d in deductions
        ]})
        if extra.get("deductions_complete") is False:
            details.append({"label": _("Deductions"), "text": _("Only some deductions of this item are recorded.")})
    sources = extra.get("sources")
    if isinstance(sources, list) and sources:
        details.append({"label": _("Sources"), "lines": [
            (str(s.get("citation") or s.get("item") or ""), bool(s.get("verified", False)))
            if isinstance(s, dict) else (str(s), False)
            for s in sources
        ]})
    for key, label in TEXT_DETAILS:
        value = extra.get(key)
        if value not in (None, "", [], {}):
            details.append({"label": label, "text": str(value)})
    alternative = extra.get("alternative_points")
    if isinstance(alternative, dict) and alternative.get("points") is not None:
        details.append({"label": _("Other reading of the points"), "text": "{} ({})".format(
            alternative.get("points"), alternative.get("note") or alternative.get("source") or "")})
    unverified = extra.get("unverified_fields")
    if isinstance(unverified, list) and unverified:
        details.append({"label": _("Fields not verified"), "text": ", ".join(str(f) for f in unverified)})
    return details


def decorate_items(items) -> list[StandardItem]:
    """Attach `details` (for the expandable row) to each item."""
    items = list(items)
    for item in items:
        item.details = item_details(item)
    return items


def articles(standard: Standard) -> list[dict]:
    """The article texts of a determination standard, with the label once and the verification mark."""
    out = []
    for article in (standard.rules or {}).get("articles") or []:
        if not isinstance(article, dict):
            continue
        label = str(article.get("label") or "")
        text = str(article.get("text") or "")
        if label and text.startswith(label):
            text = text[len(label):].lstrip()
        out.append({"label": label, "text": text, "verified": article.get("verified", True) is not False,
                    "marker": article.get("marker") or ""})
    return out


def _rule_lines(section) -> list[dict]:
    lines = []
    if not isinstance(section, dict):
        return lines
    for key, value in section.items():
        if not isinstance(value, dict):
            continue
        text = value.get("rule") or value.get("formula") or value.get("note")
        if not text:
            continue
        if value.get("formula"):
            terms = [f"{k} = {v}" for k, v in value.items() if len(k) <= 2 and isinstance(v, str)]
            if terms:
                text = f"{text}（{'；'.join(terms)}）"
        lines.append({"key": key, "text": str(text), "verified": value.get("verified") is not False,
                      "source": value.get("source") or ""})
    return lines


def score_tables(standard: Standard, items) -> dict | None:
    """For a score table (JGJ 59): summary weights, scoring and rating rules, and the items per sub-table."""
    rules = standard.rules or {}
    if "summary_table" not in rules and "sub_tables" not in rules:
        return None
    by_table: OrderedDict[str, list[StandardItem]] = OrderedDict()
    for item in items:
        by_table.setdefault(str((item.extra or {}).get("table") or item.category), []).append(item)
    tables = []
    for sub in rules.get("sub_tables") or []:
        if not isinstance(sub, dict):
            continue
        members = by_table.pop(str(sub.get("table")), [])
        tables.append({
            "table": sub.get("table"), "name": sub.get("name"), "summary_item": sub.get("summary_item"),
            "max": sub.get("max"), "name_verified": sub.get("name_verified") is not False,
            "verification": sub.get("verification") or "", "items": members,
            "points": sum(int((i.extra or {}).get("max_points") or 0) for i in members),
            "unverified": sum(1 for i in members if not i.verified),
        })
    for table, members in by_table.items():  # items of a table the rules do not list (e.g. added in a draft)
        tables.append({"table": table, "name": table, "items": members, "name_verified": False,
                       "points": sum(int((i.extra or {}).get("max_points") or 0) for i in members),
                       "unverified": sum(1 for i in members if not i.verified)})
    summary = rules.get("summary_table") or {}
    rating = rules.get("rating") or {}
    return {
        "summary": summary, "weights": summary.get("weights") or [], "tables": tables,
        "scoring": _rule_lines(rules.get("scoring")),
        "rating": rating.get("levels") or [], "rating_verified": rating.get("verified") is not False,
        "rating_note": rating.get("note") or "",
        "unresolved": [str(u) for u in rules.get("unresolved") or []],
    }


def other_rules(standard: Standard) -> list[tuple[str, str]]:
    """Rules the page has no special layout for, as pretty JSON (for admins checking the data)."""
    return [
        (key, json.dumps(value, ensure_ascii=False, indent=2))
        for key, value in (standard.rules or {}).items()
        if key not in RULE_KEYS_SHOWN
    ]
