from django.contrib import admin

from zhiben.standards.models import Standard, StandardItem


class ItemInline(admin.TabularInline):
    model = StandardItem
    extra = 0
    fields = ["code", "category", "text", "level", "legal_source", "verified"]

    def has_change_permission(self, request, obj=None):
        # A published version is never rewritten (records made under it keep their meaning).
        return obj is None or obj.status == Standard.Status.DRAFT

    def has_add_permission(self, request, obj=None):
        return obj is None or obj.status == Standard.Status.DRAFT

    def has_delete_permission(self, request, obj=None):
        return obj is None or obj.status == Standard.Status.DRAFT


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin):
    list_display = ["title", "version", "kind", "document_no", "effective_from", "effective_to", "status", "trust",
                    "region"]
    list_filter = ["kind", "status", "trust"]
    search_fields = ["title", "code", "document_no"]
    raw_id_fields = ["region", "based_on", "created_by"]
    inlines = [ItemInline]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status == Standard.Status.PUBLISHED:
            return [f.name for f in Standard._meta.fields]
        return []


@admin.register(StandardItem)
class StandardItemAdmin(admin.ModelAdmin):
    list_display = ["code", "standard", "category", "level", "verified"]
    list_filter = ["level", "verified", "standard__kind"]
    search_fields = ["code", "text"]
    raw_id_fields = ["standard"]

    def has_change_permission(self, request, obj=None):
        return obj is None or obj.standard.status == Standard.Status.DRAFT

    def has_delete_permission(self, request, obj=None):
        return obj is None or obj.standard.status == Standard.Status.DRAFT
