"""What every page shares: the icon browsers ask for, and filter forms that fold away on a phone unless in use."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from zhiben.core.templatetags.zhiben import active_filter_count


@pytest.mark.django_db
def test_favicon_ico_leads_to_the_static_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith(".svg")
    assert "max-age=86400" in response["Cache-Control"]
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_every_page_names_its_icon(client):
    html = client.get(reverse("accounts:login")).content.decode()
    assert '<link rel="icon" href="/static/img/favicon' in html


def test_active_filters_are_the_non_empty_ones_but_paging_and_sorting():
    assert active_filter_count(QueryDict("")) == 0
    assert active_filter_count(QueryDict("page=2&ordering=-deadline&q=")) == 0
    assert active_filter_count(QueryDict("status=open&q=塔吊&page=3")) == 2


def _panel(query: str) -> str:
    template = Template('{% load zhiben %}{% filter_panel data %}<form data-testid="filters"></form>'
                        '{% endfilter_panel %}')
    return template.render(Context({"data": QueryDict(query), "request": RequestFactory().get("/")}))


def test_the_panel_is_folded_on_phones_when_no_filter_is_in_use():
    html = _panel("page=2")
    assert 'class="collapse d-md-block"' in html and 'aria-expanded="false"' in html
    assert '<form data-testid="filters"></form>' in html


def test_the_panel_is_open_when_a_filter_is_in_use():
    html = _panel("status=open")
    assert 'class="collapse d-md-block show"' in html and 'aria-expanded="true"' in html
