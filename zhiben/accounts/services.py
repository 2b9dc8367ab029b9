"""Writes on users: creation and change by a regulator admin inside their own region, audited."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhiben.accounts.models import Role, User
from zhiben.core.audit import audit
from zhiben.core.errors import Forbidden
from zhiben.core.scoping import REGION_ROLES, scope_of


def can_manage_users(actor: User) -> bool:
    return actor.is_superuser or (actor.role == Role.REGULATOR_ADMIN and actor.region_id is not None)


def _check_target_scope(actor: User, user: User) -> None:
    """The new or edited user's scope must lie inside the actor's region."""
    scope = scope_of(actor)
    if scope.kind == "all":
        return
    if user.role in REGION_ROLES:
        region = user.region_id
    elif user.role == Role.ENTERPRISE and user.enterprise_id:
        region = user.enterprise.region_id
    elif user.role == Role.PROJECT and user.project_id:
        region = user.project.region_id
    else:
        region = None
    if not scope.covers_region(region):
        field = {"enterprise": "enterprise", "project": "project"}.get(user.role, "region")
        raise ValidationError({field: _("You can only create users inside your own region.")})


@transaction.atomic
def user_create(
    *,
    actor: User,
    username: str,
    password: str,
    role: str,
    region=None,
    enterprise=None,
    project=None,
    display_name: str = "",
    phone: str = "",
    is_active: bool = True,
    request=None,
) -> User:
    """Create a user with a role and scope; regulator admins only, and only inside their own region."""
    if not can_manage_users(actor):
        raise Forbidden(_("Only regulator administrators can manage users."))
    user = User(
        username=username, role=role, region=region, enterprise=enterprise, project=project,
        display_name=display_name, phone=phone, is_active=is_active,
    )
    errors: dict[str, list[str]] = {}
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    _check_target_scope(actor, user)
    user.set_password(password)
    user.save()
    audit("user.created", actor=actor, obj=user, request=request, role=role, username=username)
    return user


# What only another administrator may change on an account (user_update).
SELF_LOCKED_FIELDS = ("role", "region", "enterprise", "project", "is_active")


@transaction.atomic
def user_update(*, actor: User, user: User, request=None, password: str = "", **fields) -> User:
    """Change a user's role, scope, name or active flag; optionally reset the password."""
    if not can_manage_users(actor):
        raise Forbidden(_("Only regulator administrators can manage users."))
    _check_target_scope(actor, user)
    if user.pk == actor.pk:
        # An administrator who demoted, moved or deactivated themselves could leave a region without one.
        own = {name: [_("You cannot change this on your own account; ask another administrator.")]
               for name in SELF_LOCKED_FIELDS if name in fields and fields[name] != getattr(user, name)}
        if own:
            raise ValidationError(own)
    for name, value in fields.items():
        setattr(user, name, value)
    errors: dict[str, list[str]] = {}
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            errors["password"] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    _check_target_scope(actor, user)
    if password:
        user.set_password(password)
    user.save()
    audit("user.updated", actor=actor, obj=user, request=request, fields=sorted(fields),
          password_reset=bool(password))
    return user
