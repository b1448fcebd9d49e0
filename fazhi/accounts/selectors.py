"""Reads of the account pages."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone
from knox.models import AuthToken


def tokens_of_user(user) -> QuerySet[AuthToken]:
    """The user's API tokens that still work, newest first (expired ones are not shown: they are dead)."""
    return (AuthToken.objects.filter(user=user)
            .filter(Q(expiry__isnull=True) | Q(expiry__gt=timezone.now())).order_by("-created"))
