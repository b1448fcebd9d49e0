"""The roles and what each is granted: core/data/roles.yaml merged with every line's roles.yaml.

The role files are the source; `roles_sync` writes their codes and names into the Role table after
every migrate (so fresh databases and tests have them). Decisions read the grants from the files by
role code, never from the table: a role that only exists in the database is granted nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from .definitionfiles import (
    DefinitionError,
    DefinitionSummary,
    Problem,
    definition_files,
    error_at,
    model_from_file,
)
from .perms import Perm

if TYPE_CHECKING:
    from .models import Role

ROLES_FILE = Path(__file__).resolve().parent / "data" / "roles.yaml"


class RoleEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)
    name: str = Field(min_length=1, max_length=50)
    grants: list[str] = Field(min_length=1)


class RoleFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    roles: list[RoleEntry] = Field(min_length=1)


@dataclass(frozen=True)
class RoleDefinition:
    code: str
    name: str
    grants: frozenset[Perm]
    path: Path
    sha256: str


def _file_problems(f: RoleFile) -> list[Problem]:
    known = {p.value for p in Perm}
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, role in enumerate(f.roles):
        if role.code in seen:
            problems.append((("roles", i, "code"), f"角色代码重复：{role.code}"))
        seen.add(role.code)
        for j, grant in enumerate(role.grants):
            if grant not in known:
                problems.append((("roles", i, "grants", j), f"角色 {role.code} 的权限 {grant} 不存在（见 core/perms.py）"))
        # Jurisdiction is where one holds a role: a role that could not read its own units makes no sense.
        if Perm.UNIT_READ.value not in role.grants:
            problems.append((("roles", i, "grants"), f"角色 {role.code} 必须包含权限 {Perm.UNIT_READ.value}"))
    return problems


def role_files() -> list[Path]:
    """core/data/roles.yaml, then every `<line>/roles*.yaml` of the definition folders."""
    return [ROLES_FILE, *definition_files("roles")]


@dataclass
class RoleRegistry:
    roles: dict[str, RoleDefinition]
    errors: list[DefinitionError]


_registry: RoleRegistry | None = None


def roles_load(files: list[Path] | None = None) -> RoleRegistry:
    """(Re)read the role files; a file with errors contributes none of its roles, a code defined by
    two files is an error at the second."""
    global _registry
    roles: dict[str, RoleDefinition] = {}
    errors: list[DefinitionError] = []
    for path in files if files is not None else role_files():
        parsed_file, parsed, errs = model_from_file(path, RoleFile, _file_problems)
        errors += errs
        if parsed_file is None or parsed is None:
            continue
        for i, entry in enumerate(parsed_file.roles):
            if entry.code in roles:
                errors.append(error_at(path, ("roles", i, "code"), parsed.marks,
                                       f"角色代码 {entry.code} 与 {roles[entry.code].path} 重复"))
                continue
            roles[entry.code] = RoleDefinition(entry.code, entry.name, frozenset(Perm(g) for g in entry.grants),
                                               path, parsed.sha256)
    _registry = RoleRegistry(roles, errors)
    return _registry


def role_registry() -> RoleRegistry:
    return _registry if _registry is not None else roles_load()


def role_codes() -> frozenset[str]:
    """Every role code definitions may name."""
    return frozenset(role_registry().roles)


def role_grants(code: str) -> frozenset[Perm]:
    role = role_registry().roles.get(code)
    return role.grants if role else frozenset()


def roles_granted(perm: Perm) -> frozenset[str]:
    """Codes of the roles whose file grants `perm` (everywhere in their subtree)."""
    return frozenset(code for code, role in role_registry().roles.items() if perm in role.grants)


def roles_summaries() -> tuple[list[DefinitionSummary], list[DefinitionError]]:
    """The `role` definition kind, for `fazhi definitions` and the system check."""
    loaded = roles_load()
    return [DefinitionSummary(r.code, "role", r.name, 1, r.path, r.sha256) for r in loaded.roles.values()], loaded.errors


def roles_sync(role_model: type[Role], *, using: str = "default") -> None:
    """Write the role files' roles into the Role table (the historical model in migrations). The
    flags are derived from the grants, kept so the admin lists them truthfully; nothing decides by them."""
    for role in role_registry().roles.values():
        role_model.objects.using(using).update_or_create(code=role.code, defaults={
            "name": role.name,
            "read_only": Perm.UNIT_WRITE not in role.grants,
            "is_admin": Perm.UNIT_ADMIN in role.grants,
            "sees_personal_data": Perm.PERSONAL_DATA_VIEW in role.grants,
        })
