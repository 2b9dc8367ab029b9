from django.contrib import admin

from zhiben.registry import models


@admin.register(models.Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]


class QualificationInline(admin.TabularInline):
    model = models.Qualification
    extra = 0


@admin.register(models.Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["name", "uscc", "region", "safety_licence_no", "safety_licence_expires", "standardization_level"]
    list_filter = ["standardization_level"]
    search_fields = ["name", "uscc", "safety_licence_no"]
    raw_id_fields = ["region", "principal", "actual_controller", "safety_director"]
    inlines = [QualificationInline]


@admin.register(models.Qualification)
class QualificationAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "category", "name", "grade", "certificate_no", "expires"]
    list_filter = ["category"]
    search_fields = ["enterprise__name", "certificate_no"]
    raw_id_fields = ["enterprise"]


class ParticipantInline(admin.TabularInline):
    model = models.ProjectParticipant
    extra = 0
    raw_id_fields = ["enterprise"]


class DangerousWorkInline(admin.TabularInline):
    model = models.DangerousWork
    extra = 0


@admin.register(models.Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "contractor", "status", "stage", "permit_no"]
    list_filter = ["status", "stage", "kind"]
    search_fields = ["name", "address", "permit_no"]
    raw_id_fields = ["region", "contractor", "manager"]
    inlines = [ParticipantInline, DangerousWorkInline]


@admin.register(models.ProjectParticipant)
class ProjectParticipantAdmin(admin.ModelAdmin):
    list_display = ["project", "enterprise", "role"]
    list_filter = ["role"]
    raw_id_fields = ["project", "enterprise"]


@admin.register(models.DangerousWork)
class DangerousWorkAdmin(admin.ModelAdmin):
    list_display = ["project", "category", "description", "over_threshold", "plan_approved", "expert_reviewed",
                    "status"]
    list_filter = ["category", "over_threshold", "status"]
    raw_id_fields = ["project"]


class EmploymentInline(admin.TabularInline):
    model = models.Employment
    extra = 0
    raw_id_fields = ["enterprise", "project"]


class CertificateInline(admin.TabularInline):
    model = models.Certificate
    extra = 0


@admin.register(models.Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "id_number", "gender", "phone", "region"]
    search_fields = ["name", "=id_number", "=phone"]
    raw_id_fields = ["region"]
    inlines = [EmploymentInline, CertificateInline]


@admin.register(models.Employment)
class EmploymentAdmin(admin.ModelAdmin):
    list_display = ["person", "enterprise", "project", "kind", "position", "started", "ended"]
    list_filter = ["kind"]
    raw_id_fields = ["person", "enterprise", "project"]


@admin.register(models.Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["person", "kind", "number", "issued", "expires", "revoked"]
    list_filter = ["kind", "revoked"]
    search_fields = ["number", "person__name"]
    raw_id_fields = ["person"]


@admin.register(models.LifetimeBan)
class LifetimeBanAdmin(admin.ModelAdmin):
    list_display = ["person", "reason", "decided_on", "document_no", "lifted"]
    raw_id_fields = ["person"]


@admin.register(models.ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["pk", "kind", "status", "total_rows", "created_by", "created_at"]
    list_filter = ["kind", "status"]
    readonly_fields = [f.name for f in models.ImportJob._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False
