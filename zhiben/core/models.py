"""Framework models shared by every domain app: timestamps and the audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Adds creation and modification times (stored in UTC)."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class ChainedEvent(models.Model):
    """The fields of one entry of a hash-chained history (core/history.py, decision 0004). A subject's event
    model adds its foreign key to the subject (the chain's `subject_field`) and its Meta."""

    seq = models.PositiveIntegerField(_("sequence"))
    action = models.CharField(_("action"), max_length=32)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    at = models.DateTimeField(_("recorded at"))
    effective_at = models.DateTimeField(_("effective at"))
    from_status = models.CharField(_("from status"), max_length=12, blank=True)
    to_status = models.CharField(_("to status"), max_length=12, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True)
    hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        abstract = True


class AuditLog(models.Model):
    """One row per security-relevant action: logins, user administration, reveals of protected data, imports.

    Rows are only ever inserted; `event` is a stable code (e.g. ``login.failed``, ``person.id_revealed``).
    """

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    event = models.CharField(_("event"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.event}"


class Counter(models.Model):
    """Gap-free sequence numbers per key (document numbers, hazard codes), taken under a row lock."""

    key = models.CharField(_("key"), max_length=100, unique=True)
    value = models.PositiveBigIntegerField(_("value"), default=0)

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")

    def __str__(self) -> str:
        return f"{self.key}={self.value}"

    @classmethod
    def next(cls, key: str) -> int:
        """The next number for `key`; call inside a transaction (the row stays locked until commit)."""
        cls.objects.get_or_create(key=key)
        counter = cls.objects.select_for_update().get(key=key)
        counter.value += 1
        counter.save(update_fields=["value"])
        return counter.value


from zhiben.core.excel.models import ColumnMapping  # noqa: E402  (registers the model; it needs TimeStampedModel above)

__all__ = ["AuditLog", "ColumnMapping", "Counter", "TimeStampedModel"]
