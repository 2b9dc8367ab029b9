"""Template context shared by every page: the navigation of the caller's role and their scope label."""

from __future__ import annotations

from zhiben.core.navigation import menu_for, scope_label


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_menu": menu_for(user, request.path), "scope_label": scope_label(user)}
