"""Writes through the API: copy → PATCH → items → publish for editors; 403 for readers, 409 once published."""

from __future__ import annotations

import pytest

from zhiben.standards.models import Standard, StandardItem

pytestmark = pytest.mark.django_db

URL = "/api/v1/standards/"


def test_a_regulator_admin_copies_edits_and_publishes_a_county_version(api, regulator, campaign):
    api.force_authenticate(regulator)
    response = api.post(f"{URL}{campaign.pk}/copy/", {"version": "2025", "title": "交城县防高坠清单"}, format="json")
    assert response.status_code == 201, response.json()
    draft = response.json()
    assert (draft["status"], draft["region"], draft["based_on"], draft["item_count"]) == \
        ("draft", "141122", campaign.pk, 30)
    url = f"{URL}{draft['id']}/"

    response = api.patch(url, {"notes": "县局补充", "document_no": "交住建字〔2025〕1号"}, format="json")
    assert response.status_code == 200
    assert (response.json()["notes"], response.json()["document_no"]) == ("县局补充", "交住建字〔2025〕1号")

    response = api.post(f"{url}items/", {"code": "JC-01", "text": "外架未封闭", "level": "major",
                                         "category": "脚手架", "extra": {"source": "县局"}}, format="json")
    assert response.status_code == 201
    new_item = response.json()
    assert set(new_item) == {"id", "code", "category", "text", "level", "legal_source", "verified", "extra",
                             "position", "standard"}
    first = StandardItem.objects.get(standard_id=draft["id"], code="FG-01")
    response = api.patch(f"{url}items/{first.pk}/", {"level": "general", "verified": False}, format="json")
    assert (response.status_code, response.json()["level"], response.json()["verified"]) == (200, "general", False)
    second = StandardItem.objects.get(standard_id=draft["id"], code="FG-02")
    assert api.delete(f"{url}items/{second.pk}/").status_code == 204

    response = api.post(f"{url}publish/", {"effective_from": "2025-03-01"}, format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["effective_from"], response.json()["item_count"]) == \
        ("published", "2025-03-01", 30)
    campaign.refresh_from_db()
    assert campaign.effective_to is None  # national list: other counties still use it
    assert campaign.items.get(code="FG-01").level == "major"


def test_a_platform_admin_publishes_a_national_version_and_the_old_one_ends_the_day_before(
    api, platform_admin, v2024,
):
    api.force_authenticate(platform_admin)
    draft = api.post(f"{URL}{v2024.pk}/copy/", {"version": "2026"}, format="json").json()
    assert draft["region"] is None
    response = api.post(f"{URL}{draft['id']}/publish/", {"effective_from": "2026-07-01"}, format="json")
    assert response.status_code == 200
    assert api.get(f"{URL}{v2024.pk}/").json()["effective_to"] == "2026-06-30"


def test_a_published_version_cannot_be_edited_409(api, platform_admin, v2024):
    api.force_authenticate(platform_admin)
    item = v2024.items.first()
    url = f"{URL}{v2024.pk}/"
    for response in (
        api.patch(url, {"title": "改"}, format="json"),
        api.post(f"{url}items/", {"code": "X", "text": "新", "level": "major"}, format="json"),
        api.patch(f"{url}items/{item.pk}/", {"text": "改"}, format="json"),
        api.delete(f"{url}items/{item.pk}/"),
        api.post(f"{url}publish/", {"effective_from": "2030-01-01"}, format="json"),
    ):
        assert response.status_code == 409
        assert response.json()["detail"]
    v2024.refresh_from_db()
    assert v2024.title == "房屋市政工程生产安全重大事故隐患判定标准"
    assert v2024.items.get(pk=item.pk).text == item.text


@pytest.mark.parametrize("role", ["inspector", "leader", "expert", "enterprise_user", "project_user"])
def test_readers_cannot_write_403(api, request, role, campaign, county_draft):
    user = request.getfixturevalue(role)
    api.force_authenticate(user)
    assert api.post(f"{URL}{campaign.pk}/copy/", {"version": "x"}, format="json").status_code == 403
    assert api.patch(f"{URL}{campaign.pk}/", {"title": "改"}, format="json").status_code == 403
    item = campaign.items.first()
    assert api.patch(f"{URL}{campaign.pk}/items/{item.pk}/", {"text": "改"}, format="json").status_code == 403
    assert api.delete(f"{URL}{campaign.pk}/items/{item.pk}/").status_code == 403
    # The county's draft is not even visible to them.
    assert api.post(f"{URL}{county_draft.pk}/publish/", {"effective_from": "2025-03-01"},
                    format="json").status_code == 404
    assert Standard.objects.filter(code="anti-falling-campaign").count() == 2


def test_a_regulator_of_another_county_gets_404_on_the_countys_draft(api, other_regulator, county_draft):
    api.force_authenticate(other_regulator)
    url = f"{URL}{county_draft.pk}/"
    assert api.patch(url, {"title": "改"}, format="json").status_code == 404
    assert api.post(f"{url}items/", {"code": "X", "text": "x", "level": "major"}, format="json").status_code == 404
    assert api.post(f"{url}publish/", {"effective_from": "2025-03-01"}, format="json").status_code == 404


@pytest.mark.parametrize(("path", "body", "fields"), [
    ("copy/", {}, {"version"}),
    ("copy/", {"version": "v" * 40}, {"version"}),
    ("copy/", {"version": "2024-交城", "status": "published"}, {"status"}),
])
def test_bad_copy_bodies_are_400(api, regulator, campaign, path, body, fields):
    api.force_authenticate(regulator)
    response = api.post(f"{URL}{campaign.pk}/{path}", body, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == fields


def test_a_version_label_taken_in_the_region_is_400(api, regulator, campaign, county_draft):
    api.force_authenticate(regulator)
    response = api.post(f"{URL}{campaign.pk}/copy/", {"version": county_draft.version}, format="json")
    assert response.status_code == 400
    assert "version" in response.json()["errors"]


@pytest.mark.parametrize(("method", "suffix", "body", "field"), [
    ("patch", "", {"effective_from": "not a date"}, "effective_from"),
    ("patch", "", {"trust": "certain"}, "trust"),
    ("patch", "", {"status": "published"}, "status"),
    ("patch", "", {"title": ""}, "title"),
    ("post", "publish/", {}, "effective_from"),
    ("post", "publish/", {"effective_from": "2025-02-30"}, "effective_from"),
    ("post", "items/", {"code": "FG-01", "text": "重复", "level": "major"}, "code"),
    ("post", "items/", {"code": "JC-9", "text": "x", "level": "severe"}, "level"),
    ("post", "items/", {"code": "JC-9", "text": "x", "level": "major", "extra": [1, 2]}, "extra"),
    ("post", "items/", {"text": "x", "level": "major"}, "code"),
])
def test_bad_draft_bodies_are_400_never_500(api, regulator, county_draft, method, suffix, body, field):
    api.force_authenticate(regulator)
    response = getattr(api, method)(f"{URL}{county_draft.pk}/{suffix}", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]


def test_malformed_json_is_400(api, regulator, county_draft):
    api.force_authenticate(regulator)
    response = api.generic("PATCH", f"{URL}{county_draft.pk}/", "{not json", content_type="application/json")
    assert response.status_code == 400


def test_a_version_without_items_cannot_be_published(api, regulator, county_draft):
    county_draft.items.all().delete()
    api.force_authenticate(regulator)
    response = api.post(f"{URL}{county_draft.pk}/publish/", {"effective_from": "2025-03-01"}, format="json")
    assert response.status_code == 400
    assert "items" in response.json()["errors"]
