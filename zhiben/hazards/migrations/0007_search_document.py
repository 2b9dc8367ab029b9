"""The hazard search document (decision 0011): two columns, a batched backfill, then the index.

PostgreSQL: a GIN index on the bigram vector. SQLite: an FTS5 table (trigram tokenizer) over the document, kept
by triggers. Not atomic: the backfill commits batch by batch, so on a large ledger it can be stopped and run
again (it resumes from scratch but every batch is idempotent). See docs/performance.md for 10^6 rows.
"""

import django.db.models
from django.db import migrations, transaction

import zhiben.core.search

TABLE = "hazards_hazard"
FTS = "hazards_hazard_fts"


def backfill(apps, schema_editor):
    from zhiben.hazards.search import BATCH, FIELDS, write_documents

    Hazard = apps.get_model("hazards", "Hazard")
    using = schema_editor.connection.alias
    last = 0
    while True:
        chunk = list(Hazard.objects.using(using).filter(pk__gt=last).order_by("pk")
                     .values_list("pk", *FIELDS)[:BATCH * 5])
        if not chunk:
            return
        with transaction.atomic(using=using):
            write_documents([(pk, zhiben.core.search.document(*texts)) for pk, *texts in chunk], using=using)
        last = chunk[-1][0]


def create_index(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # On a live large database, run CREATE INDEX CONCURRENTLY by hand first (same name): this is then a no-op.
            cursor.execute(f"CREATE INDEX IF NOT EXISTS hazard_search_gin ON {TABLE} USING gin (search_vector)")
        elif connection.vendor == "sqlite":
            cursor.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5(search_text, content='{TABLE}', "
                           "content_rowid='id', tokenize='trigram')")
            cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {FTS}_ai AFTER INSERT ON {TABLE} BEGIN "
                           f"INSERT INTO {FTS}(rowid, search_text) VALUES (new.id, new.search_text); END")
            cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {FTS}_ad AFTER DELETE ON {TABLE} BEGIN "
                           f"INSERT INTO {FTS}({FTS}, rowid, search_text) VALUES ('delete', old.id, old.search_text); END")
            cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {FTS}_au AFTER UPDATE OF search_text ON {TABLE} BEGIN "
                           f"INSERT INTO {FTS}({FTS}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
                           f"INSERT INTO {FTS}(rowid, search_text) VALUES (new.id, new.search_text); END")
            cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')")


def drop_index(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP INDEX IF EXISTS hazard_search_gin")
        elif connection.vendor == "sqlite":
            for suffix in ("ai", "ad", "au"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {FTS}_{suffix}")
            cursor.execute(f"DROP TABLE IF EXISTS {FTS}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("hazards", "0006_hazard_tally"),
        ("registry", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="hazard",
            name="search_text",
            field=django.db.models.TextField(blank=True, default="", editable=False, verbose_name="search text"),
        ),
        migrations.AddField(
            model_name="hazard",
            name="search_vector",
            field=zhiben.core.search.BigramVectorField(blank=True, editable=False, null=True,
                                                       verbose_name="search vector"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(create_index, drop_index),
    ]
