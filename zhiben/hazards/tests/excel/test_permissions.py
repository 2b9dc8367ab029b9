"""Only regulators (regulator admins, inspectors, the platform) import hazard ledgers; a job is seen only within
the uploader's region; the list page offers the import to those who may use it."""

from __future__ import annotations

import pytest

from zhiben.hazards.models import Hazard

from .conftest import ledger_row, upload, xlsx

pytestmark = pytest.mark.django_db

PAGES = ["/hazards/import/", "/hazards/import/template/"]


@pytest.mark.parametrize("name", ["enterprise_user", "project_user", "leader", "expert", "other_enterprise_user"])
def test_others_may_not_import(name, request, client, project):
    user = request.getfixturevalue(name)
    client.force_login(user)
    for url in PAGES:
        assert client.get(url).status_code == 403, url
    response = client.post("/hazards/import/", {"file": upload(xlsx([ledger_row(project)]))})
    assert response.status_code == 403
    assert Hazard.objects.count() == 0


@pytest.mark.parametrize("name", ["regulator", "inspector", "platform_admin"])
def test_regulators_may_import(name, request, client, project, do_import, last_job):
    user = request.getfixturevalue(name)
    client.force_login(user)
    page = client.get("/hazards/import/")
    assert page.status_code == 200 and 'href="/hazards/import/template/"' in page.content.decode()
    do_import(user, xlsx([ledger_row(project, project=str(project.pk))]))
    assert last_job().status == "succeeded"
    assert Hazard.objects.get().created_by == user


def test_anonymous_users_are_sent_to_log_in(client):
    for url in [*PAGES, "/hazards/export/"]:
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_a_job_is_not_found_outside_the_uploaders_region(client, regulator, other_regulator, city_regulator,
                                                         enterprise_user, project, do_import, last_job):
    do_import(regulator, xlsx([ledger_row(project, project="不存在")]))
    job = last_job()
    client.force_login(other_regulator)
    assert client.get(f"/hazards/import/{job.pk}/").status_code == 404
    assert client.get(f"/hazards/import/{job.pk}/report/").status_code == 404
    assert job.original_name not in client.get("/hazards/import/").content.decode()
    client.force_login(city_regulator)
    assert client.get(f"/hazards/import/{job.pk}/").status_code == 200
    client.force_login(enterprise_user)
    assert client.get(f"/hazards/import/{job.pk}/").status_code == 403


def test_the_list_offers_the_import_only_to_regulators(client, regulator, enterprise_user):
    client.force_login(regulator)
    page = client.get("/hazards/").content.decode()
    assert 'data-testid="import"' in page and 'href="/hazards/import/"' in page
    client.force_login(enterprise_user)
    page = client.get("/hazards/?status=open").content.decode()
    assert 'data-testid="import"' not in page
    assert 'href="/hazards/export/?status=open"' in page


def test_the_import_is_audited(regulator, project, do_import, last_job):
    from zhiben.core.models import AuditLog

    do_import(regulator, xlsx([ledger_row(project)]))
    job = last_job()
    events = sorted(AuditLog.objects.filter(object_id=str(job.pk), object_type="hazards.hazardimportjob")
                    .values_list("event", flat=True))
    assert events == ["hazards.import_queued", "hazards.import_succeeded"]


def test_a_file_that_is_not_a_workbook_is_refused_at_upload(client, regulator):
    client.force_login(regulator)
    response = client.post("/hazards/import/", {"file": upload(b"not a workbook", name="ledger.xlsx")})
    assert response.status_code == 400
    assert Hazard.objects.count() == 0


def test_a_file_over_the_limit_is_refused_with_413(client, regulator, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    client.force_login(regulator)
    response = client.post("/hazards/import/", {"file": upload(b"PK\x03\x04" + b"0" * 2048)})
    assert response.status_code == 413
