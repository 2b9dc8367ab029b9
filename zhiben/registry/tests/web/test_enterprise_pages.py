"""Enterprise pages: list filters, detail, registration and editing with Chinese validation messages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from zhiben.core.models import AuditLog
from zhiben.core.timeutils import beijing_today
from zhiben.registry.factories import EmploymentFactory, EnterpriseFactory, PersonFactory, make_uscc
from zhiben.registry.models import Enterprise, LifetimeBan, Qualification
from zhiben.registry.tests.web.conftest import bad_check_character

pytestmark = pytest.mark.django_db

REQUIRED = "该字段是必填项。"  # Django's own zh-hans catalogue: the pages speak Chinese


def test_a_regulator_registers_an_enterprise(client, regulator, jiaocheng):
    client.force_login(regulator)
    uscc = make_uscc(4242)
    response = client.post(reverse("registry:enterprise_create"), {
        "name": "交城县新建建筑有限公司", "uscc": uscc.lower(), "region": jiaocheng.pk, "address": "交城县天宁镇",
        "safety_licence_no": "(晋)JZ安许证字[2024]000123", "safety_licence_expires": "2027-05-01",
        "standardization_level": "qualified",
    })
    enterprise = Enterprise.objects.get(uscc=uscc)
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:enterprise_detail", args=[enterprise.pk])
    assert enterprise.region == jiaocheng and enterprise.standardization_level == "qualified"
    assert AuditLog.objects.filter(event="enterprise.saved", object_id=str(enterprise.pk), actor=regulator).exists()


def test_a_wrong_check_character_is_refused_in_chinese_and_the_input_is_kept(client, regulator, jiaocheng):
    client.force_login(regulator)
    uscc = bad_check_character(make_uscc(77))
    response = client.post(reverse("registry:enterprise_create"), {
        "name": "输错代码的公司", "uscc": uscc, "region": jiaocheng.pk, "address": "交城县夏家营镇",
        "standardization_level": "none",
    })
    page = response.content.decode()
    assert response.status_code == 200
    assert gettext("The check character of this unified social credit code is wrong.") in page
    assert 'value="输错代码的公司"' in page and f'value="{uscc}"' in page and 'value="交城县夏家营镇"' in page
    assert not Enterprise.objects.filter(name="输错代码的公司").exists()


def test_missing_fields_are_named_in_chinese(client, regulator):
    client.force_login(regulator)
    response = client.post(reverse("registry:enterprise_create"), {"name": ""})
    assert response.status_code == 200
    assert REQUIRED in response.content.decode()


def test_a_regulator_cannot_place_an_enterprise_in_another_county(client, regulator, other_county):
    client.force_login(regulator)
    response = client.post(reverse("registry:enterprise_create"), {
        "name": "越界公司", "uscc": make_uscc(501), "region": other_county.pk, "standardization_level": "none",
    })
    assert response.status_code == 200
    assert not Enterprise.objects.filter(name="越界公司").exists()


def test_an_enterprise_user_edits_its_own_enterprise_but_not_its_identity(client, enterprise_user, enterprise):
    client.force_login(enterprise_user)
    url = reverse("registry:enterprise_edit", args=[enterprise.pk])
    form = client.get(url).content.decode()
    assert 'name="uscc"' not in form and 'name="region"' not in form and 'name="standardization_level"' not in form
    response = client.post(url, {
        "name": enterprise.name, "address": "交城县洪相乡", "safety_licence_no": "(晋)JZ安许证字[2025]000001",
        "safety_licence_issued": "2025-01-01", "safety_licence_expires": "2028-01-01",
        "uscc": make_uscc(999), "standardization_level": "exemplary",  # ignored: not fields of this form
    })
    assert response.status_code == 302
    uscc = enterprise.uscc
    enterprise.refresh_from_db()
    assert enterprise.address == "交城县洪相乡" and enterprise.safety_licence_expires == dt.date(2028, 1, 1)
    assert enterprise.uscc == uscc and enterprise.standardization_level == "none"
    row = AuditLog.objects.get(event="enterprise.saved", object_id=str(enterprise.pk))
    assert row.data["changes"]["address"] == ["", "交城县洪相乡"]  # the service saw the old values


def test_the_principal_is_chosen_among_employees_and_a_banned_person_is_refused(client, regulator, enterprise):
    boss, banned, stranger = PersonFactory(name="张总"), PersonFactory(name="黑名单"), PersonFactory(name="外人")
    EmploymentFactory(person=boss, enterprise=enterprise, position="总经理")
    EmploymentFactory(person=banned, enterprise=enterprise)
    LifetimeBan.objects.create(person=banned, reason="重大事故责任", decided_on=dt.date(2023, 5, 1))
    client.force_login(regulator)
    url = reverse("registry:enterprise_edit", args=[enterprise.pk])
    form = client.get(url).content.decode()
    assert "张总" in form and "外人" not in form
    data = {"name": enterprise.name, "uscc": enterprise.uscc, "region": enterprise.region_id,
            "standardization_level": "none", "principal": banned.pk}
    response = client.post(url, data)
    assert response.status_code == 200
    assert gettext("%(name)s is under a lifetime ban and cannot be named here.") % {"name": banned} in \
        response.content.decode()
    response = client.post(url, {**data, "principal": stranger.pk})
    assert response.status_code == 200  # not among the choices
    assert client.post(url, {**data, "principal": boss.pk}).status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.principal == boss


def test_licence_issue_and_expiry_must_be_in_order(client, regulator, enterprise):
    client.force_login(regulator)
    response = client.post(reverse("registry:enterprise_edit", args=[enterprise.pk]), {
        "name": enterprise.name, "uscc": enterprise.uscc, "region": enterprise.region_id,
        "standardization_level": "none", "safety_licence_issued": "2025-01-01",
        "safety_licence_expires": "2024-01-01",
    })
    assert response.status_code == 200
    assert gettext("The expiry date cannot be before the issue date.") in response.content.decode()


def test_an_enterprise_user_adds_a_qualification_shown_with_its_expiry(client, enterprise_user, enterprise):
    client.force_login(enterprise_user)
    soon = beijing_today() + dt.timedelta(days=10)
    response = client.post(reverse("registry:qualification_create", args=[enterprise.pk]), {
        "category": "specialty", "name": "地基基础工程专业承包", "grade": "三级", "certificate_no": "D314123456",
        "expires": soon.isoformat(),
    })
    assert response.status_code == 302
    assert Qualification.objects.get(certificate_no="D314123456").enterprise == enterprise
    page = client.get(reverse("registry:enterprise_detail", args=[enterprise.pk])).content.decode()
    assert "地基基础工程专业承包" in page and 'data-status="expiring"' in page


def test_the_detail_shows_projects_participations_and_employee_count(client, regulator, world):
    client.force_login(regulator)
    home = world.home
    page = client.get(reverse("registry:enterprise_detail", args=[home.enterprise.pk]))
    assert page.context["employee_count"] == 1
    assert list(page.context["projects"]) == [home.project]
    assert home.qualification.name in page.content.decode()


def test_the_list_searches_and_filters_by_licence(client, regulator, jiaocheng):
    today = beijing_today()
    EnterpriseFactory(name="甲公司", region=jiaocheng, safety_licence_expires=today - dt.timedelta(days=1))
    EnterpriseFactory(name="乙公司", region=jiaocheng, safety_licence_expires=today + dt.timedelta(days=5))
    EnterpriseFactory(name="丙公司", region=jiaocheng, safety_licence_expires=today + dt.timedelta(days=400))
    client.force_login(regulator)
    url = reverse("registry:enterprise_list")

    def names(**params):
        return [e.name for e in client.get(url, params).context["page"]]

    assert names(q="乙") == ["乙公司"]
    assert names(licence="expired") == ["甲公司"]
    assert names(licence="expiring") == ["乙公司"]
    assert names(licence="valid") == ["丙公司"]
    assert 'data-status="expired"' in client.get(url).content.decode()


@pytest.mark.parametrize("params", [
    {"region": "abc"}, {"region": "9" * 30}, {"licence": "nonsense"}, {"page": "x"}, {"page": "99999"},
    {"standardization_level": "<script>"},
])
def test_bad_filter_input_never_fails(client, regulator, world, params):
    client.force_login(regulator)
    assert client.get(reverse("registry:enterprise_list"), params).status_code == 200
