"""Who may import what, and who may see an import job."""

from __future__ import annotations

import pytest

from zhiben.registry.factories import make_uscc
from zhiben.registry.models import ImportJob

from .conftest import upload, xlsx

pytestmark = pytest.mark.django_db

EVERY_KIND = ["enterprises", "projects", "persons", "certificates"]


@pytest.mark.parametrize("who", ["leader", "expert"])
def test_leaders_and_experts_cannot_import(client, request, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    assert client.get("/registry/import/").status_code == 403
    response = client.post("/registry/import/", {"kind": "persons", "file": upload(xlsx([], kind="persons"))})
    assert response.status_code == 403
    assert client.get("/registry/template/persons/").status_code == 403
    assert ImportJob.objects.count() == 0


def test_anonymous_users_are_sent_to_the_login_page(client):
    for url in ["/registry/import/", "/registry/template/persons/", "/registry/export/persons/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.parametrize("who", ["enterprise_user", "project_user"])
def test_enterprise_and_project_users_import_only_persons_and_certificates(client, request, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    page = client.get("/registry/import/").content.decode()
    assert 'value="persons"' in page and 'value="certificates"' in page
    assert 'value="enterprises"' not in page and 'value="projects"' not in page
    for kind in ["enterprises", "projects"]:
        response = client.post("/registry/import/", {"kind": kind, "file": upload(xlsx([], kind=kind))})
        assert response.status_code == 403
        assert client.get(f"/registry/template/{kind}/").status_code == 403
    assert ImportJob.objects.count() == 0


@pytest.mark.parametrize("who", ["regulator", "inspector", "platform_admin"])
def test_regulators_import_every_kind(client, request, who):
    client.force_login(request.getfixturevalue(who))
    page = client.get("/registry/import/").content.decode()
    for kind in EVERY_KIND:
        assert f'value="{kind}"' in page
        assert client.get(f"/registry/template/{kind}/").status_code == 200


def test_an_unknown_kind_is_not_found(client, regulator):
    client.force_login(regulator)
    assert client.get("/registry/template/hazards/").status_code == 404
    assert client.get("/registry/export/hazards/").status_code == 404
    response = client.post("/registry/import/", {"kind": "hazards", "file": upload(xlsx([], kind="persons"))})
    assert response.status_code == 400


def test_a_job_is_visible_only_within_its_creators_scope(client, regulator, inspector, other_regulator,
                                                         enterprise_user, do_import):
    do_import(regulator, "enterprises", xlsx([["甲", make_uscc(1), 141122]], kind="enterprises"))
    job = ImportJob.objects.get()
    assert job.region_id == 141122 and job.created_by == regulator
    client.force_login(inspector)  # a colleague in the same county
    assert client.get(f"/registry/import/{job.pk}/").status_code == 200
    for outsider in (other_regulator, enterprise_user):
        client.force_login(outsider)
        assert client.get(f"/registry/import/{job.pk}/").status_code == 404
        assert client.get(f"/registry/import/{job.pk}/report/").status_code == 404
        recent = client.get("/registry/import/").content.decode().split("recent-imports")[1]
        assert f"/registry/import/{job.pk}/" not in recent  # its link (a bare id could match any number)


def test_a_user_whose_role_changed_since_the_upload_imports_nothing(regulator, do_import):
    from zhiben.registry.tasks import run_import

    content = xlsx([["甲", make_uscc(1), 141122]], kind="enterprises")
    from zhiben.registry.excel.jobs import import_job_create

    job = import_job_create(actor=regulator, kind="enterprises", upload=upload(content))
    regulator.role = "leader"
    regulator.save()
    run_import(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "无权导入" in job.errors[0]["message"]
