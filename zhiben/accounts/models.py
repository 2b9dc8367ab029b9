"""Users, their role and their scope (API.md, Users)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiben.core.scoping import REGION_ROLES


class Role(models.TextChoices):
    REGULATOR_ADMIN = "regulator_admin", _("Regulator administrator")
    INSPECTOR = "inspector", _("Inspector")
    LEADER = "leader", _("Leader")
    ENTERPRISE = "enterprise", _("Enterprise user")
    PROJECT = "project", _("Project team user")
    EXPERT = "expert", _("Expert")


class User(AbstractUser):
    """A platform user. Regulators and experts are scoped by region, enterprise users by their enterprise,
    project users by their project; a superuser is a platform administrator who sees every region."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    display_name = models.CharField(_("display name"), max_length=64, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    region = models.ForeignKey(
        "registry.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("enterprise"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="users",
    )
    project = models.ForeignKey(
        "registry.Project", verbose_name=_("project"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="users",
    )
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("person"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="accounts", help_text=_("The natural person behind this account, e.g. a principal."),
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_regulator(self) -> bool:
        return self.is_superuser or self.role in {Role.REGULATOR_ADMIN, Role.INSPECTOR, Role.LEADER}

    @property
    def is_platform_admin(self) -> bool:
        return self.is_superuser

    def clean(self) -> None:
        """A role comes with exactly the scope it needs."""
        super().clean()
        if self.is_superuser and not self.role:
            return
        errors = {}
        if not self.role:
            errors["role"] = _("Choose a role.")
        elif self.role in REGION_ROLES:
            if not self.region_id:
                errors["region"] = _("Regulators and experts need a region.")
            self.enterprise = None
            self.project = None
        elif self.role == Role.ENTERPRISE:
            if not self.enterprise_id:
                errors["enterprise"] = _("Enterprise users need an enterprise.")
            self.project = None
            if self.enterprise_id:
                self.region_id = self.enterprise.region_id
        elif self.role == Role.PROJECT:
            if not self.project_id:
                errors["project"] = _("Project users need a project.")
            elif self.project_id:
                self.enterprise_id = self.project.contractor_id
                self.region_id = self.project.region_id
        if errors:
            raise ValidationError(errors)
