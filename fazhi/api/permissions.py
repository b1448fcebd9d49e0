"""API views name the permission they need (`required_perm`), as pages do with access.perm_required."""

from rest_framework.permissions import BasePermission

from fazhi.core import access


class HoldsRequiredPerm(BasePermission):
    """The user holds the view's `required_perm` somewhere; a view that names none is refused (fail closed)."""

    def has_permission(self, request, view) -> bool:
        perm = getattr(view, "required_perm", None)
        return perm is not None and access.may_somewhere(request.user, perm)
