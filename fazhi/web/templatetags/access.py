"""Templates ask core.access the same question as views and services:
`{% load access %}{% may "snapshot.freeze" unit as can_freeze %}` (unit optional; definition= for the
permissions a definition gives, e.g. `{% may "record.transition" record.org_unit definition=t as ok %}`)."""

from django import template

from fazhi.core import access
from fazhi.core.access import Perm

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context, perm: str, unit=None, definition=None) -> bool:
    # Perm(perm) raises on a misspelt permission: a template cannot silently ask for nothing.
    return access.may(context["request"].user, Perm(perm), unit, definition=definition)
