"""Hazards are read-only in the Django admin: every change goes through hazards.services (history, hash chain)."""

from django.contrib import admin

from zhiben.core.admin import ReadOnlyAdmin
from zhiben.hazards import models


class EventInline(admin.TabularInline):
    model = models.HazardEvent
    extra = 0
    fields = ["seq", "action", "actor_name", "at", "effective_at", "from_status", "to_status", "hash"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.Hazard)
class HazardAdmin(ReadOnlyAdmin):
    list_display = ["code", "project", "level", "channel", "status", "found_on", "deadline", "escalation_level"]
    list_filter = ["level", "channel", "status", "is_stock", "escalation_level"]
    search_fields = ["=code", "description", "project__name"]
    inlines = [EventInline]


@admin.register(models.HazardEvent)
class HazardEventAdmin(ReadOnlyAdmin):
    list_display = ["hazard", "seq", "action", "actor_name", "at", "effective_at"]
    list_filter = ["action"]
    search_fields = ["=hazard__code"]


for model in (models.Rectification, models.ExtensionRequest, models.Attachment, models.RectificationNotice,
              models.HazardSpan, models.HazardTally, models.HazardSnapshot, models.HazardSnapshotDay):
    admin.site.register(model, ReadOnlyAdmin)


@admin.register(models.HazardImportJob)
class HazardImportJobAdmin(admin.ModelAdmin):
    """Ledger imports (hazards/excel/): inspected here, never created or edited (they run from the import page)."""

    list_display = ["pk", "status", "total_rows", "region", "created_by", "created_at"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in models.HazardImportJob._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False
