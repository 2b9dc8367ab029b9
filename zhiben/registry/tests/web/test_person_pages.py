"""Person pages: registration by resident ID, masking of ID numbers and phones, audited reveals, employment and
certificates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from zhiben.core.masking import mask_id_number, mask_phone
from zhiben.core.models import AuditLog
from zhiben.core.timeutils import beijing_today
from zhiben.registry.factories import make_id_number
from zhiben.registry.models import Certificate, Employment, Person
from zhiben.registry.tests.web.conftest import bad_check_digit, grant_reveal

pytestmark = pytest.mark.django_db


# --- Registration ----------------------------------------------------------------------------------------


def test_a_regulator_registers_a_person(client, regulator, jiaocheng):
    client.force_login(regulator)
    number = make_id_number(501, birth=dt.date(1990, 2, 3))
    response = client.post(reverse("registry:person_create"),
                           {"name": "孙新人", "id_number": number, "phone": "13912345678", "region": jiaocheng.pk})
    person = Person.objects.get(id_number=number)
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:person_detail", args=[person.pk])
    assert person.birth_date == dt.date(1990, 2, 3) and person.region == jiaocheng
    assert AuditLog.objects.filter(event="person.registered", object_id=str(person.pk)).exists()


def test_a_wrong_check_digit_is_refused_in_chinese_and_the_input_is_kept(client, regulator, jiaocheng):
    client.force_login(regulator)
    number = bad_check_digit(make_id_number(502))
    response = client.post(reverse("registry:person_create"),
                           {"name": "周输错", "id_number": number, "phone": "13912345679", "region": jiaocheng.pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert gettext("The check digit of this resident ID number is wrong.") in page
    assert 'value="周输错"' in page and 'value="13912345679"' in page
    assert not Person.objects.filter(name="周输错").exists()


def test_a_bad_phone_is_refused(client, regulator, jiaocheng):
    client.force_login(regulator)
    response = client.post(reverse("registry:person_create"), {
        "name": "吴电话", "id_number": make_id_number(503), "phone": "12345", "region": jiaocheng.pk})
    assert gettext("Enter an 11-digit mobile number or a landline such as 0358-1234567.") in \
        response.content.decode()


def test_a_regulator_cannot_register_the_same_id_twice(client, regulator, jiaocheng, world):
    client.force_login(regulator)
    response = client.post(reverse("registry:person_create"), {
        "name": "重复", "id_number": world.home.person.id_number, "region": jiaocheng.pk})
    assert response.status_code == 200
    assert gettext("A person with this resident ID number is already registered.") in response.content.decode()


def test_an_enterprise_user_registering_a_worker_records_the_employment(client, enterprise_user, enterprise):
    client.force_login(enterprise_user)
    number = make_id_number(504)
    form = client.get(reverse("registry:person_create")).content.decode()
    assert 'name="region"' not in form and 'name="employment_kind"' in form
    response = client.post(reverse("registry:person_create"), {
        "name": "郑劳务", "id_number": number, "employment_kind": "dispatched", "position": "架子工"})
    assert response.status_code == 302
    employment = Employment.objects.get(person__id_number=number)
    assert employment.enterprise == enterprise and employment.kind == "dispatched"
    assert employment.person.region == enterprise.region


def test_registering_someone_already_on_the_platform_attaches_them(client, enterprise_user, enterprise, world):
    stranger = world.other.person  # registered by the other county's enterprise
    client.force_login(enterprise_user)
    assert client.get(reverse("registry:person_detail", args=[stranger.pk])).status_code == 404
    response = client.post(reverse("registry:person_create"), {
        "name": stranger.name, "id_number": stranger.id_number, "employment_kind": "flexible"})
    assert response.status_code == 302
    assert Person.objects.filter(id_number=stranger.id_number).count() == 1
    assert Employment.objects.filter(person=stranger, enterprise=enterprise, kind="flexible").exists()
    assert client.get(reverse("registry:person_detail", args=[stranger.pk])).status_code == 200


def test_a_project_user_registers_onto_its_project(client, project_user, project):
    client.force_login(project_user)
    response = client.post(reverse("registry:person_create"), {"name": "钱工", "id_number": make_id_number(505),
                                                                "employment_kind": "outsourced"})
    assert response.status_code == 302
    employment = Employment.objects.get(person__name="钱工")
    assert employment.project == project and employment.enterprise == project.contractor


# --- Masking and reveals ----------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["person_list", "certificate_list", "warnings"])
def test_lists_never_show_a_whole_id_number(client, regulator, world, page):
    world.home.certificate.expires = beijing_today()
    world.home.certificate.save()
    person = world.home.person
    client.force_login(grant_reveal(regulator))  # even a user who may see it: lists stay masked
    content = client.get(reverse(f"registry:{page}")).content.decode()
    assert mask_id_number(person.id_number) in content
    assert person.id_number not in content and person.phone not in content


def test_the_person_list_masks_phones(client, regulator, world):
    client.force_login(regulator)
    content = client.get(reverse("registry:person_list")).content.decode()
    assert mask_phone(world.home.person.phone) in content


def test_the_detail_is_masked_and_nothing_is_logged_without_the_permission(client, regulator, world):
    person = world.home.person
    client.force_login(regulator)
    content = client.get(reverse("registry:person_detail", args=[person.pk])).content.decode()
    assert mask_id_number(person.id_number) in content and mask_phone(person.phone) in content
    assert person.id_number not in content and person.phone not in content
    assert not AuditLog.objects.filter(event="person.revealed").exists()


def test_a_permitted_user_sees_the_whole_number_and_the_reveal_is_audited(client, regulator, world):
    person = world.home.person
    client.force_login(grant_reveal(regulator))
    content = client.get(reverse("registry:person_detail", args=[person.pk])).content.decode()
    assert person.id_number in content and person.phone in content
    row = AuditLog.objects.get(event="person.revealed")
    assert row.actor == regulator and row.object_type == "registry.person" and row.object_id == str(person.pk)
    assert row.data["page"] == "person_detail"


def test_the_enterprise_detail_masks_its_principal_unless_permitted(client, regulator, enterprise, world):
    principal = world.home.person
    enterprise.principal = principal
    enterprise.save()
    url = reverse("registry:enterprise_detail", args=[enterprise.pk])
    client.force_login(regulator)
    content = client.get(url).content.decode()
    assert mask_id_number(principal.id_number) in content and principal.id_number not in content
    client.force_login(grant_reveal(regulator))
    assert principal.id_number in client.get(url).content.decode()
    assert AuditLog.objects.filter(event="person.revealed", object_id=str(principal.pk),
                                   data__page="enterprise_detail").count() == 1


def test_editing_without_the_permission_keeps_the_number_hidden_and_the_phone(client, enterprise_user, world):
    person = world.home.person
    client.force_login(enterprise_user)
    url = reverse("registry:person_edit", args=[person.pk])
    form = client.get(url).content.decode()
    assert 'name="id_number"' not in form and person.phone not in form and mask_phone(person.phone) in form
    response = client.post(url, {"name": "王建国（改）", "phone": mask_phone(person.phone)})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.name == "王建国（改）" and person.phone == world.home.person.phone
    client.post(url, {"name": person.name, "phone": "13800000000"})
    person.refresh_from_db()
    assert person.phone == "13800000000"


def test_a_permitted_user_corrects_an_id_number_and_the_display_is_audited(client, regulator, world):
    person = world.home.person
    client.force_login(grant_reveal(regulator))
    url = reverse("registry:person_edit", args=[person.pk])
    assert person.id_number in client.get(url).content.decode()
    assert AuditLog.objects.filter(event="person.revealed", data__page="person_edit").count() == 1
    number = make_id_number(506)
    bad = client.post(url, {"name": person.name, "id_number": bad_check_digit(number), "phone": person.phone})
    assert gettext("The check digit of this resident ID number is wrong.") in bad.content.decode()
    assert client.post(url, {"name": person.name, "id_number": number, "phone": person.phone}).status_code == 302
    person.refresh_from_db()
    assert person.id_number == number


# --- Employment and certificates --------------------------------------------------------------------------


def test_a_regulator_records_an_employment_only_where_the_enterprise_takes_part(client, regulator, world):
    person = world.home.person
    client.force_login(regulator)
    url = reverse("registry:employment_create", args=[person.pk])
    response = client.post(url, {"enterprise": world.sibling.enterprise.pk, "project": world.home.project.pk,
                                 "kind": "leased"})
    assert gettext("This enterprise takes no part in the chosen project.") in response.content.decode()
    response = client.post(url, {"enterprise": world.sibling.enterprise.pk, "project": world.sibling.project.pk,
                                 "kind": "leased", "started": "2025-03-01", "ended": "2025-01-01"})
    assert gettext("The end date cannot be before the start date.") in response.content.decode()
    response = client.post(url, {"enterprise": world.sibling.enterprise.pk, "project": world.sibling.project.pk,
                                 "kind": "leased", "started": "2025-03-01"})
    assert response.status_code == 302
    assert person.employments.filter(enterprise=world.sibling.enterprise, kind="leased").exists()


def test_an_enterprise_user_ends_an_employment(client, enterprise_user, world):
    employment = world.home.employment
    client.force_login(enterprise_user)
    url = reverse("registry:employment_edit", args=[employment.pk])
    assert 'name="enterprise"' not in client.get(url).content.decode()
    response = client.post(url, {"project": "", "kind": "staff", "started": "2024-03-01", "ended": "2024-12-31"})
    assert response.status_code == 302
    employment.refresh_from_db()
    assert employment.ended == dt.date(2024, 12, 31) and not employment.is_active


def test_a_certificate_is_added_and_shown_with_its_status(client, project_user, world):
    person = world.home.person
    client.force_login(project_user)
    soon = beijing_today() + dt.timedelta(days=3)
    response = client.post(reverse("registry:certificate_create", args=[person.pk]), {
        "kind": "C2", "number": "晋建安C2(2022)0001234", "issuer": "山西省住房和城乡建设厅",
        "issued": "2022-01-01", "expires": soon.isoformat()})
    assert response.status_code == 302
    certificate = Certificate.objects.get(number="晋建安C2(2022)0001234")
    assert certificate.person == person
    content = client.get(reverse("registry:person_detail", args=[person.pk])).content.decode()
    assert "晋建安C2(2022)0001234" in content and 'data-status="expiring"' in content


def test_certificate_dates_and_numbers_are_checked(client, regulator, world):
    person = world.home.person
    client.force_login(regulator)
    url = reverse("registry:certificate_create", args=[person.pk])
    response = client.post(url, {"kind": "A", "number": "晋建安A(2024)1", "issued": "2024-05-01",
                                 "expires": "2024-01-01"})
    assert response.status_code == 200
    assert gettext("The expiry date cannot be before the issue date.") in response.content.decode()
    existing = world.home.certificate
    response = client.post(url, {"kind": existing.kind, "number": existing.number, "issued": "2024-01-01",
                                 "expires": "2027-01-01"})
    assert response.status_code == 200 and response.context["form"].errors
    assert Certificate.objects.filter(number=existing.number).count() == 1


def test_a_certificate_is_revoked_on_edit(client, regulator, world):
    certificate = world.home.certificate
    client.force_login(regulator)
    response = client.post(reverse("registry:certificate_edit", args=[certificate.pk]), {
        "kind": certificate.kind, "number": certificate.number, "issued": "2024-01-01", "expires": "2027-01-01",
        "revoked": "on"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.revoked and certificate.status == "revoked"


# --- Lists ------------------------------------------------------------------------------------------------


def test_the_person_list_searches_by_name_or_whole_id_only(client, regulator, world):
    person = world.home.person
    client.force_login(regulator)
    url = reverse("registry:person_list")

    def names(**params):
        return [p.name for p in client.get(url, params).context["page"]]

    assert names(q="王建") == ["王建国"]
    assert names(q=person.id_number.lower()) == ["王建国"]
    assert names(q=person.id_number[:10]) == []  # partial numbers would let masked digits be guessed
    assert names(enterprise=world.sibling.enterprise.pk) == ["赵同县"]
    assert names(project=world.home.project.pk) == ["王建国"]
    assert client.get(url, {"enterprise": "9" * 40, "project": "-1"}).status_code == 200


def test_the_certificate_list_filters_by_status(client, regulator, world):
    today = beijing_today()
    world.home.certificate.expires = today - dt.timedelta(days=1)
    world.home.certificate.save()
    world.sibling.certificate.expires = today + dt.timedelta(days=30)
    world.sibling.certificate.save()
    client.force_login(regulator)
    url = reverse("registry:certificate_list")

    def holders(**params):
        return [c.person.name for c in client.get(url, params).context["page"]]

    assert holders(status="expired") == ["王建国"]
    assert holders(status="expiring") == ["赵同县"]
    assert holders(status="valid") == []
    assert sorted(holders()) == ["王建国", "赵同县"]  # never the other county's
    assert client.get(url, {"status": "bogus", "expires_before": "not-a-date"}).status_code == 200
