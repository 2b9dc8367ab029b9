"""The hazard ledger's search document (core/search.py, decision 0011): description, location, project name and
enterprise name. Filled by the services when a hazard is registered or changed, rewritten here when a project or
enterprise is renamed, backfilled by migration 0007 (and `refresh_documents` for a repair)."""

from __future__ import annotations

from django.db import connections
from django.db.models import Q

from zhiben.core import search
from zhiben.hazards.models import Hazard

FIELDS = ("description", "location", "project__name", "enterprise__name")
BATCH = 2000


def hazard_document(*, description: str, location: str, project_name: str, enterprise_name: str) -> str:
    return search.document(description, location, project_name, enterprise_name)


def fill(hazard: Hazard) -> None:
    """Set the document fields of an unsaved or changed hazard (its project and enterprise are loaded)."""
    hazard.search_text = hazard_document(description=hazard.description, location=hazard.location,
                                         project_name=hazard.project.name, enterprise_name=hazard.enterprise.name)
    hazard.search_vector = search.bigram_vector(hazard.search_text)


def matching(value, *, using: str = "default") -> Q:
    """`Q` of the hazards whose description, location, project name or enterprise name contains `value`."""
    return search.document_q(Hazard, value, fields=FIELDS, using=using)


def write_documents(rows: list[tuple[int, str]], *, using: str = "default") -> None:
    """Store (hazard id, document) pairs in one statement per batch (bulk_update's CASE is quadratic)."""
    if not rows:
        return
    connection = connections[using]
    table = Hazard._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            values = ", ".join(["(%s, %s, %s)"] * len(rows))
            params = [x for pk, doc in rows for x in (pk, doc, search.bigram_vector(doc))]
            cursor.execute(
                f"UPDATE {table} AS h SET search_text = v.doc, search_vector = v.vec::tsvector "  # noqa: S608
                f"FROM (VALUES {values}) AS v(id, doc, vec) WHERE h.id = v.id", params)
        else:
            cursor.executemany(f"UPDATE {table} SET search_text = %s WHERE id = %s",  # noqa: S608
                               [(doc, pk) for pk, doc in rows])


def refresh_documents(queryset=None, *, using: str = "default", batch: int = BATCH) -> int:
    """Recompute the documents of the given hazards (default: all), in batches by id; returns the count."""
    queryset = (queryset if queryset is not None else Hazard.objects.using(using)).order_by("pk")
    done, last = 0, 0
    while True:
        chunk = list(queryset.filter(pk__gt=last).values_list("pk", *FIELDS)[:batch])
        if not chunk:
            return done
        write_documents([(pk, search.document(*texts)) for pk, *texts in chunk], using=using)
        done += len(chunk)
        last = chunk[-1][0]


def refresh_for_project(project_id: int) -> int:
    return refresh_documents(Hazard.objects.filter(project_id=project_id))


def refresh_for_enterprise(enterprise_id: int) -> int:
    return refresh_documents(Hazard.objects.filter(enterprise_id=enterprise_id))
