"""Editors copy, edit, fill and publish a version through the pages; readers cannot; a published version says so."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from zhiben.standards.models import Standard, StandardItem

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, *args):
    return reverse(f"standards:{name}", args=args)


def test_a_regulator_admin_makes_fills_and_publishes_a_county_version(client, regulator, campaign):
    client.force_login(regulator)
    assert 'data-testid="copy"' in client.get(url("detail", campaign.pk)).content.decode()
    response = client.post(url("copy", campaign.pk), {"version": "2025", "title": ""})
    draft = Standard.objects.get(code=campaign.code, version="2025")
    assert response.status_code == 302 and response["Location"] == url("detail", draft.pk)
    assert (draft.region_id, draft.status, draft.title) == (141122, "draft", campaign.title)

    html = client.get(url("detail", draft.pk)).content.decode()
    assert 'data-testid="draft-alert"' in html and 'data-testid="publish"' in html and "add-item" in html

    response = client.post(url("edit", draft.pk), {
        "title": "交城县防高坠清单", "version": "2025", "document_no": "交住建字〔2025〕3号", "issuer": "交城县住建局",
        "published_on": "2025-02-20", "effective_from": "2025-03-01", "trust": "compiled", "source": "县局编制",
        "notes": "补充塔吊项",
    })
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.document_no, draft.notes) == ("交城县防高坠清单", "交住建字〔2025〕3号", "补充塔吊项")

    # htmx: an inline form row, then the saved row in its place
    form_row = client.get(url("item_new", draft.pk), **HTMX).content.decode()
    assert 'data-testid="item-form"' in form_row and "<html" not in form_row
    response = client.post(url("item_new", draft.pk), {"code": "JC-01", "category": "起重机械", "level": "major",
                                                        "text": "塔吊司机室未配备安全带挂点", "verified": "on"}, **HTMX)
    assert response.status_code == 200
    new = draft.items.get(code="JC-01")
    assert f'id="item-{new.pk}"' in response.content.decode()
    assert (new.level, new.verified, new.position) == ("major", True, 31)

    item = draft.items.get(code="FG-02")
    assert 'data-testid="item-form"' in client.get(url("item_edit", draft.pk, item.pk), **HTMX).content.decode()
    response = client.post(url("item_edit", draft.pk, item.pk), {"code": "FG-02", "level": "general",
                                                                 "text": "改写的条文", "category": item.category,
                                                                 "legal_source": item.legal_source}, **HTMX)
    assert 'data-item="FG-02"' in response.content.decode()
    item.refresh_from_db()
    assert (item.text, item.level, item.verified) == ("改写的条文", "general", False)
    assert f'id="item-{item.pk}"' in client.get(url("item_row", draft.pk, item.pk), **HTMX).content.decode()

    gone = draft.items.get(code="FG-03")
    response = client.post(url("item_delete", draft.pk, gone.pk), **HTMX)
    assert (response.status_code, response.content) == (200, b"")
    assert not draft.items.filter(code="FG-03").exists()

    page = client.get(url("publish", draft.pk)).content.decode()
    assert 'data-testid="publish-warning"' in page
    response = client.post(url("publish", draft.pk), {"effective_from": "2025-03-01"})
    assert response.status_code == 200 and "confirm" in response.context["form"].errors
    response = client.post(url("publish", draft.pk), {"effective_from": "2025-03-01", "confirm": "on"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.effective_from) == ("published", dt.date(2025, 3, 1))
    assert campaign.items.get(code="FG-02").text != "改写的条文"

    compare = client.get(url("compare", draft.pk))
    diff = compare.context["diff"]
    assert ([i.code for i in diff.added], [i.code for i in diff.removed], [c.new.code for c in diff.changed]) == \
        (["JC-01"], ["FG-03"], ["FG-02"])


def test_publishing_shows_which_version_ends_and_when(client, platform_admin, v2024):
    client.force_login(platform_admin)
    client.post(url("copy", v2024.pk), {"version": "2026"})
    draft = Standard.objects.get(code=v2024.code, version="2026")
    page = client.get(url("publish", draft.pk))
    assert [s.pk for s in page.context["superseded"]] == [v2024.pk]
    response = client.post(url("publish", draft.pk), {"effective_from": "2024-12-01", "confirm": "on"})
    assert response.status_code == 200
    assert "effective_from" in response.context["form"].errors
    response = client.post(url("publish", draft.pk), {"effective_from": "2026-07-01", "confirm": "on"})
    assert response.status_code == 302
    v2024.refresh_from_db()
    assert v2024.effective_to == dt.date(2026, 6, 30)


def test_a_published_version_answers_edits_with_a_clear_message(client, platform_admin, v2024):
    client.force_login(platform_admin)
    item = v2024.items.first()
    for response in (
        client.get(url("edit", v2024.pk)),
        client.post(url("edit", v2024.pk), {"title": "改"}),
        client.get(url("publish", v2024.pk)),
        client.post(url("item_new", v2024.pk), {"code": "X", "text": "x", "level": "major"}),
        client.post(url("item_delete", v2024.pk, item.pk)),
    ):
        assert response.status_code == 302
        assert response["Location"] == url("detail", v2024.pk)
    response = client.post(url("item_edit", v2024.pk, item.pk), {"code": "X", "text": "x", "level": "major"}, **HTMX)
    assert (response.status_code, response["HX-Redirect"]) == (204, url("detail", v2024.pk))
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages and all("published" in m or "发布" in m for m in messages)
    v2024.refresh_from_db()
    assert v2024.title != "改" and v2024.items.get(pk=item.pk).text == item.text
    html = client.get(url("detail", v2024.pk)).content.decode()
    assert 'data-testid="edit-item"' not in html and 'data-testid="copy"' in html


def test_bad_input_gives_form_errors_not_500(client, regulator, county_draft):
    client.force_login(regulator)
    response = client.post(url("item_new", county_draft.pk), {"code": "FG-01", "text": "", "level": "severe"}, **HTMX)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"text", "level"}
    response = client.post(url("item_new", county_draft.pk), {"code": "FG-01", "text": "重复", "level": "major"})
    assert response.status_code == 200 and "code" in response.context["form"].errors
    response = client.post(url("edit", county_draft.pk), {"title": "", "version": "", "effective_from": "x",
                                                          "trust": "certain"})
    assert response.status_code == 200
    assert {"title", "version", "effective_from", "trust"} <= set(response.context["form"].errors)
    response = client.post(url("copy", county_draft.pk), {"version": county_draft.version})
    assert response.status_code == 200 and "version" in response.context["form"].errors
    response = client.post(url("publish", county_draft.pk), {"effective_from": "2025-02-30", "confirm": "on"})
    assert response.status_code == 200 and "effective_from" in response.context["form"].errors


def test_score_table_drafts_edit_points_and_the_guarantee_mark(client, platform_admin):
    jgj = Standard.objects.get(code="jgj59")
    client.force_login(platform_admin)
    client.post(url("copy", jgj.pk), {"version": "2011-校正"})
    draft = Standard.objects.get(code="jgj59", version="2011-校正")
    item = draft.items.get(code="B.3-5")
    response = client.post(url("item_edit", draft.pk, item.pk), {
        "code": item.code, "category": item.category, "level": "general", "text": item.text, "verified": "on",
        "max_points": "8",
    }, **HTMX)
    assert response.status_code == 200
    item.refresh_from_db()
    assert (item.extra["max_points"], item.extra["guarantee"], item.verified) == (8, False, True)
    assert item.extra["table"] == "B.3"  # the rest of the details is kept
    assert jgj.items.get(code="B.3-5").extra != item.extra


@pytest.mark.parametrize("role", ["inspector", "leader", "expert", "enterprise_user", "project_user"])
def test_readers_can_read_but_not_edit(client, request, role, campaign):
    client.force_login(request.getfixturevalue(role))
    html = client.get(url("detail", campaign.pk)).content.decode()
    for marker in ('data-testid="copy"', 'data-testid="edit"', 'data-testid="publish"', "add-item", "edit-item"):
        assert marker not in html
    item = campaign.items.first()
    assert client.get(url("copy", campaign.pk)).status_code == 403
    assert client.post(url("copy", campaign.pk), {"version": "x"}).status_code == 403
    assert client.get(url("edit", campaign.pk)).status_code == 403
    assert client.post(url("publish", campaign.pk), {"effective_from": "2030-01-01", "confirm": "on"}).status_code \
        == 403
    assert client.post(url("item_new", campaign.pk), {"code": "X", "text": "x", "level": "major"}).status_code == 403
    assert client.post(url("item_delete", campaign.pk, item.pk)).status_code == 403
    assert Standard.objects.count() == 6 and StandardItem.objects.filter(pk=item.pk).exists()


def test_readers_do_not_see_drafts(client, inspector, enterprise_user, county_draft):
    for user in (inspector, enterprise_user):
        client.force_login(user)
        assert client.get(url("detail", county_draft.pk)).status_code == 404
        assert f'data-standard="{county_draft.pk}"' not in client.get(reverse("standards:list")).content.decode()


def test_a_regulator_admin_cannot_edit_a_national_draft(client, regulator, platform_admin, v2024):
    from zhiben.standards import services

    draft = services.standard_copy(actor=platform_admin, source=v2024, version="2026")
    client.force_login(regulator)
    assert client.get(url("edit", draft.pk)).status_code == 404
    assert client.post(url("edit", v2024.pk), {"title": "改"}).status_code == 403
