"""The navigation of every page: the 登记簿 menu (the registers a user works with, grouped by their
`menu_group`) and the 待办 counts (my overdue and due-soon deadlines, everything to do). Both are computed once
per user and data version (core.dataversion) and then read from the worker's cache."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from fazhi.core import access
from fazhi.core.access import Perm
from fazhi.core.dataversion import version_cached
from fazhi.registers.registry import register_definitions
from fazhi.registers.selectors import records_visible

OTHER_GROUP = "其他"


@dataclass(frozen=True)
class MenuItem:
    code: str
    name: str
    url: str  # reversed once, when the menu is computed


@dataclass
class MenuGroup:
    name: str
    registers: list[MenuItem] = field(default_factory=list)


def register_menu(user) -> list[MenuGroup]:
    """register_menu_compute, cached per user, definitions and data version (memberships, units and records
    change the version)."""
    codes = tuple(d.code for d in register_definitions())
    return version_cached(("menu", user.pk, user.is_superuser, user.is_active, codes),
                          lambda: register_menu_compute(user))


def register_menu_compute(user) -> list[MenuGroup]:
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
            groups.setdefault(name, MenuGroup(name)).registers.append(
                MenuItem(definition.code, definition.name, reverse("web:record_list", args=[definition.code])))
    return list(groups.values())


def work_counts(user) -> dict[str, int]:
    """The navigation's 待办 counts: deadlines overdue and due within the workbench's default working days
    among the records awaiting the user, and every item of the workbench (the same cached computation)."""
    from .workbench_views import workbench_items

    items = workbench_items(user, today=timezone.localdate(), days=settings.FAZHI_WORKBENCH_DUE_WORKING_DAYS)
    return {"overdue": items["overdue"], "due_soon": items["due_soon"], "total": items["total"]}


def navigation(request) -> dict:
    """Context processor: the menu and the counts, computed only when a page renders them (not for redirects or
    the API)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"register_menu": SimpleLazyObject(lambda: register_menu(user)),
            "work_counts": SimpleLazyObject(lambda: work_counts(user)),
            # asked once for the two copies of the links (wide screens, phone menu)
            "nav_may_check": SimpleLazyObject(lambda: access.may_somewhere(user, Perm.REPORT_CHECK))}
