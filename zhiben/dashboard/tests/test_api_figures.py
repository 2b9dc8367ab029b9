"""The figures API takes the page's parameters and the same scoping: a drill-down out of sight is a 404."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

URL = "/api/v1/dashboard/figures/"


def test_the_figures_are_those_of_the_page(api, regulator, ledger, today):
    api.force_authenticate(regulator)
    body = api.get(URL, {"region": "141122", "as_of": "2025-04-30", "year": "2025"}).json()
    assert body["on_time"] == {"found": 6, "due": 5, "on_time": 3, "closed": 4, "closed_late": 1, "rate": 0.6}
    assert body["time_to_close"]["buckets"][-1] == {"label": "61+", "count": 2}
    assert body["monthly"][1] == {"month": 2, "found": 3, "closed": 3}


def test_an_enterprise_user_gets_its_enterprise_and_not_another(api, enterprise_user, ledger, world, today):
    api.force_authenticate(enterprise_user)
    mine = api.get("/api/v1/dashboard/campaign/", {"as_of": "2025-04-30"}).json()
    assert mine["region"] is None and mine["increment"]["total"] == 7
    assert api.get(URL, {"enterprise": str(world.b.pk)}).status_code == 404
    assert api.get(URL, {"project": str(world.p3.pk)}).status_code == 404
    assert api.get(URL, {"enterprise": "x"}).status_code == 400
