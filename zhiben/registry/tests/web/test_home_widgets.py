"""The registry's widgets on the home page: scoped counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import RequestFactory
from django.urls import reverse

from zhiben.core.timeutils import beijing_today
from zhiben.registry.web.home import widgets

pytestmark = pytest.mark.django_db


def values(user) -> dict:
    request = RequestFactory().get("/")
    request.user = user
    return {str(w["label"]): w["value"] for w in widgets(request)}


def test_counts_are_scoped_to_the_user(world, regulator, other_regulator, enterprise_user, city_regulator):
    world.home.certificate.expires = beijing_today() + dt.timedelta(days=3)
    world.home.certificate.save()
    assert list(values(regulator).values()) == [2, 2, 2, 1]
    assert list(values(other_regulator).values()) == [1, 1, 1, 0]
    assert list(values(enterprise_user).values()) == [1, 1, 1, 1]
    assert list(values(city_regulator).values()) == [3, 3, 3, 1]


def test_widgets_carry_what_the_home_page_needs(world, regulator):
    request = RequestFactory().get("/")
    request.user = regulator
    for widget in widgets(request):
        assert {"label", "value", "url", "icon", "colour", "order"} <= set(widget)
        assert widget["url"].startswith("/registry/")


def test_the_home_page_shows_them(client, world, regulator):
    client.force_login(regulator)
    content = client.get(reverse("core:home")).content.decode()
    assert reverse("registry:enterprise_list") in content and reverse("registry:warnings") in content
