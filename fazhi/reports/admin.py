from django.contrib import admin

from fazhi.core.admin import ScopedAdmin

from .models import AnnualReport, ReportApproval, ReportRun, ReportVersion, SectionAssignment, SectionEvent


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


@admin.register(SectionAssignment)
class SectionAssignmentAdmin(ScopedAdmin):
    list_display = ("report", "section", "org_unit", "deadline", "status", "submitted_at")
    list_filter = ("status",)


@admin.register(SectionEvent)
class SectionEventAdmin(ScopedAdmin):
    unit_field = "assignment__org_unit"
    list_display = ("assignment", "kind", "actor", "at")


@admin.register(ReportApproval)
class ReportApprovalAdmin(ScopedAdmin):
    unit_field = "report__org_unit"
    list_display = ("report", "approved_by", "approved_at", "run")


@admin.register(ReportVersion)
class ReportVersionAdmin(ScopedAdmin):
    unit_field = "report__org_unit"
    list_display = ("report", "number", "published_at", "published_by", "docx_sha256")
    exclude = ("docx", "html")
