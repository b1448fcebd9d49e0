"""The one place that decides who may see and do what.

Jurisdiction is the union of the org subtrees of a user's memberships. List queries are scoped
here, in SQL, never filtered after loading. Superusers see everything, and so does the system
itself: services called with acting_user=None are batch jobs run from the command line (demo
data, imports), never requests — views always pass request.user.
"""

from __future__ import annotations

from collections.abc import Iterable

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from .errors import CoreErrorCode, FazhiError
from .models import Membership, OrgUnit, OrgUnitClosure


class AccessDenied(FazhiError, PermissionDenied):
    """The acting user may not do this here; the message says why, in Chinese. A PermissionDenied, so
    pages answer with the 403 page showing the message; the API answers 403 with code `forbidden`."""

    http_status = 403

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(CoreErrorCode.FORBIDDEN, message, field=field)


def _unrestricted(user) -> bool:
    return user is None or (user.is_authenticated and user.is_active and user.is_superuser)


def _memberships(user):
    if not user or not user.is_authenticated or not user.is_active:
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("role")


def units_to_name(user) -> QuerySet[OrgUnit]:
    """Org units a user may pick in a form field that names a unit (作出决定的部门, 管家所在单位 …): every
    unit of the districts the user works in. Naming a unit shows its name only, not its records."""
    if _unrestricted(user):
        return OrgUnit.objects.all()
    roots = _memberships(user).values("org_unit_id")
    districts = OrgUnitClosure.objects.filter(descendant_id__in=roots, ancestor__kind="district").values("ancestor_id")
    return OrgUnit.objects.filter(
        pk__in=OrgUnitClosure.objects.filter(ancestor_id__in=districts).values("descendant_id")
    ) | units_in_jurisdiction(user)


def units_in_jurisdiction(user, *, writable: bool = False) -> QuerySet[OrgUnit]:
    """Org units the user may read (or, with writable=True, write)."""
    if _unrestricted(user):
        return OrgUnit.objects.all()
    memberships = _memberships(user)
    if writable:
        memberships = memberships.filter(role__read_only=False)
    roots = memberships.values("org_unit_id")
    return OrgUnit.objects.filter(
        pk__in=OrgUnitClosure.objects.filter(ancestor_id__in=roots).values("descendant_id")
    )


def jurisdiction_roots(user) -> list[OrgUnit]:
    """The top units of the user's jurisdiction: their memberships' units (the tree's roots for superusers)."""
    if _unrestricted(user):
        return list(OrgUnit.objects.filter(parent__isnull=True).order_by("pk"))
    return list(OrgUnit.objects.filter(pk__in=_memberships(user).values("org_unit_id")).order_by("depth", "pk"))


def scope_queryset(user, queryset: QuerySet, *, unit_field: str = "org_unit", writable: bool = False) -> QuerySet:
    """Restrict any queryset with an org-unit foreign key to the user's jurisdiction."""
    if _unrestricted(user):
        return queryset
    units = units_in_jurisdiction(user, writable=writable).values("pk")
    return queryset.filter(**{f"{unit_field}__in": units})


def _roles_over(user, unit: OrgUnit) -> list:
    """Roles the user holds over `unit` (memberships at the unit or one of its ancestors)."""
    if not user or not user.is_authenticated or not user.is_active:
        return []
    ancestors = OrgUnitClosure.objects.filter(descendant=unit).values("ancestor_id")
    return [m.role for m in _memberships(user).filter(org_unit_id__in=ancestors)]


def can_read_unit(user, unit: OrgUnit) -> bool:
    if _unrestricted(user):
        return True
    return bool(_roles_over(user, unit))


def can_write_unit(user, unit: OrgUnit) -> bool:
    if _unrestricted(user):
        return True
    return any(not r.read_only for r in _roles_over(user, unit))


def can_act_as(user, unit: OrgUnit, role_codes: Iterable[str]) -> bool:
    """May the user take an action that the definition reserves for these roles, at this unit?"""
    if _unrestricted(user):
        return True
    wanted = set(role_codes)
    return any(not r.read_only and (r.is_admin or r.code in wanted) for r in _roles_over(user, unit))


def can_see_personal_data(user, unit: OrgUnit) -> bool:
    if _unrestricted(user):
        return True
    return any(r.sees_personal_data for r in _roles_over(user, unit))


def require_read(user, unit: OrgUnit) -> None:
    if not can_read_unit(user, unit):
        raise AccessDenied(f"无权查看“{unit.name}”的数据")


def require_write(user, unit: OrgUnit) -> None:
    if not can_write_unit(user, unit):
        raise AccessDenied(f"无权修改“{unit.name}”的数据")


def require_role(user, unit: OrgUnit, role_codes: Iterable[str], *, action: str) -> None:
    codes = list(role_codes)
    if not can_act_as(user, unit, codes):
        raise AccessDenied(f"无权在“{unit.name}”执行“{action}”")


# Object-level predicates for Django's permission API (admin, DRF): `user.has_perm(perm, obj)`.
@rules.predicate
def _reads_object_unit(user, obj) -> bool:
    return obj is not None and can_read_unit(user, obj.org_unit)


@rules.predicate
def _writes_object_unit(user, obj) -> bool:
    return obj is not None and can_write_unit(user, obj.org_unit)


rules.add_perm("registers.view_record", _reads_object_unit)
rules.add_perm("registers.change_record", _writes_object_unit)
