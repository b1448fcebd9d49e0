"""Receivers: the session clock starts at sign-in; lock-outs go into the audit trail.

Every failed and successful sign-in is kept by django-axes in its own tables (AccessFailureLog,
AccessLog, AccessAttempt); the audit trail (AuditEvent) gets the events an auditor asks about:
a lock-out, a token issued or revoked, a password changed.
"""

from __future__ import annotations

import time

from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver

from fazhi.core.audit import audit_event_write
from fazhi.core.auditactions import AuditAction

from .security import SESSION_AUTH_AT, SESSION_SEEN_AT


@receiver(user_logged_in)
def session_clock_start(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SESSION_AUTH_AT] = now
        request.session[SESSION_SEEN_AT] = now


@receiver(user_locked_out)
def lockout_audit(sender, request=None, username=None, ip_address=None, **kwargs):
    account = get_user_model().objects.filter(username=username).first() if username else None
    subject = account or AccessAttempt.objects.filter(ip_address=ip_address).order_by("-attempt_time").first()
    if subject is None:
        return
    with transaction.atomic():
        audit_event_write(actor=None, action=AuditAction.ACCOUNT_LOCKED_OUT, obj=subject,
                          diff={"username": [None, username or ""], "ip_address": [None, ip_address or ""]})
