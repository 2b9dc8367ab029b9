from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from zhiben.accounts.models import Role, User
from zhiben.registry.models import Region
from zhiben.registry.selectors import enterprises_visible_to, projects_visible_to, regions_visible_to


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Wrong username or password. The account is locked after 5 consecutive failures."),
        "inactive": _("This account is disabled."),
    }


class UserForm(forms.ModelForm):
    password = forms.CharField(label=_("password"), widget=forms.PasswordInput, required=False,
                               help_text=_("At least 8 characters mixing 3 of: lower case, upper case, digits, "
                                           "symbols. Leave empty to keep the current password."))
    region = forms.ModelChoiceField(label=_("region"), queryset=Region.objects.none(), required=False)

    class Meta:
        model = User
        fields = ["username", "display_name", "phone", "role", "region", "enterprise", "project", "is_active"]

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = Role.choices
        self.fields["role"].required = True
        self.fields["region"].queryset = regions_visible_to(actor).exclude(level="province") \
            if not actor.is_superuser else Region.objects.all()
        self.fields["enterprise"].queryset = enterprises_visible_to(actor)
        self.fields["project"].queryset = projects_visible_to(actor).select_related(None)
        if self.instance.pk is None:
            self.fields["password"].required = True
            self.fields["password"].help_text = _("At least 8 characters mixing 3 of: lower case, upper case, "
                                                  "digits, symbols.")
