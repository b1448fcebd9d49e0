from typing import TYPE_CHECKING

from django.contrib import admin
from django.http import HttpRequest

from fazhi.core.admin import ScopedAdmin

from .models import IndicatorSnapshot, SnapshotValue

if TYPE_CHECKING:  # admin classes are generic only in the stubs (no django_stubs_ext at run time)
    _Inline = admin.TabularInline[SnapshotValue, IndicatorSnapshot]
else:
    _Inline = admin.TabularInline


class SnapshotValueInline(_Inline):
    model = SnapshotValue
    extra = 0
    can_delete = False
    fields = ("code", "name", "value", "unit", "numerator", "denominator", "version")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: IndicatorSnapshot | None = None) -> bool:
        return False


@admin.register(IndicatorSnapshot)
class IndicatorSnapshotAdmin(ScopedAdmin):
    list_display = ("org_unit", "period_code", "created_at", "created_by")
    inlines = [SnapshotValueInline]


@admin.register(SnapshotValue)
class SnapshotValueAdmin(ScopedAdmin):
    unit_field = "snapshot__org_unit"
    list_display = ("snapshot", "code", "name", "value", "unit")
