from django.contrib import admin

from fazhi.core.admin import ScopedAdmin

from .models import IndicatorSnapshot, SnapshotValue


class SnapshotValueInline(admin.TabularInline):
    model = SnapshotValue
    extra = 0
    can_delete = False
    fields = ("code", "name", "value", "unit", "numerator", "denominator", "version")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(IndicatorSnapshot)
class IndicatorSnapshotAdmin(ScopedAdmin):
    list_display = ("org_unit", "period_code", "created_at", "created_by")
    inlines = [SnapshotValueInline]


@admin.register(SnapshotValue)
class SnapshotValueAdmin(ScopedAdmin):
    unit_field = "snapshot__org_unit"
    list_display = ("snapshot", "code", "name", "value", "unit")
