"""Re-seal every vault value under the newest key (the first of ZHIBEN_VAULT_KEYS).

Rotation: put the new key first in ZHIBEN_VAULT_KEYS (keep the old ones after it), restart, run this command,
then drop the old keys. Safe to run again or to interrupt: each batch commits on its own, and a value already
under the newest key is left as it is. `--check` only counts values not yet under the newest key.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from zhiben.core import vault

BATCH = 500


class Command(BaseCommand):
    help = "Re-encrypt every identity-vault value under the newest key (docs/operations.md: key rotation)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true",
                            help="count values not under the newest key; change nothing")

    def handle(self, *args, check: bool = False, **options):
        vault.keyring()  # a missing or malformed key fails here, before any row is read
        stale_total = 0
        for model, names in vault.sealed_fields():
            stale = changed = 0
            last_pk = None
            while True:
                with transaction.atomic():
                    rows = model._base_manager.order_by("pk").select_for_update()
                    if last_pk is not None:
                        rows = rows.filter(pk__gt=last_pk)
                    batch = list(rows[:BATCH])
                    if not batch:
                        break
                    last_pk = batch[-1].pk
                    for row in batch:
                        updates = {}
                        for name in names:
                            token = getattr(row, name)
                            if vault.is_current(token):
                                continue
                            stale += 1
                            if not check:
                                try:
                                    updates[name] = vault.reseal(token)
                                except vault.VaultError as exc:
                                    raise CommandError(
                                        f"{model._meta.label} #{row.pk}.{name}: no configured key opens it") from exc
                        if updates:
                            model._base_manager.filter(pk=row.pk).update(**updates)
                            changed += 1
            stale_total += stale
            verb = "to re-seal" if check else "re-sealed"
            self.stdout.write(f"{model._meta.label}: {stale} value(s) {verb}, {changed} row(s) changed")
        if check and stale_total:
            raise CommandError(f"{stale_total} value(s) are not under the newest key")
