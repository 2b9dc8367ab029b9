"""Every model is in the Django admin, and its list and add pages open for a platform administrator."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_model_of_the_project_is_registered():
    missing = [m._meta.label for m in apps.get_models()
               if m.__module__.startswith("zhiben.") and m not in admin.site._registry]
    assert missing == []


def test_every_admin_list_page_opens(client, platform_admin):
    client.force_login(platform_admin)
    for model in admin.site._registry:
        if not model.__module__.startswith("zhiben."):
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url


def test_hazard_history_cannot_be_edited_in_the_admin(client, platform_admin):
    client.force_login(platform_admin)
    assert client.get(reverse("admin:hazards_hazardevent_add")).status_code == 403
