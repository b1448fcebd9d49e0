"""Year-end close: which writes a closed year refuses, and the corrections after close it accepts.

The office closes a year for a unit's subtree (all registers and data sets, or one of them). A write
dated in a closed year — a record opened or closed in it, a step taken on a date in it, a data set
value of a period in it — is refused, so the figures of a report already compiled cannot move under
it. A role granted `period.correct` may still make it as a *correction after close*, with a written
reason: the write is flagged on the record's timeline and listed (LateCorrection) for the office and
the report's data-quality note.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from django.db import connection, models
from django.db.models import Q

from . import access
from .access import ActingUser, Perm
from .errors import FazhiError
from .models import LateCorrection, OrgUnit, OrgUnitClosure, PeriodClose, PeriodCloseScope


class ClosingErrorCode(StrEnum):
    PERIOD_CLOSED = "period_closed"  # the year is closed; only a correction after close, with a reason
    ALREADY_CLOSED = "already_closed"  # closing a year (scope) that is already closed
    NOT_CLOSED = "not_closed"  # reopening a year (scope) that is not closed
    SCOPE_INVALID = "scope_invalid"  # an unknown scope, or a register / data set code missing or unknown
    YEAR_INVALID = "year_invalid"  # not a plausible reporting year
    REASON_REQUIRED = "reason_required"  # a correction after close needs a written reason


class ClosingError(FazhiError, ValueError):
    """A close, reopen or a write into a closed year refused; `code` is stable, `message` Chinese."""

    def __init__(self, code: ClosingErrorCode, message: str, *, year: int | None = None):
        super().__init__(code, message)
        self.year = year


def closes_covering(unit: OrgUnit, year: int, *, scope: str, code: str) -> list[PeriodClose]:
    """The closes of `year` over `unit` (at it or an ancestor) that cover the register or data set."""
    ancestors = OrgUnitClosure.objects.filter(descendant=unit).values("ancestor_id")
    return list(PeriodClose.objects.filter(year=year, org_unit_id__in=ancestors).filter(
        Q(scope=PeriodCloseScope.ALL) | Q(scope=scope, code=code)))


_CLOSED_YEARS = (
    f"SELECT p.year FROM {PeriodClose._meta.db_table} p "
    f"JOIN {OrgUnitClosure._meta.db_table} c ON c.ancestor_id = p.org_unit_id "
    "WHERE c.descendant_id = %s AND p.year IN ({years}) AND (p.scope = %s OR (p.scope = %s AND p.code = %s))"
)


def closed_write_check(*, acting_user: ActingUser, unit: OrgUnit, years: Iterable[int], scope: str, code: str,
                       correction_reason: str = "") -> list[int]:
    """Refuse a write dated in a closed year unless it is a correction after close by a role allowed to.

    Returns the closed years the write touches (empty for an ordinary write); the caller then records a
    LateCorrection for each, inside its transaction (late_correction_write)."""
    wanted = {y for y in set(years) if y}
    if not wanted:
        return []
    # One fixed statement for all the years the write touches (every write asks it: no queryset built per call).
    with connection.cursor() as cursor:
        cursor.execute(_CLOSED_YEARS.format(years=", ".join(["%s"] * len(wanted))),
                       [unit.pk, *sorted(wanted), PeriodCloseScope.ALL.value, scope, code])
        closed = sorted({row[0] for row in cursor.fetchall()})
    if not closed:
        return []
    label = "、".join(f"{y}年" for y in closed)
    if not correction_reason.strip():
        raise ClosingError(ClosingErrorCode.PERIOD_CLOSED,
                           f"{label}已关账，不能再修改；确需更正的，请由有权限的人员作为“关账后更正”并写明理由",
                           year=closed[0])
    access.require(acting_user, Perm.PERIOD_CORRECT, unit, action=f"{label}关账后更正")
    return closed


def late_correction_write(*, acting_user: ActingUser, years: list[int], unit: OrgUnit, scope: str, code: str,
                          obj: models.Model, label: str, action: str, reason: str) -> None:
    """Record the corrections after close of one write (call inside the writer's transaction)."""
    LateCorrection.objects.bulk_create([
        LateCorrection(year=y, org_unit=unit, scope=scope, code=code, object_type=obj._meta.label_lower,
                       object_id=str(obj.pk), label=label[:200], action=action, reason=reason.strip(),
                       actor=access.recorded_actor(acting_user))
        for y in years
    ])
