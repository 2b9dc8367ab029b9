"""Django admin for platform administrators; domain changes go through the pages and services."""

from django.contrib import admin

from zhiben.core.models import AuditLog, ColumnMapping, Counter


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that are only ever appended by the application (audit, histories, derived aggregates)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_name", "event", "object_type", "object_id", "ip"]
    list_filter = ["event"]
    search_fields = ["actor_name", "event", "object_id"]
    date_hierarchy = "at"


@admin.register(Counter)
class CounterAdmin(ReadOnlyAdmin):
    list_display = ["key", "value"]
    search_fields = ["key"]


@admin.register(ColumnMapping)
class ColumnMappingAdmin(admin.ModelAdmin):
    """Users' remembered column mappings (core/excel/mapping.py): deleting one makes the next import ask again."""

    list_display = ["user", "kind", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["user__username"]
    readonly_fields = ["user", "kind", "mapping", "updated_at"]

    def has_add_permission(self, request, obj=None):
        return False
