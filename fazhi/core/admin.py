"""Admin pages with Chinese labels, for system administrators only (superusers).

All operational work happens in fazhi's own pages. The admin is a read-only window for the people who
run the system: it filters only on the fields each page declares (Django's admin would otherwise accept a
lookup on any plain field in the query string, e.g. ``?id_number__startswith=…``, which recovers a 身份证号
character by character), searches no personal field, and shows personal numbers masked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib import admin
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from . import access
from .auditactions import audit_action_label
from .models import (
    AuditEvent,
    CalendarDay,
    DataVersion,
    Entity,
    HistoryChain,
    LateCorrection,
    Membership,
    Notice,
    OrgUnit,
    OrgUnitClosure,
    PeriodClose,
    Person,
    Role,
)
from .services import calendarday_set

if TYPE_CHECKING:  # admin classes are generic only in the stubs (no django_stubs_ext at run time)
    _ScopedBase = admin.ModelAdmin[Model]  # a scoped page may show any model with an org-unit path
    _RoleBase = admin.ModelAdmin[Role]
    _CalendarDayBase = admin.ModelAdmin[CalendarDay]
    _HistoryChainBase = admin.ModelAdmin[HistoryChain]
    _DataVersionBase = admin.ModelAdmin[DataVersion]
else:
    _ScopedBase = _RoleBase = _CalendarDayBase = _HistoryChainBase = _DataVersionBase = admin.ModelAdmin


def is_system_administrator(user: User | AnonymousUser) -> bool:
    """Only superusers are staff: a role in a unit (even 区级管理员) never opens the admin."""
    return bool(user.is_active and user.is_superuser)


# The default site's check is replaced on purpose (the site itself is not subclassed).
admin.site.has_permission = lambda request: is_system_administrator(request.user)  # type: ignore[method-assign]


# The lookups a declared filter may use in the query string (choices, date drill-down, related ids).
_FILTER_LOOKUPS = {"", "exact", "in", "isnull", "id__exact", "year", "month", "day", "gte", "lt"}


class DeclaredLookupsOnly:
    """Refuse every query-string lookup but the page's own filters and date hierarchy.

    A refused lookup raises DisallowedModelAdminLookup (a SuspiciousOperation): a 400, never data."""

    # Given by the ModelAdmin this is mixed into.
    list_filter: ClassVar[Any]
    date_hierarchy: ClassVar[str | None]

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        declared = {item[0] if isinstance(item, tuple) else item for item in self.list_filter}
        if self.date_hierarchy:
            declared.add(self.date_hierarchy)
        for field in declared:
            if isinstance(field, str) and (lookup == field or lookup.startswith(field + "__")):
                if lookup[len(field):].removeprefix("__") in _FILTER_LOOKUPS:
                    return True
        return False


class ReadOnly:
    """Writes must go through services (audit, clocks, validation): the admin only reads."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ScopedAdmin(ReadOnly, DeclaredLookupsOnly, _ScopedBase):
    """Rows outside the user's jurisdiction are not in the queryset at all (so: 404, not 403)."""

    unit_field = "org_unit"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Model]:
        return access.scope_queryset(request.user, super().get_queryset(request), unit_field=self.unit_field)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_system_administrator(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_system_administrator(request.user)


@admin.register(OrgUnit)
class OrgUnitAdmin(ScopedAdmin):
    unit_field = "pk"
    list_display = ("name", "kind", "parent", "division_code", "population")
    list_filter = ("kind",)
    search_fields = ("name", "division_code")


@admin.register(OrgUnitClosure)
class OrgUnitClosureAdmin(ScopedAdmin):
    unit_field = "descendant"
    list_display = ("ancestor", "descendant", "distance")


@admin.register(Person)
class PersonAdmin(ScopedAdmin):
    list_display = ("name", "masked_id_number", "org_unit")
    # no search and no filter: every field of a person is personal data
    exclude = ("id_number", "phone")
    readonly_fields = ("masked_id_number",)

    @admin.display(description="身份证号")
    def masked_id_number(self, obj: Person) -> str:
        return obj.masked_id_number


@admin.register(Entity)
class EntityAdmin(ScopedAdmin):
    list_display = ("name", "masked_credit_code", "industry", "org_unit")
    search_fields = ("name",)

    @admin.display(description="统一社会信用代码")
    def masked_credit_code(self, obj: Entity) -> str:
        return obj.masked_credit_code


@admin.register(Role)
class RoleAdmin(DeclaredLookupsOnly, _RoleBase):
    list_display = ("code", "name", "read_only", "is_admin", "sees_personal_data")


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    list_display = ("user", "role", "org_unit")
    list_filter = ("role",)


@admin.register(CalendarDay)
class CalendarDayAdmin(DeclaredLookupsOnly, _CalendarDayBase):
    list_display = ("date", "kind", "name")
    list_filter = ("kind",)
    date_hierarchy = "date"

    def save_model(self, request: HttpRequest, obj: CalendarDay, form: ModelForm[CalendarDay], change: bool) -> None:
        calendarday_set(acting_user=request.user, date=obj.date, kind=obj.kind, name=obj.name)

    def delete_model(self, request: HttpRequest, obj: CalendarDay) -> None:
        calendarday_set(acting_user=request.user, date=obj.date, kind=None)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: CalendarDay | None = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: CalendarDay | None = None) -> bool:
        return request.user.is_superuser


@admin.register(AuditEvent)
class AuditEventAdmin(ScopedAdmin):
    list_display = ("at", "actor", "action_name", "action", "object_type", "object_id", "org_unit")
    list_filter = ("action",)
    readonly_fields = ("at", "actor", "action", "object_type", "object_id", "org_unit", "diff")

    @admin.display(description="审计动作", ordering="action")
    def action_name(self, obj: AuditEvent) -> str:
        return audit_action_label(obj.action)


@admin.register(HistoryChain)
class HistoryChainAdmin(ReadOnly, DeclaredLookupsOnly, _HistoryChainBase):
    """The chain heads `fazhi audit verify` checks; written by the chain writer only."""

    list_display = ("table_name", "last_seq", "last_hash", "last_at", "backfilled")


@admin.register(DataVersion)
class DataVersionAdmin(ReadOnly, DeclaredLookupsOnly, _DataVersionBase):
    """The data version the pages' caches are keyed by (core/dataversion.py); written by triggers only."""

    list_display = ("n", "token")


@admin.register(PeriodClose)
class PeriodCloseAdmin(ScopedAdmin):
    list_display = ("year", "org_unit", "scope", "code", "closed_by", "closed_at")
    list_filter = ("year", "scope")


@admin.register(LateCorrection)
class LateCorrectionAdmin(ScopedAdmin):
    list_display = ("at", "year", "org_unit", "label", "action_name", "actor")
    list_filter = ("year", "scope")

    @admin.display(description="操作", ordering="action")
    def action_name(self, obj: LateCorrection) -> str:
        return audit_action_label(obj.action)


@admin.register(Notice)
class NoticeAdmin(ScopedAdmin):
    list_display = ("sent_at", "org_unit", "topic", "title", "sent_by", "read_at")
    list_filter = ("topic",)
