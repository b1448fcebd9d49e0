"""The 登记簿 menu of every page: the registers a user works with, grouped by their `menu_group`."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import SimpleLazyObject

from fazhi.core import access
from fazhi.core.access import Perm
from fazhi.registers.definitions import RegisterDefinition
from fazhi.registers.registry import register_definitions
from fazhi.registers.selectors import records_visible

OTHER_GROUP = "其他"


@dataclass
class MenuGroup:
    name: str
    registers: list[RegisterDefinition] = field(default_factory=list)


def register_menu(user) -> list[MenuGroup]:
    """Registers holding records the user may read, and those the user may register in (an empty register a
    clerk is to fill still belongs in the menu); everything for whoever reads every unit. Two queries."""
    definitions = register_definitions()
    if not access.may_somewhere(user, Perm.UNIT_READ):
        return []
    with_records = set(records_visible(user).order_by().values_list("register", flat=True).distinct())
    creatable = {d.code for d in access.definitions_where(user, Perm.RECORD_CREATE, definitions)}
    groups: dict[str, MenuGroup] = {}
    for definition in definitions:
        if definition.code in with_records or definition.code in creatable:
            name = definition.menu_group or OTHER_GROUP
            groups.setdefault(name, MenuGroup(name)).registers.append(definition)
    return list(groups.values())


def navigation(request) -> dict:
    """Context processor: the menu, computed only when a page renders it (not for redirects or the API)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"register_menu": SimpleLazyObject(lambda: register_menu(user))}
