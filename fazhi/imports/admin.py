from django.contrib import admin

from fazhi.core.admin import ScopedAdmin

from .models import ExportFile, ImportBatch, ImportMapping, StagedRow


class _ImportsAdmin(ScopedAdmin):
    """Read-only like every admin page; batches have no unit, and only system administrators open the admin."""

    def get_queryset(self, request):
        return admin.ModelAdmin.get_queryset(self, request)


@admin.register(ImportBatch)
class ImportBatchAdmin(_ImportsAdmin):
    list_display = ("pk", "register", "filename", "status", "mode", "created_by", "created_at")
    list_filter = ("register", "status")
    exclude = ("content",)  # the raw file may hold personal numbers in full


@admin.register(StagedRow)
class StagedRowAdmin(_ImportsAdmin):
    list_display = ("batch", "row_number", "external_id", "status", "reason")
    list_filter = ("status",)
    exclude = ("cells",)


@admin.register(ImportMapping)
class ImportMappingAdmin(_ImportsAdmin):
    list_display = ("name", "register", "created_by")
    list_filter = ("register",)


@admin.register(ExportFile)
class ExportFileAdmin(_ImportsAdmin):
    list_display = ("pk", "register", "fmt", "row_count", "masked", "created_by", "created_at")
    list_filter = ("register", "fmt")
    exclude = ("content",)  # the file may hold personal numbers in full
