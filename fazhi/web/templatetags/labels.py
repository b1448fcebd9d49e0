"""Stored codes as people read them: `{% load labels %}{{ row.action|audit_label }}` prints 流转记录, not record.transition."""

from django import template

from fazhi.core.auditactions import audit_action_label

register = template.Library()


@register.filter
def audit_label(value: str) -> str:
    return audit_action_label(value)
