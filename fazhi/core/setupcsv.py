"""CSV in and out of org units and users, for the first set-up of a district (`fazhi units|users
import|export FILE.csv`).

Files are read as UTF-8 (with or without the BOM Excel writes) or else GB18030 (what Excel and WPS
save as "CSV" on a Chinese Windows); they are written as UTF-8 with a BOM, so Excel opens them right.
An import is all or nothing: every row is checked first, every problem is reported naming its row (the
header is row 1) and column, and only a file without problems is written, in one transaction.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import transaction

from .access import AccessDenied, ActingUser
from .errors import FazhiError
from .models import Membership, OrgUnit, OrgUnitKind, Role
from .services import CoreError, orgunit_create, user_create

if TYPE_CHECKING:
    # Aliased: the functions below name the model class `User` locally (get_user_model()).
    from django.contrib.auth.models import User as AuthUser

UNIT_COLUMNS = ["名称", "类型", "上级单位", "行政区划代码", "常住人口"]
USER_COLUMNS = ["用户名", "姓名", "初始密码", "角色", "单位", "状态"]
PATH_SEPARATOR = "/"


@dataclass(frozen=True)
class CsvProblem:
    row: int  # 1 is the header
    column: str
    message: str

    def __str__(self) -> str:
        return f"第{self.row}行“{self.column}”列：{self.message}" if self.column else f"第{self.row}行：{self.message}"


class SetupCsvErrorCode(StrEnum):
    FILE_REFUSED = "setup_csv_refused"  # a units/users CSV with faults; `problems` names each row and column


class CsvImportError(FazhiError, ValueError):
    """The file was refused as a whole; `problems` lists every row and column at fault."""

    def __init__(self, problems: list[CsvProblem]):
        self.problems = problems
        super().__init__(SetupCsvErrorCode.FILE_REFUSED, "\n".join(str(p) for p in problems))


def csv_text_read(data: bytes) -> str:
    """Decode a CSV file: UTF-8 (a BOM is dropped), else GB18030."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise CsvImportError([CsvProblem(1, "", "文件既不是 UTF-8 也不是 GB18030 编码")]) from exc


def _rows(data: bytes, columns: list[str]) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(csv_text_read(data)))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in columns if c not in header]
    if missing:
        raise CsvImportError([CsvProblem(1, c, "缺少这一列") for c in missing])
    reader.fieldnames = header
    return [(index + 2, {k: (v or "").strip() for k, v in row.items() if k}) for index, row in enumerate(reader)
            if any((v or "").strip() for k, v in row.items() if k)]


def unit_path(unit: OrgUnit, names: dict[int, tuple[str, int | None]]) -> str:
    parts: list[str] = []
    current: int | None = unit.pk
    while current is not None:
        name, parent = names[current]
        parts.append(name)
        current = parent
    return PATH_SEPARATOR.join(reversed(parts))


def _existing_paths() -> dict[str, OrgUnit]:
    units = list(OrgUnit.objects.all())
    names = {u.pk: (u.name, u.parent_id) for u in units}
    return {unit_path(u, names): u for u in units}


def _kind(text: str) -> str | None:
    for value, label in OrgUnitKind.choices:
        if text in (value, label):
            return value
    return None


def units_export(path: Path) -> int:
    units = list(OrgUnit.objects.order_by("depth", "pk"))
    names = {u.pk: (u.name, u.parent_id) for u in units}
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(UNIT_COLUMNS)
        for u in units:
            parent = unit_path(u, names).rsplit(PATH_SEPARATOR, 1)[0] if u.parent_id else ""
            writer.writerow([u.name, u.get_kind_display(), parent, u.division_code,
                             "" if u.population is None else u.population])
    return len(units)


def units_import(*, acting_user: ActingUser, data: bytes) -> list[OrgUnit]:
    """Create the units of a CSV (名称, 类型, 上级单位 as a path 某市/某区, 行政区划代码, 常住人口); a parent
    may be an existing unit or one of an earlier row."""
    rows = _rows(data, UNIT_COLUMNS)
    existing = _existing_paths()
    planned: dict[str, int] = {}
    problems: list[CsvProblem] = []
    for number, row in rows:
        name, parent = row["名称"], row["上级单位"].strip(PATH_SEPARATOR)
        if not name:
            problems.append(CsvProblem(number, "名称", "不能为空"))
        elif PATH_SEPARATOR in name:
            problems.append(CsvProblem(number, "名称", f"不能含“{PATH_SEPARATOR}”"))
        if _kind(row["类型"]) is None:
            labels = "、".join(label for _, label in OrgUnitKind.choices)
            problems.append(CsvProblem(number, "类型", f"“{row['类型']}”不是单位类型（{labels}）"))
        if parent and parent not in existing and parent not in planned:
            problems.append(CsvProblem(number, "上级单位", f"“{parent}”既不是已有单位，也不在前面的行中"))
        code = row["行政区划代码"]
        if code and not (code.isdigit() and len(code) in (6, 9, 12)):
            problems.append(CsvProblem(number, "行政区划代码", "应为6、9或12位数字"))
        population = row["常住人口"].replace(",", "")
        if population and not population.isdigit():
            problems.append(CsvProblem(number, "常住人口", "应为非负整数"))
        own = f"{parent}{PATH_SEPARATOR}{name}" if parent else name
        if name and own in existing:
            problems.append(CsvProblem(number, "名称", f"单位“{own}”已存在"))
        elif name and own in planned:
            problems.append(CsvProblem(number, "名称", f"与第{planned[own]}行重复"))
        elif name:
            planned[own] = number
    if problems:
        raise CsvImportError(problems)
    created: list[OrgUnit] = []
    units = dict(existing)
    with transaction.atomic():
        for number, row in rows:
            parent = row["上级单位"].strip(PATH_SEPARATOR)
            population = row["常住人口"].replace(",", "")
            kind = _kind(row["类型"])
            assert kind is not None  # every row's 类型 was checked above
            try:
                unit = orgunit_create(acting_user=acting_user, name=row["名称"], kind=kind,
                                      parent=units[parent] if parent else None, division_code=row["行政区划代码"],
                                      population=int(population) if population else None)
            except (CoreError, AccessDenied) as exc:
                raise CsvImportError([CsvProblem(number, "", str(exc))]) from exc
            units[f"{parent}{PATH_SEPARATOR}{unit.name}" if parent else unit.name] = unit
            created.append(unit)
    return created


def _role(text: str, roles: list[Role]) -> Role | None:
    return next((r for r in roles if text in (r.code, r.name)), None)


def users_export(path: Path) -> int:
    """One row per role held (a user without a role: one row with 角色 and 单位 empty); no password."""
    User = get_user_model()
    names = {u.pk: (u.name, u.parent_id) for u in OrgUnit.objects.all()}
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(USER_COLUMNS)
        for user in User.objects.order_by("username"):
            status = "启用" if user.is_active else "停用"
            memberships: list[Membership | None] = list(Membership.objects.filter(user=user).select_related("role", "org_unit").order_by("pk"))
            for m in memberships or [None]:
                writer.writerow([user.username, user.first_name, "", m.role.name if m else "",
                                 unit_path(m.org_unit, names) if m else "", status])
            count += 1
    return count


def users_import(*, acting_user: ActingUser, data: bytes) -> list[AuthUser]:
    """Create the users of a CSV (用户名, 姓名, 初始密码, 角色, 单位 as a path, 状态); a user holding several
    roles takes several rows, the password in the first."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    rows = _rows(data, USER_COLUMNS)
    User = get_user_model()
    units = _existing_paths()
    roles = list(Role.objects.all())
    taken = set(User.objects.filter(username__in=[r["用户名"] for _, r in rows]).values_list("username", flat=True))
    first_row: dict[str, int] = {}
    problems: list[CsvProblem] = []
    for number, row in rows:
        username = row["用户名"]
        if not username:
            problems.append(CsvProblem(number, "用户名", "不能为空"))
            continue
        if username in taken:
            problems.append(CsvProblem(number, "用户名", f"用户 {username} 已存在"))
        new = username not in first_row
        if new:
            first_row[username] = number
            if not row["初始密码"]:
                problems.append(CsvProblem(number, "初始密码", "新用户的第一行须有初始密码"))
            else:
                try:
                    validate_password(row["初始密码"], User(username=username, first_name=row["姓名"]))
                except ValidationError as exc:
                    problems.append(CsvProblem(number, "初始密码", "；".join(exc.messages)))
        elif row["初始密码"]:
            problems.append(CsvProblem(number, "初始密码", f"只在该用户的第一行（第{first_row[username]}行）填写"))
        if row["角色"] or row["单位"]:
            if _role(row["角色"], roles) is None:
                problems.append(CsvProblem(number, "角色", f"“{row['角色']}”不是角色的代码或名称"))
            if row["单位"].strip(PATH_SEPARATOR) not in units:
                problems.append(CsvProblem(number, "单位", f"没有单位“{row['单位']}”"))
        if row["状态"] not in ("", "启用", "停用"):
            problems.append(CsvProblem(number, "状态", "应为“启用”或“停用”"))
    if problems:
        raise CsvImportError(problems)
    from .services import membership_grant, user_deactivate

    created: dict[str, AuthUser] = {}
    with transaction.atomic():
        for number, row in rows:
            username = row["用户名"]
            role = _role(row["角色"], roles) if row["角色"] else None
            unit = units[row["单位"].strip(PATH_SEPARATOR)] if row["单位"] else None
            try:
                if username not in created:
                    created[username] = user_create(acting_user=acting_user, username=username,
                                                    password=row["初始密码"], full_name=row["姓名"],
                                                    role=role, org_unit=unit)
                elif role is not None and unit is not None:
                    membership_grant(acting_user=acting_user, user=created[username], role=role, org_unit=unit)
                if row["状态"] == "停用":
                    user_deactivate(acting_user=acting_user, user=created[username])
            except (CoreError, AccessDenied) as exc:
                raise CsvImportError([CsvProblem(number, "", str(exc))]) from exc
    return list(created.values())
