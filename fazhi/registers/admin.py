from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from fazhi.core.admin import ScopedAdmin, is_system_administrator

from .models import Record, RecordClock, RecordEvent, RecordNumberCounter, RecordRollup

if TYPE_CHECKING:  # admin classes are generic only in the stubs (no django_stubs_ext at run time)
    _EventInline = admin.TabularInline[RecordEvent, Record]
    _ClockInline = admin.TabularInline[RecordClock, Record]
else:
    _EventInline = _ClockInline = admin.TabularInline


class RecordEventInline(_EventInline):
    model = RecordEvent
    extra = 0
    can_delete = False
    fields = ("seq", "kind", "transition", "from_status", "to_status", "actor", "happened_on", "note")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Record | None = None) -> bool:
        return False


class RecordClockInline(_ClockInline):
    model = RecordClock
    extra = 0
    can_delete = False
    fields = ("code", "kind", "started_on", "base_due_on", "due_on", "extensions", "suspended_on", "stopped_on")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Record | None = None) -> bool:
        return False


@admin.register(Record)
class RecordAdmin(ScopedAdmin):
    list_display = ("external_id", "register", "org_unit", "status", "outcome", "category", "opened_on", "closed_on")
    list_filter = ("register", "status")
    search_fields = ("external_id",)
    date_hierarchy = "opened_on"
    inlines = [RecordClockInline, RecordEventInline]

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if obj is None:
            return is_system_administrator(request.user)
        # Belt and braces: get_queryset already hides other units' records.
        return is_system_administrator(request.user) and request.user.has_perm("registers.view_record", obj)


@admin.register(RecordClock)
class RecordClockAdmin(ScopedAdmin):
    list_display = ("record", "code", "kind", "org_unit", "started_on", "due_on", "stopped_on")
    list_filter = ("kind", "code")


@admin.register(RecordEvent)
class RecordEventAdmin(ScopedAdmin):
    unit_field = "record__org_unit"
    list_display = ("record", "seq", "kind", "transition", "to_status", "actor", "happened_on")
    list_filter = ("kind",)


@admin.register(RecordRollup)
class RecordRollupAdmin(ScopedAdmin):
    list_display = ("register", "basis", "org_unit", "month", "status", "outcome", "category", "count", "amount")
    list_filter = ("register", "basis")


@admin.register(RecordNumberCounter)
class RecordNumberCounterAdmin(ScopedAdmin):
    list_display = ("register", "org_unit", "year", "last")
    list_filter = ("register", "year")
