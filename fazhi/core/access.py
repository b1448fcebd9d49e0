"""The one place that decides who may see and do what.

A user holds roles over org subtrees (Membership); each role is granted named permissions (`Perm`)
in the role files (core/data/roles.yaml and each line's roles.yaml, read by core/roles.py). Five
permissions can also be given by a definition to the roles it names: a register's create_roles and
edit_roles, a transition's roles, a data set's entry_roles and approval_roles (core/perms.py:
DEFINITION_PERMS). The questions are always the same three:

    access.may(user, Perm.SNAPSHOT_FREEZE, unit)                        -> bool
    access.require(user, Perm.RECORD_CREATE, unit, definition=register)  raises AccessDenied
    access.unit_get(user, pk, writable=True)                            -> OrgUnit, or 404

Jurisdiction is the union of the org subtrees of a user's memberships. List queries are scoped
here, in SQL, never filtered after loading. Superusers may do everything, and so may the system
itself: services called with acting_user=None are batch jobs run from the command line (demo
data, imports), never requests — views always pass request.user.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from functools import wraps
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, TypeVar

import rules
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase

from .dataversion import version_cached
from .errors import CoreErrorCode, FazhiError
from .models import Membership, OrgUnit, OrgUnitClosure, Role
from .perms import DEFINITION_PERMS, PERM_LABELS, Perm
from .roles import role_grants, roles_granted

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

_M = TypeVar("_M", bound=Model)

__all__ = [
    "AccessDenied", "ActingUser", "Perm", "RoleSource", "UnitNotFound", "definitions_where", "jurisdiction_roots", "may",
    "may_somewhere", "perm_required", "recorded_actor", "require", "scope_queryset", "unit_get", "unit_ids_where_each",
    "units_in_jurisdiction",
    "units_to_name", "units_where",
]

# Who a service acts for: a user of a request (an AnonymousUser is refused everything), or None for
# the system itself (batch jobs from the command line, which may do everything).
# The project keeps Django's own auth.User (no AUTH_USER_MODEL), so `User` is the user model.
ActingUser: TypeAlias = "User | AnonymousUser | None"


class AccessDenied(FazhiError, PermissionDenied):
    """The acting user may not do this here; the message says why, in Chinese. A PermissionDenied, so
    pages answer with the 403 page showing the message; the API answers 403 with code `forbidden`."""

    http_status = 403

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(CoreErrorCode.FORBIDDEN, message, field=field)


class UnitNotFound(Http404):
    """No such unit, or not in the reader's jurisdiction: the same answer, so existence is not revealed."""


# A page: a view function (login_required and perm_required keep its signature at run time).
ViewFunction: TypeAlias = Callable[..., HttpResponseBase]


class RoleSource(Protocol):
    """A definition that names roles for some permissions (a register, a transition, a data set)."""

    def roles_for(self, perm: Perm) -> Collection[str]: ...


def recorded_actor(acting_user: ActingUser) -> User | None:
    """The user to store as a row's actor / author: None for batch jobs (and never an AnonymousUser)."""
    return acting_user if acting_user is not None and acting_user.is_authenticated else None


def _unrestricted(user: ActingUser) -> bool:
    return user is None or bool(user.is_authenticated and user.is_active and user.is_superuser)


def _memberships(user: ActingUser) -> QuerySet[Membership]:
    if not user or not user.is_authenticated or not user.is_active:
        return Membership.objects.none()
    return Membership.objects.filter(user=user)


def _holding(perm: Perm, definition: RoleSource | None) -> frozenset[str]:
    """Codes of the roles that hold `perm` (under `definition`, for the permissions definitions give)."""
    codes = roles_granted(perm)
    if definition is not None and perm in DEFINITION_PERMS:
        # A definition cannot make a read-only role act (a leader named in a register still only reads).
        codes |= {c for c in definition.roles_for(perm) if Perm.UNIT_WRITE in role_grants(c)}
    return codes


def may(user: ActingUser, perm: Perm, unit: OrgUnit | None, *, definition: RoleSource | None = None) -> bool:
    """Does the user hold `perm` over `unit` (a role at the unit or one of its ancestors)? With
    unit=None: over some unit of the jurisdiction (whether to offer a page or a button at all)."""
    if _unrestricted(user):
        return True
    if unit is not None and user is not None and user.is_authenticated and user.is_active:
        return _holds_at(user.pk, _holding(perm, definition), unit.pk)
    memberships = _memberships(user).filter(role__code__in=_holding(perm, definition))
    if unit is not None:
        memberships = memberships.filter(
            org_unit_id__in=OrgUnitClosure.objects.filter(descendant=unit).values("ancestor_id")
        )
    return memberships.exists()


# may() at a unit, the question every write asks: one fixed statement, not a queryset built per call (the
# ORM's building and compiling was most of the access check's cost on a write).
_HOLDS_AT = (
    f"SELECT 1 FROM {Membership._meta.db_table} m "
    f"JOIN {Role._meta.db_table} r ON r.id = m.role_id "
    f"JOIN {OrgUnitClosure._meta.db_table} c ON c.ancestor_id = m.org_unit_id "
    "WHERE m.user_id = %s AND c.descendant_id = %s AND r.code IN ({codes}) LIMIT 1"
)


def _holds_at(user_id: int, codes: frozenset[str], unit_id: int) -> bool:
    """Does the user hold one of the roles `codes` at the unit or one of its ancestors?"""
    if not codes:
        return False
    with connection.cursor() as cursor:
        cursor.execute(_HOLDS_AT.format(codes=", ".join(["%s"] * len(codes))), [user_id, unit_id, *sorted(codes)])
        return cursor.fetchone() is not None


def require(user: ActingUser, perm: Perm, unit: OrgUnit, *, definition: RoleSource | None = None,
            action: str | None = None) -> None:
    """Raise AccessDenied unless may(…); `action` names what was refused (default: the permission's label)."""
    if may(user, perm, unit, definition=definition):
        return
    if perm == Perm.UNIT_READ:
        raise AccessDenied(f"无权查看“{unit.name}”的数据")
    if perm == Perm.UNIT_WRITE and action is None:
        raise AccessDenied(f"无权修改“{unit.name}”的数据")
    raise AccessDenied(f"无权在“{unit.name}”执行“{action or PERM_LABELS[perm]}”")


def may_somewhere(user: ActingUser, perm: Perm) -> bool:
    """Could the user hold `perm` anywhere? For the permissions definitions give, holding a writing
    role is enough here (which definition names it is asked at the unit). Every page asks it: cached per user
    and data version (memberships and roles change the version)."""
    if _unrestricted(user):
        return True
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return version_cached(("may_somewhere", user.pk, perm.value), lambda: (
        may(user, perm, None) or (perm in DEFINITION_PERMS and may(user, Perm.UNIT_WRITE, None))))


D = TypeVar("D", bound="RoleSource")


def definitions_where(user: ActingUser, perm: Perm, definitions: Sequence[D]) -> list[D]:
    """The definitions under which the user holds `perm` at some unit (one query for all of them): e.g. the
    registers the 登记簿 menu offers a clerk for registering."""
    if _unrestricted(user):
        return list(definitions)
    held = set(_memberships(user).values_list("role__code", flat=True))
    return [d for d in definitions if _holding(perm, d) & held]


def perm_required(perm: Perm) -> Callable[[ViewFunction], ViewFunction]:
    """Decorator of a page: login required, and the user must hold `perm` somewhere (may_somewhere);
    the page still asks may/require at the unit it shows or changes. The permission is recorded on
    the view (`view.required_perm`), so a test can check that every URL is guarded."""
    def decorate(view: ViewFunction) -> ViewFunction:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not may_somewhere(request.user, perm):
                raise AccessDenied(f"无权{PERM_LABELS[perm]}")
            return view(request, *args, **kwargs)

        guarded.required_perm = perm  # type: ignore[attr-defined]  # a function attribute, read by the URL-guard test
        return login_required(guarded)

    return decorate


def units_where(user: ActingUser, perm: Perm, *, definition: RoleSource | None = None) -> QuerySet[OrgUnit]:
    """Org units over which the user holds `perm` (the subtrees of the memberships whose role holds it)."""
    if _unrestricted(user):
        return OrgUnit.objects.all()
    roots = _memberships(user).filter(role__code__in=_holding(perm, definition)).values("org_unit_id")
    return OrgUnit.objects.filter(pk__in=OrgUnitClosure.objects.filter(ancestor_id__in=roots).values("descendant_id"))


def unit_ids_where_each(user: ActingUser, perm: Perm, definitions: Sequence[RoleSource | None]
                        ) -> list[frozenset[int] | None]:
    """units_where for many definitions at once (the workbench asks it of every transition and data set):
    per definition, the ids of the units where the user holds `perm` under it, None meaning every unit
    (superusers, batch jobs). Two queries in all, whatever the number of definitions."""
    if _unrestricted(user):
        return [None] * len(definitions)
    memberships = list(_memberships(user).values_list("role__code", "org_unit_id"))
    roots_each = [{unit for code, unit in memberships if code in _holding(perm, d)} for d in definitions]
    below: dict[int, set[int]] = {}
    for ancestor, descendant in OrgUnitClosure.objects.filter(
            ancestor_id__in=set().union(*roots_each)).values_list("ancestor_id", "descendant_id"):
        below.setdefault(ancestor, set()).add(descendant)
    return [frozenset().union(*(below.get(root, set()) for root in roots)) for roots in roots_each]


def units_in_jurisdiction(user: ActingUser, *, writable: bool = False) -> QuerySet[OrgUnit]:
    """Org units the user may read (or, with writable=True, write)."""
    return units_where(user, Perm.UNIT_WRITE if writable else Perm.UNIT_READ)


def unit_get(user: ActingUser, pk: int | str | None, *, writable: bool = False) -> OrgUnit:
    """The unit `pk` if the user may read (write) it; UnitNotFound (a 404) for a missing, malformed or
    forbidden pk alike."""
    if pk is None or not str(pk).isdigit():
        raise UnitNotFound("没有这个单位，或不在您的管辖范围内")
    unit = units_in_jurisdiction(user, writable=writable).filter(pk=int(pk)).first()
    if unit is None:
        raise UnitNotFound("没有这个单位，或不在您的管辖范围内")
    return unit


def units_to_name(user: ActingUser) -> QuerySet[OrgUnit]:
    """Org units a user may pick in a form field that names a unit (作出决定的部门, 管家所在单位 …): every
    unit of the districts the user works in. Naming a unit shows its name only, not its records."""
    if _unrestricted(user):
        return OrgUnit.objects.all()
    roots = _memberships(user).values("org_unit_id")
    districts = OrgUnitClosure.objects.filter(descendant_id__in=roots, ancestor__kind="district").values("ancestor_id")
    return OrgUnit.objects.filter(
        pk__in=OrgUnitClosure.objects.filter(ancestor_id__in=districts).values("descendant_id")
    ) | units_in_jurisdiction(user)


def jurisdiction_roots(user: ActingUser) -> list[OrgUnit]:
    """The top units of the user's jurisdiction: their memberships' units (the tree's roots for superusers)."""
    if _unrestricted(user):
        return list(OrgUnit.objects.filter(parent__isnull=True).order_by("pk"))
    readable = _memberships(user).filter(role__code__in=roles_granted(Perm.UNIT_READ))
    return list(OrgUnit.objects.filter(pk__in=readable.values("org_unit_id")).order_by("depth", "pk"))


def scope_queryset(user: ActingUser, queryset: QuerySet[_M], *, unit_field: str = "org_unit",
                   writable: bool = False) -> QuerySet[_M]:
    """Restrict any queryset with an org-unit foreign key to the user's jurisdiction."""
    if _unrestricted(user):
        return queryset
    units = units_in_jurisdiction(user, writable=writable).values("pk")
    return queryset.filter(**{f"{unit_field}__in": units})


# Shorthands kept for the many reads that only ask "may this user see / change this unit?".
def can_read_unit(user: ActingUser, unit: OrgUnit) -> bool:
    return may(user, Perm.UNIT_READ, unit)


def can_write_unit(user: ActingUser, unit: OrgUnit) -> bool:
    return may(user, Perm.UNIT_WRITE, unit)


def require_read(user: ActingUser, unit: OrgUnit) -> None:
    require(user, Perm.UNIT_READ, unit)


def require_write(user: ActingUser, unit: OrgUnit) -> None:
    require(user, Perm.UNIT_WRITE, unit)


class _InUnit(Protocol):
    """An object held by an org unit (a record)."""

    @property
    def org_unit(self) -> OrgUnit: ...


# Object-level predicates for Django's permission API (admin, DRF): `user.has_perm(perm, obj)`.
# Wrapped in rules.Predicate directly: the @rules.predicate decorator is untyped.
def _reads_object_unit(user: ActingUser, obj: _InUnit | None) -> bool:
    return obj is not None and may(user, Perm.UNIT_READ, obj.org_unit)


def _writes_object_unit(user: ActingUser, obj: _InUnit | None) -> bool:
    return obj is not None and may(user, Perm.UNIT_WRITE, obj.org_unit)


rules.add_perm("registers.view_record", rules.Predicate(_reads_object_unit))
rules.add_perm("registers.change_record", rules.Predicate(_writes_object_unit))
