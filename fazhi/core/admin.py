"""Admin pages with Chinese labels. Lists are scoped by core.access; writes go through services."""

from django.contrib import admin

from . import access
from .auditactions import audit_action_label
from .models import AuditEvent, CalendarDay, Entity, Membership, OrgUnit, OrgUnitClosure, Person, Role
from .services import calendarday_set


class ScopedAdmin(admin.ModelAdmin):
    """Rows outside the user's jurisdiction are not in the queryset at all (so: 404, not 403)."""

    unit_field = "org_unit"

    def get_queryset(self, request):
        return access.scope_queryset(request.user, super().get_queryset(request), unit_field=self.unit_field)

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    # Writes must go through services (audit, clocks, validation): the admin only reads.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
    search_fields = ("name",)
    exclude = ("id_number", "phone")
    readonly_fields = ("masked_id_number",)

    @admin.display(description="身份证号")
    def masked_id_number(self, obj):
        return obj.masked_id_number


@admin.register(Entity)
class EntityAdmin(ScopedAdmin):
    list_display = ("name", "masked_credit_code", "industry", "org_unit")
    search_fields = ("name",)

    @admin.display(description="统一社会信用代码")
    def masked_credit_code(self, obj):
        return obj.masked_credit_code


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "read_only", "is_admin", "sees_personal_data")


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    list_display = ("user", "role", "org_unit")
    list_filter = ("role",)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "name")
    list_filter = ("kind",)
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        calendarday_set(acting_user=request.user, date=obj.date, kind=obj.kind, name=obj.name)

    def delete_model(self, request, obj):
        calendarday_set(acting_user=request.user, date=obj.date, kind=None)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(AuditEvent)
class AuditEventAdmin(ScopedAdmin):
    list_display = ("at", "actor", "action_name", "action", "object_type", "object_id", "org_unit")
    list_filter = ("action",)
    readonly_fields = ("at", "actor", "action", "object_type", "object_id", "org_unit", "diff")

    @admin.display(description="审计动作", ordering="action")
    def action_name(self, obj: AuditEvent) -> str:
        return audit_action_label(obj.action)
