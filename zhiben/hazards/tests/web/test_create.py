"""Reporting a hazard through the page: scope-limited choices, photos stored with it in the same request, and
bad input turned into form errors that write nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from zhiben.core.timeutils import beijing_today
from zhiben.hazards.models import Attachment, Hazard, HazardEvent
from zhiben.hazards.tests.web.conftest import exe_as_jpg, photo, png_bytes, too_large_message
from zhiben.standards.models import StandardItem

pytestmark = pytest.mark.django_db

URL = reverse("hazards:create")


def item(version: str, code: str) -> StandardItem:
    return StandardItem.objects.get(standard__code="hazard-determination", standard__version=version,
                                    standard__region__isnull=True, code=code)


def form_data(project, **overrides) -> dict:
    data = {
        "project": project.pk, "channel": "self", "level": "major", "found_at": "2024-06-01T09:30",
        "description": "塔吊附着装置未按专项施工方案设置", "location": "2号塔吊", "deadline": "",
        "standard_item": "",
    }
    data.update(overrides)
    return data


def nothing_written():
    return not Hazard.objects.exists() and not Attachment.objects.exists() and not HazardEvent.objects.exists()


def test_an_enterprise_user_reports_a_hazard_with_photos(client, enterprise_user, project):
    client.force_login(enterprise_user)
    data = form_data(project, standard_item=item("2022", "2022-4.1").pk, photos=[photo("a.png"), photo("b.png")])
    response = client.post(URL, data)
    hazard = Hazard.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("hazards:detail", args=[hazard.pk])
    assert (hazard.channel, hazard.project, hazard.created_by) == ("self", project, enterprise_user)
    assert hazard.standard_item.code == "2022-4.1"
    assert hazard.found_on == dt.date(2024, 6, 1) and hazard.deadline == dt.date(2024, 6, 16)  # 15 days by default
    assert sorted(a.original_name for a in hazard.attachments.all()) == ["a.png", "b.png"]
    assert list(hazard.events.values_list("action", flat=True)) == [
        "registered", "notified", "attachment-added", "attachment-added",
    ]


def test_enterprise_and_project_users_are_offered_their_projects_and_self_inspection(
    client, enterprise_user, project_user, project, other_project,
):
    for user in (enterprise_user, project_user):
        client.force_login(user)
        form = client.get(URL).context["form"]
        assert list(form.fields["project"].queryset) == [project]
        assert form["project"].value() == project.pk  # their own project is the default
        assert [value for value, _label in form.fields["channel"].choices] == ["self"]


def test_an_expert_records_inspection_findings_and_a_regulator_any_channel(client, expert, regulator):
    client.force_login(expert)
    assert [v for v, _ in client.get(URL).context["form"].fields["channel"].choices] == ["inspection"]
    client.force_login(regulator)
    assert len(client.get(URL).context["form"].fields["channel"].choices) == 4


def test_an_enterprise_user_cannot_report_another_channel_or_another_enterprises_project(
    client, enterprise_user, project, other_project,
):
    client.force_login(enterprise_user)
    response = client.post(URL, form_data(project, channel="inspection"))
    assert response.status_code == 200 and response.context["form"].errors["channel"]
    response = client.post(URL, form_data(other_project))
    assert response.status_code == 200 and response.context["form"].errors["project"]
    assert nothing_written()


def test_a_leader_may_not_report(client, leader, project):
    client.force_login(leader)
    assert client.post(URL, form_data(project, channel="inspection")).status_code == 403
    assert nothing_written()


def test_the_found_time_cannot_lie_in_the_future(client, enterprise_user, project):
    client.force_login(enterprise_user)
    tomorrow = (beijing_today() + dt.timedelta(days=1)).isoformat()
    response = client.post(URL, form_data(project, found_at=f"{tomorrow}T08:00"))
    assert response.status_code == 200
    assert "found_at" in response.context["form"].errors
    assert nothing_written()


def test_the_deadline_cannot_precede_the_day_found(client, enterprise_user, project):
    client.force_login(enterprise_user)
    response = client.post(URL, form_data(project, deadline="2024-05-31"))
    assert response.status_code == 200
    assert "deadline" in response.context["form"].errors
    assert nothing_written()


def test_an_item_not_in_force_on_the_day_found_is_refused(client, enterprise_user, project):
    client.force_login(enterprise_user)
    too_new = item("2024", "2024-4.1")  # the 2024 standard applies from 2024-12-13
    response = client.post(URL, form_data(project, found_at="2024-12-12T18:00", standard_item=too_new.pk))
    assert response.status_code == 200
    assert response.context["form"].errors["standard_item"] == [
        _("This item is not part of a standard in force on the day the hazard was found.")]
    assert nothing_written()
    response = client.post(URL, form_data(project, standard_item="abc"))
    assert "standard_item" in response.context["form"].errors
    assert nothing_written()


def test_a_minor_level_for_a_major_determination_item_is_refused(client, regulator, project):
    client.force_login(regulator)
    response = client.post(URL, form_data(project, channel="inspection", level="general",
                                          standard_item=item("2022", "2022-4.1").pk))
    assert response.status_code == 200 and "level" in response.context["form"].errors
    assert nothing_written()


def test_an_oversized_photo_is_413_and_writes_nothing(client, enterprise_user, project, settings):
    client.force_login(enterprise_user)
    big = photo("big.png", png_bytes() + b"\x00" * settings.UPLOAD_MAX_BYTES)
    response = client.post(URL, form_data(project, photos=[photo("ok.png"), big]))
    assert response.status_code == 413
    assert too_large_message() in str(response.context["form"].errors["photos"])
    assert nothing_written()


def test_a_program_renamed_to_jpg_is_refused(client, enterprise_user, project):
    client.force_login(enterprise_user)
    response = client.post(URL, form_data(project, photos=[exe_as_jpg()]))
    assert response.status_code == 200
    assert "photo.jpg" in str(response.context["form"].errors["photos"])
    assert nothing_written()


def test_a_photo_refused_by_the_service_rolls_the_registration_back(
    client, enterprise_user, project, monkeypatch, settings,
):
    """Should the service refuse a photo the form let through, the hazard is not left half-registered and the
    photo stored before it does not stay behind on disk."""
    from zhiben.hazards.web import forms

    monkeypatch.setattr(forms, "inspect_upload", lambda upload: {})
    client.force_login(enterprise_user)
    response = client.post(URL, form_data(project, photos=[photo("ok.png"), exe_as_jpg()]))
    assert response.status_code == 400
    assert nothing_written()
    assert not [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]


def test_garbage_input_never_fails(client, regulator, project):
    client.force_login(regulator)
    for data in [
        {"project": "99999999999999999999999", "found_at": "yesterday", "level": "huge", "deadline": "2024-13-45"},
        {"project": "-1", "standard_item": "999999999999999999999999999", "found_at": "2024-06-01T09:30"},
        {},
    ]:
        assert client.post(URL, data).status_code == 200
    assert nothing_written()


def test_a_possible_duplicate_is_flagged_with_a_link(client, register, enterprise_user, project):
    first = register(found_at=None, standard_item_id=item("2024", "2024-4.1").pk)
    client.force_login(enterprise_user)
    today = beijing_today().isoformat()
    response = client.post(URL, form_data(project, found_at=f"{today}T00:01",
                                          standard_item=item("2024", "2024-4.1").pk), follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="duplicate-link"' in body
    assert reverse("hazards:detail", args=[first.pk]) in body and first.code in body


def test_a_backfilled_stock_hazard_is_stock(client, regulator, project):
    client.force_login(regulator)
    client.post(URL, form_data(project, channel="inspection", found_at="2023-12-31T23:30"))
    assert Hazard.objects.get().is_stock is True


def test_the_item_select_follows_the_found_date(client, enterprise_user, project):
    client.force_login(enterprise_user)
    url = reverse("hazards:item_options")
    old, new = item("2022", "2022-4.1"), item("2024", "2024-4.1")
    body = client.get(url, {"found_at": "2024-12-12T10:00", "project": project.pk}).content.decode()
    assert f'value="{old.pk}"' in body and f'value="{new.pk}"' not in body
    assert old.legal_source[:10] in body
    body = client.get(url, {"found_at": "2024-12-13T10:00", "project": project.pk,
                            "standard_item": new.pk}).content.decode()
    assert f'value="{new.pk}" selected' in body and f'value="{old.pk}"' not in body
    for junk in ({"found_at": "nonsense", "project": "x"}, {"project": "99999999999999999999999"}, {}):
        assert client.get(url, junk).status_code == 200
    assert client.post(url).status_code == 405


def test_the_report_form_offers_the_items_of_today(client, enterprise_user, project):
    client.force_login(enterprise_user)
    body = client.get(URL).content.decode()
    assert 'hx-get="{}"'.format(reverse("hazards:item_options")) in body
    assert f'value="{item("2024", "2024-4.1").pk}"' in body
