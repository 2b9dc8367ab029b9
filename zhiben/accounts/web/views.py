"""Login, logout, password change, user administration and the audit log (pages)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from zhiben.accounts import services
from zhiben.accounts.selectors import users_visible_to
from zhiben.accounts.web.forms import LoginForm, UserForm
from zhiben.core.models import AuditLog
from zhiben.core.web import apply_form_errors


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("core:home")

    def form_valid(self, form):
        messages.success(self.request, _("Your password has been changed."))
        return super().form_valid(form)


def _require_manager(request) -> None:
    if not services.can_manage_users(request.user):
        raise PermissionDenied


@login_required
def user_list(request):
    _require_manager(request)
    qs = users_visible_to(request.user).order_by("role", "username")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(username__icontains=q) | qs.filter(display_name__icontains=q)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"page": page, "q": q})


def _user_form(request, instance=None):
    _require_manager(request)
    form = UserForm(request.POST or None, instance=instance, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        password = data.pop("password")
        try:
            if instance is None:
                services.user_create(actor=request.user, password=password, request=request,
                                     **{k: v for k, v in data.items() if k != "is_active"})
            else:
                services.user_update(actor=request.user, user=instance, password=password, request=request,
                                     **data)
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, _("The user has been saved."))
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "object": instance})


@login_required
def user_create(request):
    return _user_form(request)


@login_required
def user_edit(request, pk: int):
    _require_manager(request)
    return _user_form(request, get_object_or_404(users_visible_to(request.user), pk=pk))


@login_required
def audit_log(request):
    _require_manager(request)
    qs = AuditLog.objects.select_related("actor")
    if not request.user.is_superuser:
        visible = users_visible_to(request.user).values("pk")
        qs = qs.filter(actor__in=visible) | qs.filter(actor__isnull=True, actor_name__in=visible.values(
            "username"))
    event = request.GET.get("event", "").strip()
    if event:
        qs = qs.filter(event__startswith=event)
    page = Paginator(qs.order_by("-at", "-id"), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/audit_log.html", {"page": page, "event": event})
