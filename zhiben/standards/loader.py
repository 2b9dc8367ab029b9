"""Loading the shipped standard versions from data/*.json (one file per version; see data/README.md).

Idempotent: a version already present is left as it is (a published version is never rewritten), so the
migration and `manage.py load_standards` can run any number of times. A newly loaded version ends the national
version of the same code that is still open, the day before it takes effect, as publishing in the app does.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def data_files() -> list[Path]:
    return sorted(DATA_DIR.glob("*.json"))


def load_standard_files(standard_model, item_model, *, files: list[Path] | None = None) -> list[str]:
    """Create every version found in the data files that is not in the database yet; returns what was added."""
    added = []
    for path in files or data_files():
        doc = json.loads(path.read_text(encoding="utf-8"))
        if standard_model.objects.filter(code=doc["code"], version=doc["version"], region__isnull=True).exists():
            continue
        standard = standard_model.objects.create(
            code=doc["code"], title=doc["title"], version=doc["version"], kind=doc["kind"],
            document_no=doc.get("document_no") or "", issuer=doc.get("issuer") or "",
            published_on=_date(doc.get("published")), effective_from=_date(doc["effective_from"]),
            effective_to=_date(doc.get("effective_to")), source=doc.get("source") or "",
            trust=doc.get("trust") or "verbatim", notes=doc.get("notes") or "", rules=doc.get("rules") or {},
            status="published", data_file=path.name,
        )
        item_model.objects.bulk_create([
            item_model(
                standard=standard, code=item["code"], category=item.get("category") or "", text=item["text"],
                level=item["level"], legal_source=item.get("legal_source") or "",
                verified=bool(item.get("verified", True)), extra=item.get("extra") or {}, position=n,
            )
            for n, item in enumerate(doc["items"], start=1)
        ])
        # Like publishing in the app: the national version of the same code still open ends the day before.
        standard_model.objects.filter(
            code=doc["code"], region__isnull=True, status="published", effective_to__isnull=True,
            effective_from__lt=standard.effective_from,
        ).exclude(pk=standard.pk).update(effective_to=standard.effective_from - dt.timedelta(days=1))
        added.append(f"{doc['code']} {doc['version']} ({len(doc['items'])})")
    return added
