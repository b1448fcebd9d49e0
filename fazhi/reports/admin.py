from django.contrib import admin

from fazhi.core.admin import ScopedAdmin

from .models import AnnualReport, ReportRun


@admin.register(AnnualReport)
class AnnualReportAdmin(ScopedAdmin):
    list_display = ("org_unit", "year", "status", "published_at")
    list_filter = ("status", "year")


@admin.register(ReportRun)
class ReportRunAdmin(ScopedAdmin):
    unit_field = "report__org_unit"
    list_display = ("report", "created_at", "created_by", "figures", "text_sha256")
    readonly_fields = ("report", "snapshot", "definition_code", "definition_version", "created_at", "created_by",
                       "text_sha256", "docx_sha256", "figures", "gate", "text")
