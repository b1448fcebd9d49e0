"""Reads of core data that pages need beyond access.py: the unread 催报 notices of a user's units."""

from __future__ import annotations

from django.db.models import QuerySet

from . import access
from .access import ActingUser, Perm
from .models import Notice, NoticeTopic, OrgUnit


def notices_unread(user: ActingUser, *, topic: NoticeTopic, units: QuerySet[OrgUnit] | None = None) -> QuerySet[Notice]:
    """Unread notices about `topic` sent to units the user writes for (`units`: narrower, e.g. the units
    where the user may enter that data set); never the notices of units outside the jurisdiction."""
    writable = access.units_where(user, Perm.UNIT_WRITE).values("pk")
    queryset = Notice.objects.filter(topic=topic, read_at__isnull=True, org_unit__in=writable)
    if units is not None:
        queryset = queryset.filter(org_unit__in=units.values("pk"))
    return queryset.select_related("org_unit", "sent_by").order_by("-sent_at", "-pk")


def notice_get(user: ActingUser, *, pk: int) -> Notice:
    """An unread or read notice of a unit the user writes for; Notice.DoesNotExist otherwise (a 404)."""
    return Notice.objects.filter(org_unit__in=access.units_where(user, Perm.UNIT_WRITE).values("pk")).get(pk=pk)
