"""Writes to core data. Each service runs in one transaction and appends one audit event."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction

from . import access
from .access import ActingUser, Perm
from .audit import audit_diff, audit_event_write, audit_events_write_many
from .auditactions import AuditAction
from .errors import CoreErrorCode, FazhiError
from .holidaynotice import HolidayArrangement
from .identity import IdentityError, credit_code_normalize, id_number_normalize
from .models import (
    CalendarDay,
    Entity,
    Membership,
    Notice,
    NoticeTopic,
    OrgUnit,
    OrgUnitClosure,
    Person,
    Role,
)
from .workdays import workday_calendar_invalidate

if TYPE_CHECKING:
    # Aliased: user_create names the model class `User` locally (get_user_model()).
    from django.contrib.auth.models import User as AuthUser

    from .models import PeriodClose


class CoreError(FazhiError, ValueError):
    """Input that core data cannot accept; `code` is a CoreErrorCode, the message names the field, in Chinese."""


def _closure_add(unit: OrgUnit) -> None:
    rows = [OrgUnitClosure(ancestor=unit, descendant=unit, distance=0)]
    if unit.parent_id:
        rows += [
            OrgUnitClosure(ancestor_id=a, descendant=unit, distance=d + 1)
            for a, d in OrgUnitClosure.objects.filter(descendant_id=unit.parent_id).values_list(
                "ancestor_id", "distance"
            )
        ]
    OrgUnitClosure.objects.bulk_create(rows)


def orgunit_create(
    *,
    acting_user: ActingUser,
    name: str,
    kind: str,
    parent: OrgUnit | None = None,
    division_code: str = "",
    population: int | None = None,
    opened_on: dt.date | None = None,
) -> OrgUnit:
    if parent is None:
        if acting_user is not None and not acting_user.is_superuser:
            raise access.AccessDenied("只有系统管理员可以创建顶级单位")
    else:
        access.require(acting_user, Perm.UNIT_WRITE, parent)
    with transaction.atomic():
        unit = OrgUnit.objects.create(
            name=name,
            kind=kind,
            parent=parent,
            division_code=division_code,
            population=population,
            opened_on=opened_on,
            depth=parent.depth + 1 if parent else 0,
        )
        _closure_add(unit)
        audit_event_write(
            actor=acting_user,
            action=AuditAction.ORGUNIT_CREATE,
            obj=unit,
            org_unit=unit,
            diff=audit_diff({}, {"name": name, "kind": kind, "parent": parent, "population": population}),
        )
    return unit


def orgunit_update(*, acting_user: ActingUser, unit: OrgUnit, **changes: str | int | dt.date | None) -> OrgUnit:
    allowed = {"name", "division_code", "population", "opened_on", "closed_on"}
    unknown = set(changes) - allowed
    if unknown:
        raise CoreError(CoreErrorCode.FIELD_NOT_EDITABLE, f"不能修改字段：{'、'.join(sorted(unknown))}")
    access.require(acting_user, Perm.UNIT_WRITE, unit)
    with transaction.atomic():
        unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
        before = {k: getattr(unit, k) for k in changes}
        for key, value in changes.items():
            setattr(unit, key, value)
        unit.save(update_fields=list(changes))
        audit_event_write(
            actor=acting_user, action=AuditAction.ORGUNIT_UPDATE, obj=unit, org_unit=unit, diff=audit_diff(before, changes)
        )
    return unit


def orgunit_move(*, acting_user: ActingUser, unit: OrgUnit, new_parent: OrgUnit) -> OrgUnit:
    """Re-attach a subtree (e.g. a town merged into another street); rewrites its closure rows."""
    access.require(acting_user, Perm.UNIT_WRITE, unit)
    access.require(acting_user, Perm.UNIT_WRITE, new_parent)
    if OrgUnitClosure.objects.filter(ancestor=unit, descendant=new_parent).exists():
        raise CoreError(CoreErrorCode.UNIT_MOVE_INVALID, "不能把单位移动到它自己的下级单位之下")
    with transaction.atomic():
        old_parent_id = unit.parent_id
        subtree = list(OrgUnitClosure.objects.filter(ancestor=unit).values_list("descendant_id", "distance"))
        subtree_ids = [d for d, _ in subtree]
        # Drop links from the old ancestors into the subtree, keep links inside it.
        OrgUnitClosure.objects.filter(descendant_id__in=subtree_ids).exclude(ancestor_id__in=subtree_ids).delete()
        new_ancestors = list(
            OrgUnitClosure.objects.filter(descendant=new_parent).values_list("ancestor_id", "distance")
        )
        OrgUnitClosure.objects.bulk_create(
            [
                OrgUnitClosure(ancestor_id=a, descendant_id=d, distance=ad + dd + 1)
                for a, ad in new_ancestors
                for d, dd in subtree
            ]
        )
        depth_shift = new_parent.depth + 1 - unit.depth
        for descendant_id, distance in subtree:
            OrgUnit.objects.filter(pk=descendant_id).update(depth=unit.depth + depth_shift + distance)
        OrgUnit.objects.filter(pk=unit.pk).update(parent=new_parent)
        unit.refresh_from_db()
        audit_event_write(
            actor=acting_user,
            action=AuditAction.ORGUNIT_MOVE,
            obj=unit,
            org_unit=unit,
            diff={"parent": [old_parent_id, new_parent.pk]},
        )
    return unit


def person_create(
    *, acting_user: ActingUser, org_unit: OrgUnit, name: str, id_number: str = "", phone: str = "", address: str = ""
) -> Person:
    access.require(acting_user, Perm.UNIT_WRITE, org_unit)
    if not name.strip():
        raise CoreError(CoreErrorCode.FIELD_REQUIRED, "姓名不能为空", field="name")
    if id_number:
        try:
            id_number = id_number_normalize(id_number)
        except IdentityError as exc:
            raise CoreError(exc.code, f"身份证号：{exc}", field="id_number") from exc
    with transaction.atomic():
        person = Person.objects.create(
            org_unit=org_unit, name=name.strip(), id_number=id_number, phone=phone, address=address
        )
        # The audit trail never holds a full 身份证号 or phone number.
        audit_event_write(
            actor=acting_user,
            action=AuditAction.PERSON_CREATE,
            obj=person,
            org_unit=org_unit,
            diff={"name": [None, person.name], "id_number": [None, person.masked_id_number]},
        )
    return person


def persons_bulk_create(
    *, acting_user: ActingUser, org_unit: OrgUnit, people: list[tuple[str, str, str]]
) -> list[Person]:
    """Register many people at once (name, 身份证号, phone), all or nothing; one audit row each."""
    from .audit import audit_events_write_many

    access.require(acting_user, Perm.UNIT_WRITE, org_unit)
    rows = []
    for index, (name, id_number, phone) in enumerate(people):
        if not name.strip():
            raise CoreError(CoreErrorCode.FIELD_REQUIRED, f"第{index + 1}人：姓名不能为空", field="name")
        try:
            id_number = id_number_normalize(id_number) if id_number else ""
        except IdentityError as exc:
            raise CoreError(exc.code, f"第{index + 1}人（{name}）身份证号：{exc}", field="id_number") from exc
        rows.append(Person(org_unit=org_unit, name=name.strip(), id_number=id_number, phone=phone))
    with transaction.atomic():
        created = Person.objects.bulk_create(rows, batch_size=2000)
        audit_events_write_many(
            actor=acting_user, action=AuditAction.PERSON_CREATE,
            rows=[(p, org_unit, {"name": [None, p.name], "id_number": [None, p.masked_id_number]}) for p in created],
        )
    return created


def entity_create(
    *, acting_user: ActingUser, org_unit: OrgUnit, name: str, credit_code: str, industry: str = ""
) -> Entity:
    access.require(acting_user, Perm.UNIT_WRITE, org_unit)
    try:
        credit_code = credit_code_normalize(credit_code)
    except IdentityError as exc:
        raise CoreError(exc.code, f"统一社会信用代码：{exc}", field="credit_code") from exc
    if Entity.objects.filter(credit_code=credit_code).exists():
        raise CoreError(CoreErrorCode.CREDIT_CODE_DUPLICATE, f"统一社会信用代码 {credit_code} 已登记",
                        field="credit_code")
    with transaction.atomic():
        entity = Entity.objects.create(org_unit=org_unit, name=name, credit_code=credit_code, industry=industry)
        audit_event_write(
            actor=acting_user,
            action=AuditAction.ENTITY_CREATE,
            obj=entity,
            org_unit=org_unit,
            diff=audit_diff({}, {"name": name, "credit_code": credit_code, "industry": industry}),
        )
    return entity


def entity_for_credit_code(*, acting_user: ActingUser, org_unit: OrgUnit, credit_code: str, name: str = "") -> Entity:
    """The market entity with this 统一社会信用代码, registered (in `org_unit`, with `name`) the first
    time it is named."""
    try:
        code = credit_code_normalize(credit_code)
    except IdentityError as exc:
        raise CoreError(exc.code, f"统一社会信用代码：{exc}", field="credit_code") from exc
    existing = Entity.objects.filter(credit_code=code).first()
    if existing is not None:
        return existing
    if not name.strip():
        raise CoreError(CoreErrorCode.CREDIT_CODE_UNKNOWN, f"统一社会信用代码 {code} 尚未登记，请同时填写市场主体名称",
                        field="name")
    return entity_create(acting_user=acting_user, org_unit=org_unit, name=name.strip(), credit_code=code)


def entities_bulk_create(
    *, acting_user: ActingUser, org_unit: OrgUnit, entities: list[tuple[str, str, str]]
) -> list[Entity]:
    """Register many market entities at once (name, 统一社会信用代码, industry), all or nothing; one audit
    row each. A bad or already registered code refuses the whole batch, naming its row."""
    from .audit import audit_events_write_many

    access.require(acting_user, Perm.UNIT_WRITE, org_unit)
    rows: list[Entity] = []
    seen: dict[str, int] = {}
    for index, (name, credit_code, industry) in enumerate(entities):
        if not name.strip():
            raise CoreError(CoreErrorCode.FIELD_REQUIRED, f"第{index + 1}户：名称不能为空", field="name")
        try:
            code = credit_code_normalize(credit_code)
        except IdentityError as exc:
            raise CoreError(exc.code, f"第{index + 1}户（{name}）统一社会信用代码：{exc}", field="credit_code") from exc
        if code in seen:
            raise CoreError(CoreErrorCode.CREDIT_CODE_DUPLICATE,
                            f"第{index + 1}户（{name}）统一社会信用代码与第{seen[code]}户重复", field="credit_code")
        seen[code] = index + 1
        rows.append(Entity(org_unit=org_unit, name=name.strip(), credit_code=code, industry=industry))
    taken = set(Entity.objects.filter(credit_code__in=list(seen)).values_list("credit_code", flat=True))
    if taken:
        code = sorted(taken)[0]
        raise CoreError(CoreErrorCode.CREDIT_CODE_DUPLICATE, f"第{seen[code]}户统一社会信用代码 {code} 已登记",
                        field="credit_code")
    with transaction.atomic():
        created = Entity.objects.bulk_create(rows, batch_size=2000)
        audit_events_write_many(
            actor=acting_user, action=AuditAction.ENTITY_CREATE,
            rows=[(e, org_unit, {"name": [None, e.name], "credit_code": [None, e.credit_code]}) for e in created],
        )
    return created


def _password_check(password: str, user: AuthUser | None = None) -> None:
    """Django's password validators (settings.AUTH_PASSWORD_VALIDATORS) apply to every password set here."""
    from django.contrib.auth.password_validation import validate_password

    try:
        validate_password(password, user)
    except ValidationError as exc:
        # ASVS 2.1: the password rules of AUTH_PASSWORD_VALIDATORS, checked against the user's names
        raise CoreError(CoreErrorCode.PASSWORD_TOO_WEAK, "密码不符合要求：" + "；".join(exc.messages),
                        field="password") from exc


def user_administrable(acting_user: ActingUser, user: AuthUser) -> bool:
    """May `acting_user` administer `user` (deactivate, reset the password, revoke roles)? A superuser
    may administer anyone; an administrator (user.admin) only a user all of whose memberships lie in the
    units they administer — never a superuser, nor a user with no role (whom only a superuser sees)."""
    if acting_user is None or (acting_user.is_authenticated and acting_user.is_active and acting_user.is_superuser):
        return True
    if user.is_superuser or user.pk == getattr(acting_user, "pk", None):
        return False
    memberships = Membership.objects.filter(user=user)
    if not memberships.exists():
        return False
    administered = access.units_where(acting_user, Perm.USER_ADMIN).values("pk")
    return not memberships.exclude(org_unit_id__in=administered).exists()


def _user_admin_require(acting_user: ActingUser, user: AuthUser) -> None:
    if not user_administrable(acting_user, user):
        raise access.AccessDenied(f"无权管理用户 {user.username}")


def user_create(*, acting_user: ActingUser, username: str, password: str, full_name: str = "", is_staff: bool = False,
                role: Role | None = None, org_unit: OrgUnit | None = None) -> AuthUser:
    """Create a user; with `role` and `org_unit`, grant that role in the same transaction. A superuser may
    create any user; an administrator (user.admin) only one given a role inside the units they administer."""
    superuser = acting_user is None or acting_user.is_superuser
    if not superuser:
        if role is None or org_unit is None:
            raise access.AccessDenied("只有系统管理员可以创建不属于任何单位的用户")
        access.require(acting_user, Perm.USER_ADMIN, org_unit, action="创建用户")
        if is_staff:
            raise access.AccessDenied("只有系统管理员可以创建后台管理用户")
    username = (username or "").strip()
    if not username:
        raise CoreError(CoreErrorCode.FIELD_REQUIRED, "用户名不能为空", field="username")
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise CoreError(CoreErrorCode.USERNAME_TAKEN, f"用户名 {username} 已存在", field="username")
    _password_check(password, User(username=username, first_name=full_name))
    with transaction.atomic():
        user = User.objects.create_user(username=username, password=password, first_name=full_name)
        if is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        audit_event_write(
            actor=acting_user,
            action=AuditAction.USER_CREATE,
            obj=user,
            org_unit=org_unit,
            diff={"username": [None, username], "full_name": [None, full_name], "is_staff": [None, is_staff]},
        )
        if role is not None and org_unit is not None:
            membership_grant(acting_user=acting_user, user=user, role=role, org_unit=org_unit)
    return user


def user_update(*, acting_user: ActingUser, user: AuthUser, full_name: str) -> AuthUser:
    """Change a user's display name."""
    _user_admin_require(acting_user, user)
    with transaction.atomic():
        before = user.first_name
        user.first_name = full_name.strip()
        user.save(update_fields=["first_name"])
        audit_event_write(actor=acting_user, action=AuditAction.USER_UPDATE, obj=user,
                          diff={"full_name": [before, user.first_name]})
    return user


def user_deactivate(*, acting_user: ActingUser, user: AuthUser, active: bool = False) -> AuthUser:
    """Deactivate (active=False) or reactivate a user; a deactivated user cannot log in and is refused
    everything (access checks is_active), while the records and audit rows naming them stay."""
    _user_admin_require(acting_user, user)
    with transaction.atomic():
        if user.is_active != active:
            user.is_active = active
            user.save(update_fields=["is_active"])
            audit_event_write(actor=acting_user, action=AuditAction.USER_ACTIVATE if active else AuditAction.USER_DEACTIVATE,
                              obj=user, diff={"is_active": [not active, active]})
    return user


def user_password_reset(*, acting_user: ActingUser, user: AuthUser, password: str) -> AuthUser:
    """An administrator sets a new password (validated); the password itself is never audited."""
    _user_admin_require(acting_user, user)
    _password_check(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit_event_write(actor=acting_user, action=AuditAction.USER_PASSWORD_RESET, obj=user, diff={"password": "已重置"})
    return user


def membership_grant(*, acting_user: ActingUser, user: AuthUser, role: Role, org_unit: OrgUnit) -> Membership:
    """Give `user` the role over the subtree of `org_unit`; only an administrator of that unit may."""
    if not access.may(acting_user, Perm.UNIT_ADMIN, org_unit):
        raise access.AccessDenied(f"只有“{org_unit.name}”的管理员可以授权")
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(user=user, role=role, org_unit=org_unit)
        if created:
            audit_event_write(
                actor=acting_user,
                action=AuditAction.MEMBERSHIP_GRANT,
                obj=membership,
                org_unit=org_unit,
                diff={"user": [None, user.username], "role": [None, role.code], "org_unit": [None, org_unit.pk]},
            )
    return membership


def membership_revoke(*, acting_user: ActingUser, membership: Membership) -> None:
    """Take a role back; only an administrator of the membership's unit may."""
    org_unit = membership.org_unit
    if not access.may(acting_user, Perm.UNIT_ADMIN, org_unit):
        raise access.AccessDenied(f"只有“{org_unit.name}”的管理员可以撤销授权")
    with transaction.atomic():
        pk = membership.pk
        audit_event_write(
            actor=acting_user, action=AuditAction.MEMBERSHIP_REVOKE, obj=membership, org_unit=org_unit,
            diff={"user": [membership.user.username, None], "role": [membership.role.code, None],
                  "org_unit": [org_unit.pk, None]},
        )
        membership.delete()
        membership.pk = pk


def _calendar_manage_check(acting_user: ActingUser) -> None:
    if not access.may(acting_user, Perm.CALENDAR_MANAGE, None):
        raise access.AccessDenied("只有系统管理员可以修改节假日安排")


def calendarday_set(*, acting_user: ActingUser, date: dt.date, kind: str | None, name: str = "") -> None:
    """Mark a date as holiday or make-up workday; kind=None restores the ordinary week."""
    _calendar_manage_check(acting_user)
    with transaction.atomic():
        existing = CalendarDay.objects.filter(date=date).first()
        before = {"kind": existing.kind, "name": existing.name} if existing else {}
        if kind is None:
            if existing:
                pk = existing.pk
                existing.delete()
                existing.pk = pk  # keep the id for the audit row
            obj = existing
        else:
            obj, _ = CalendarDay.objects.update_or_create(date=date, defaults={"kind": kind, "name": name})
        if obj is not None:
            audit_event_write(
                actor=acting_user,
                action=AuditAction.CALENDAR_SET,
                obj=obj,
                diff=audit_diff(before, {"kind": kind, "name": name} if kind else {}),
            )
        transaction.on_commit(workday_calendar_invalidate)
    workday_calendar_invalidate()


def calendar_year_set(*, acting_user: ActingUser, arrangement: HolidayArrangement) -> int:
    """Replace one year's holidays and 调休 workdays with those a State Council notice announces
    (holidaynotice.holiday_notice_read), in one transaction with one audit row; returns the days written.

    Every stored day of that year goes, so a day the new text no longer lists becomes ordinary again.
    Clocks already computed keep their dates; new computations read the new calendar."""
    _calendar_manage_check(acting_user)
    entries = arrangement.entries()
    with transaction.atomic(durable=True):
        stale = (CalendarDay.objects.filter(date__year=arrangement.year)
                 | CalendarDay.objects.filter(date__in=[day for day, _, _ in entries]))
        before = {d.isoformat(): f"{k}:{n}" for d, k, n in stale.order_by("date").values_list("date", "kind", "name")}
        stale.delete()
        CalendarDay.objects.bulk_create([CalendarDay(date=day, kind=kind, name=name) for day, kind, name in entries])
        after = {day.isoformat(): f"{kind}:{name}" for day, kind, name in entries}
        changed = {day: [before.get(day), after.get(day)] for day in sorted(set(before) | set(after))
                   if before.get(day) != after.get(day)}
        audit_event_write(actor=acting_user, action=AuditAction.CALENDAR_YEAR_SET, obj=None,
                          object_type="calendar_year", object_id=str(arrangement.year), diff=changed)
        transaction.on_commit(workday_calendar_invalidate)
    workday_calendar_invalidate()
    return len(entries)


def personal_data_view_record(*, acting_user: ActingUser, obj: models.Model, org_unit: OrgUnit, fields: list[str]) -> None:
    """Record that a user was shown full personal data (身份证号, phone) of an object (DESIGN §9)."""
    if not access.may(acting_user, Perm.PERSONAL_DATA_VIEW, org_unit):
        raise access.AccessDenied("无权查看完整个人信息")
    with transaction.atomic():
        audit_event_write(actor=acting_user, action=AuditAction.PERSONAL_DATA_VIEW, obj=obj, org_unit=org_unit,
                          diff={"fields": fields})


def _close_scope_check(scope: str, code: str) -> tuple[str, str]:
    from .closing import ClosingError, ClosingErrorCode
    from .models import PeriodCloseScope

    if scope not in PeriodCloseScope.values:
        raise ClosingError(ClosingErrorCode.SCOPE_INVALID, f"关账范围“{scope}”无效")
    code = (code or "").strip()
    if scope == PeriodCloseScope.ALL:
        return scope, ""
    if not code:
        raise ClosingError(ClosingErrorCode.SCOPE_INVALID, "按登记簿或数据集关账时须指明其代码")
    return scope, code


def period_close(*, acting_user: ActingUser, org_unit: OrgUnit, year: int, scope: str = "all", code: str = ""
                 ) -> PeriodClose:
    """Close `year` for the subtree of `org_unit` (all registers and data sets, or one of them).

    The caller (a view or command) checks that `code` names a register or data set: core does not know them."""
    from .closing import ClosingError, ClosingErrorCode
    from .models import PeriodClose

    access.require(acting_user, Perm.PERIOD_CLOSE, org_unit)
    if not 2000 <= int(year) <= 2100:
        raise ClosingError(ClosingErrorCode.YEAR_INVALID, f"年度 {year} 无效")
    scope, code = _close_scope_check(scope, code)
    with transaction.atomic():
        close, created = PeriodClose.objects.get_or_create(
            year=year, org_unit=org_unit, scope=scope, code=code,
            defaults={"closed_by": access.recorded_actor(acting_user)})
        if not created:
            raise ClosingError(ClosingErrorCode.ALREADY_CLOSED, f"{year}年已关账", year=year)
        audit_event_write(actor=acting_user, action=AuditAction.PERIOD_CLOSE, obj=close, org_unit=org_unit,
                          diff={"year": [None, year], "scope": [None, scope], "code": [None, code]})
    return close


def period_reopen(*, acting_user: ActingUser, org_unit: OrgUnit, year: int, scope: str = "all", code: str = "",
                  reason: str) -> None:
    """Reopen a closed year (a reason is required; the audit trail keeps the close and the reopening)."""
    from .closing import ClosingError, ClosingErrorCode
    from .models import PeriodClose

    access.require(acting_user, Perm.PERIOD_CLOSE, org_unit)
    scope, code = _close_scope_check(scope, code)
    if not reason.strip():
        raise ClosingError(ClosingErrorCode.REASON_REQUIRED, "重新开账须写明理由", year=year)
    with transaction.atomic():
        close = PeriodClose.objects.select_for_update().filter(
            year=year, org_unit=org_unit, scope=scope, code=code).first()
        if close is None:
            raise ClosingError(ClosingErrorCode.NOT_CLOSED, f"{year}年未关账", year=year)
        audit_event_write(actor=acting_user, action=AuditAction.PERIOD_REOPEN, obj=close, org_unit=org_unit,
                          diff={"year": [year, None], "scope": [scope, None], "code": [code, None],
                                "reason": reason.strip()})
        close.delete()


# --- 催报 (reminders) -------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def notices_send(*, acting_user: ActingUser, org_units: list[OrgUnit], topic: NoticeTopic, subject: str,
                 title: str, period_code: str = "", due_on: dt.date | None = None) -> list[Notice]:
    """催报: one notice to each unit (reminder.send over it), one audit row per notice. A unit that still
    has an unread notice about the same thing gets no second one. The caller (a view) picks the units that
    have not submitted: core knows no data set or section."""
    from django.utils import timezone

    for unit in org_units:
        access.require(acting_user, Perm.REMINDER_SEND, unit)
    pending = set(Notice.objects.filter(org_unit__in=org_units, topic=topic, subject=subject, period_code=period_code,
                                        read_at__isnull=True).values_list("org_unit_id", flat=True))
    sent_by = access.recorded_actor(acting_user)
    notices = [Notice.objects.create(org_unit=unit, topic=topic, subject=subject, period_code=period_code,
                                     title=title[:200], due_on=due_on, sent_by=sent_by)
               for unit in org_units if unit.pk not in pending]
    audit_events_write_many(actor=acting_user, action=AuditAction.NOTICE_SENT, rows=[
        (n, n.org_unit, {"topic": [None, str(topic)], "subject": [None, subject], "period": [None, period_code],
                         "sent_at": [None, timezone.localdate().isoformat()]})
        for n in notices
    ])
    return notices


@transaction.atomic(durable=True)
def notice_mark_read(*, acting_user: ActingUser, notice: Notice) -> Notice:
    """A user of the recipient unit (unit.write over it: not a read-only leader) has read the notice."""
    from django.utils import timezone

    access.require(acting_user, Perm.UNIT_WRITE, notice.org_unit)
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.read_by = access.recorded_actor(acting_user)
        notice.save(update_fields=["read_at", "read_by"])
        audit_event_write(actor=acting_user, action=AuditAction.NOTICE_READ, obj=notice, org_unit=notice.org_unit,
                          diff={"read_at": [None, notice.read_at]})
    return notice
