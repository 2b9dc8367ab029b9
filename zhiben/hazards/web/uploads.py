"""Evidence stored during a request that then fails: the transaction rolls the rows back, this removes the files."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


class StoredFiles:
    """Collects attachments saved inside a transaction; if the block raises, their files are deleted from storage
    (the rows vanish with the rollback, the files would otherwise stay behind as orphans)."""

    def __init__(self):
        self.attachments: list = []

    def add(self, attachment):
        self.attachments.append(attachment)
        return attachment

    @property
    def ids(self) -> list[int]:
        return [a.pk for a in self.attachments]

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            for attachment in self.attachments:
                try:
                    attachment.file.storage.delete(attachment.file.name)
                except OSError:  # best effort: a leftover file is harmless, a masked error is not
                    log.warning("could not remove orphaned evidence file %s", attachment.file.name)
        return False
