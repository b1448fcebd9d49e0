"""Admin pages for data values and reports: scoped by core.access, read-only (writes go through services)."""

from django.contrib import admin

from fazhi.core.admin import ScopedAdmin

from .models import DataSetReport, DataValue


@admin.register(DataValue)
class DataValueAdmin(ScopedAdmin):
    list_display = ("dataset", "element", "disaggregation", "org_unit", "period_start", "value", "updated_at")
    list_filter = ("dataset", "period_type")
    search_fields = ("element",)
    date_hierarchy = "period_start"
    readonly_fields = ("dataset", "definition_version", "element", "org_unit", "period_type", "period_start",
                       "period_end", "disaggregation", "dimensions", "value", "updated_at")


@admin.register(DataSetReport)
class DataSetReportAdmin(ScopedAdmin):
    list_display = ("dataset", "org_unit", "period_start", "status", "locked", "submitted_at", "approved_at")
    list_filter = ("dataset", "status", "locked")
    date_hierarchy = "period_start"
    readonly_fields = ("dataset", "definition_version", "org_unit", "period_type", "period_start", "period_end",
                       "status", "locked", "first_submitted_at", "submitted_at", "submitted_by", "approved_at",
                       "approved_by", "returned_at", "returned_reason", "updated_at")
