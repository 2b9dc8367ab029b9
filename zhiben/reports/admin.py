"""Reports are read-only in the Django admin: every change goes through reports.services (history, hash chain),
and the sealed identity columns are not shown at all."""

from django.contrib import admin

from zhiben.core.admin import ReadOnlyAdmin
from zhiben.reports import models


@admin.register(models.Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["receipt_code", "region", "internal", "status", "outcome", "submitted_at", "due_at"]
    list_filter = ["status", "outcome", "internal"]
    search_fields = ["=receipt_code"]
    exclude = ["reporter_name", "reporter_phone", "key_hash"]


@admin.register(models.ReportEvent)
class ReportEventAdmin(ReadOnlyAdmin):
    list_display = ["report", "seq", "action", "actor_name", "at"]
    list_filter = ["action"]
    search_fields = ["=report__receipt_code"]


for model in (models.ReportPhoto, models.Reward):
    admin.site.register(model, ReadOnlyAdmin)
