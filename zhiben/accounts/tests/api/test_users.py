"""/api/v1/users/: regulator admins manage the users of their region, platform administrators everyone."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from zhiben.accounts.models import User
from zhiben.accounts.tests.api.conftest import CAST, ROLES
from zhiben.core.models import AuditLog

pytestmark = pytest.mark.django_db

URL = "/api/v1/users/"
NEW_PASSWORD = "Jiaocheng#2024"

COUNTY_USERS = {"reg", "insp", "lead", "exp", "ent", "proj"}
OTHER_COUNTY_USERS = {"reg2", "ent2"}
# Which usernames each role lists; None = 403.
LISTS = {
    "regulator": COUNTY_USERS,
    "other_regulator": OTHER_COUNTY_USERS,
    "city_regulator": COUNTY_USERS | OTHER_COUNTY_USERS | {"city"},
    "platform_admin": COUNTY_USERS | OTHER_COUNTY_USERS | {"city", "root"},
}


def usernames(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["username"] for row in response.json()["results"]}


@pytest.mark.parametrize("role", CAST)
def test_the_list_holds_the_users_of_the_callers_region_or_is_403(role, cast, client_as):
    response = client_as(role).get(URL, {"page_size": 100})
    if role in LISTS:
        assert usernames(response) == LISTS[role]
    else:
        assert response.status_code == 403


def test_anonymous_callers_get_401(cast, client_as):
    client = client_as("anonymous")
    assert client.get(URL).status_code == 401
    assert client.get(f"{URL}{cast['regulator'].pk}/").status_code == 401
    assert client.post(URL, {"username": "x"}, format="json").status_code == 401


@pytest.mark.parametrize("role", CAST)
@pytest.mark.parametrize("target", CAST)
def test_detail_is_200_for_users_in_the_region_and_404_outside(role, target, cast, client_as):
    response = client_as(role).get(f"{URL}{cast[target].pk}/")
    if role not in LISTS:
        assert response.status_code == 403
    else:
        assert response.status_code == (200 if cast[target].username in LISTS[role] else 404)


def test_a_user_reads_with_region_code_and_scope_ids(cast, client_as):
    client = client_as("regulator")
    body = client.get(f"{URL}{cast['inspector'].pk}/").json()
    assert (body["role"], body["region"], body["enterprise"], body["project"]) == ("inspector", "141122", None, None)
    body = client.get(f"{URL}{cast['project_user'].pk}/").json()
    assert (body["role"], body["region"], body["project"]) == ("project", "141122", cast["project_user"].project_id)
    assert "password" not in body


# --- creating users ----------------------------------------------------------------------------------------


def inspector_payload(**extra) -> dict:
    return {"username": "newinsp", "password": NEW_PASSWORD, "role": "inspector", "region": "141122",
            "display_name": "新监督员", **extra}


CREATE_STATUS = {
    "regulator": 201, "inspector": 403, "leader": 403, "expert": 403,
    "other_regulator": 400,  # 141122 is not theirs
    "city_regulator": 201, "enterprise_user": 403, "other_enterprise_user": 403, "project_user": 403,
    "platform_admin": 201, "anonymous": 401,
}


@pytest.mark.parametrize("role", ROLES)
def test_only_regulator_admins_and_platform_admins_create_users_and_only_in_their_region(role, cast, client_as):
    response = client_as(role).post(URL, inspector_payload(), format="json")
    assert response.status_code == CREATE_STATUS[role], response.content
    created = User.objects.filter(username="newinsp").first()
    if response.status_code == 201:
        assert (created.role, created.region_id, created.display_name) == ("inspector", 141122, "新监督员")
        assert created.check_password(NEW_PASSWORD)
        assert response.json()["region"] == "141122"
        assert AuditLog.objects.filter(event="user.created", object_id=str(created.pk)).exists()
    else:
        assert created is None
    if response.status_code == 400:
        assert list(response.json()["errors"]) == ["region"]


def test_the_new_user_can_get_a_token(cast, client_as):
    client_as("regulator").post(URL, inspector_payload(), format="json")
    response = APIClient().post("/api/v1/auth/token/", {"username": "newinsp", "password": NEW_PASSWORD},
                                format="json")
    assert response.status_code == 200


@pytest.mark.parametrize(("payload", "field"), [
    ({"role": "enterprise", "region": None, "enterprise": "other_enterprise"}, "enterprise"),
    ({"role": "project", "region": None, "project": "other_project"}, "project"),
    ({"role": "leader", "region": "141100"}, "region"),  # the city above the county
    ({"role": "regulator_admin", "region": "141102"}, "region"),
])
def test_a_regulator_admin_cannot_reach_outside_the_region(payload, field, cast, client_as, request):
    payload = {key: (request.getfixturevalue(value).pk if key in {"enterprise", "project"} else value)
               for key, value in payload.items()}
    response = client_as("regulator").post(URL, inspector_payload(**payload), format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_a_regulator_admin_creates_enterprise_and_project_users_of_the_county(cast, client_as, enterprise,
                                                                              project):
    client = client_as("regulator")
    response = client.post(URL, inspector_payload(username="ent9", role="enterprise", region=None,
                                                  enterprise=enterprise.pk), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["region"] == "141122"
    response = client.post(URL, inspector_payload(username="proj9", role="project", region=None,
                                                  project=project.pk), format="json")
    assert response.status_code == 201, response.content
    assert User.objects.get(username="proj9").enterprise == enterprise


def test_a_platform_administrator_creates_users_anywhere(cast, client_as, other_enterprise):
    client = client_as("platform_admin")
    assert client.post(URL, inspector_payload(region="140000"), format="json").status_code == 201
    response = client.post(URL, inspector_payload(username="ent3", role="enterprise", region=None,
                                                  enterprise=other_enterprise.pk), format="json")
    assert response.status_code == 201


@pytest.mark.parametrize(("payload", "field"), [
    ({"role": "inspector", "region": None}, "region"),
    ({"role": "enterprise", "region": None}, "enterprise"),
    ({"role": "project", "region": None}, "project"),
    ({"role": "superuser"}, "role"),
    ({"username": "reg"}, "username"),
    ({"username": ""}, "username"),
    ({"password": ""}, "password"),
    ({"region": "abc"}, "region"),
    ({"enterprise": "abc", "role": "enterprise"}, "enterprise"),
])
def test_missing_scope_and_bad_fields_are_a_400_naming_the_field(payload, field, cast, client_as):
    response = client_as("regulator").post(URL, inspector_payload(**payload), format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]


@pytest.mark.parametrize("password", ["Ab#1", "abcdefghij", "newinsp2024", "Password1", "12345678"])
def test_the_password_policy_is_enforced(password, cast, client_as):
    response = client_as("regulator").post(URL, inspector_payload(password=password), format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["password"]
    assert not User.objects.filter(username="newinsp").exists()


def test_password_messages_come_through_the_translation_catalogue(cast, client_as):
    response = client_as("regulator").post(URL, inspector_payload(password="password1"), format="json")
    messages = response.json()["errors"]["password"]
    assert len(messages) == 2  # too common, and too few character classes
    assert "这个密码太常见了。" in messages  # zh-hans is the users' language


def test_a_password_may_contain_chinese_characters(cast, client_as):
    response = client_as("regulator").post(URL, inspector_payload(password="交城县Aq#2024"), format="json")
    assert response.status_code == 201, response.content
    assert User.objects.get(username="newinsp").check_password("交城县Aq#2024")


# --- changing users --------------------------------------------------------------------------------------


def test_a_regulator_admin_changes_users_of_the_region_only(cast, client_as):
    client = client_as("regulator")
    response = client.patch(f"{URL}{cast['inspector'].pk}/", {"display_name": "张监督", "is_active": False},
                            format="json")
    assert response.status_code == 200, response.content
    cast["inspector"].refresh_from_db()
    assert (cast["inspector"].display_name, cast["inspector"].is_active) == ("张监督", False)
    response = client.patch(f"{URL}{cast['other_enterprise_user'].pk}/", {"display_name": "x"}, format="json")
    assert response.status_code == 404
    response = client.patch(f"{URL}{cast['inspector'].pk}/", {"region": "141102"}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["region"]


@pytest.mark.parametrize(("field", "value"), [("role", "inspector"), ("is_active", False), ("region", "141100")])
def test_an_administrator_cannot_demote_move_or_deactivate_themselves(field, value, cast, client_as):
    for role in ("regulator", "platform_admin"):
        me = cast[role]
        response = client_as(role).patch(f"{URL}{me.pk}/", {field: value}, format="json")
        assert response.status_code == 400, response.content
        assert list(response.json()["errors"]) == [field]
        me.refresh_from_db()
        assert me.is_active and me.role == ("regulator_admin" if role == "regulator" else "")


def test_an_administrator_may_change_their_own_name_and_resend_unchanged_fields(cast, client_as):
    me = cast["regulator"]
    response = client_as("regulator").patch(
        f"{URL}{me.pk}/", {"display_name": "交城管理员", "role": "regulator_admin", "is_active": True}, format="json"
    )
    assert response.status_code == 200, response.content
    me.refresh_from_db()
    assert me.display_name == "交城管理员"


def test_a_password_reset_follows_the_policy_and_names_the_field(cast, client_as):
    client = client_as("regulator")
    response = client.patch(f"{URL}{cast['inspector'].pk}/", {"password": "short"}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["password"]
    response = client.patch(f"{URL}{cast['inspector'].pk}/", {"password": NEW_PASSWORD}, format="json")
    assert response.status_code == 200
    cast["inspector"].refresh_from_db()
    assert cast["inspector"].check_password(NEW_PASSWORD)


def test_put_and_delete_are_not_offered(cast, client_as):
    client = client_as("platform_admin")
    assert client.put(f"{URL}{cast['inspector'].pk}/", inspector_payload(), format="json").status_code == 405
    assert client.delete(f"{URL}{cast['inspector'].pk}/").status_code == 405


@pytest.mark.parametrize("role", ["inspector", "leader", "enterprise_user", "project_user", "expert"])
def test_other_roles_cannot_change_users(role, cast, client_as):
    response = client_as(role).patch(f"{URL}{cast[role].pk}/", {"role": "regulator_admin"}, format="json")
    assert response.status_code == 403
    cast[role].refresh_from_db()
    assert cast[role].role != "regulator_admin"


# --- phones and query counts -----------------------------------------------------------------------------


def test_phones_are_masked_unless_permitted_and_reveals_are_audited(cast, client_as):
    cast["inspector"].phone = "13912345678"
    cast["inspector"].save()
    body = client_as("regulator").get(f"{URL}{cast['inspector'].pk}/").json()
    assert body["phone"] == "139****5678"
    assert not AuditLog.objects.filter(event="user.revealed").exists()
    cast["regulator"].user_permissions.add(Permission.objects.get(codename="view_sensitive_person"))
    regulator = User.objects.get(pk=cast["regulator"].pk)  # fresh permission cache
    client = APIClient()
    client.force_authenticate(regulator)
    assert client.get(f"{URL}{cast['inspector'].pk}/").json()["phone"] == "13912345678"
    assert AuditLog.objects.filter(event="user.revealed", object_id=str(cast["inspector"].pk)).exists()


def test_the_list_runs_a_fixed_number_of_queries(regulator, jiaocheng, django_assert_num_queries):
    from conftest import make_user

    for n in range(55):
        make_user(f"insp{n:02d}", "inspector", region=jiaocheng)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=regulator).key}")
    for page_size in (5, 50):
        # token, count, page (with region, enterprise, project), the caller's permissions (user, group)
        with django_assert_num_queries(5):
            response = client.get(URL, {"page_size": page_size})
        assert len(response.json()["results"]) == page_size
