"""`manage.py load_demo`: the 交城县 demo county, its accounts, determinism and idempotency."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from zhiben.accounts.models import User
from zhiben.core.models import AuditLog
from zhiben.core.scoping import scope_of
from zhiben.core.timeutils import BEIJING
from zhiben.demo.builders.accounts import ACCOUNTS, DEMO_PASSWORD
from zhiben.demo.builders.registry_data import ANCHOR_ENTERPRISE, ANCHOR_PROJECT, BIRTH_REGIONS
from zhiben.registry.models import (
    Certificate,
    DangerousWork,
    Employment,
    Enterprise,
    LifetimeBan,
    Person,
    Project,
    ProjectParticipant,
    Qualification,
    Region,
    expiry_status,
)
from zhiben.registry.selectors import active_ban
from zhiben.registry.validators import validate_id_number, validate_phone, validate_uscc

pytestmark = pytest.mark.django_db

SMALL = 300
TODAY = dt.date(2025, 3, 15)
REGISTRY_MODELS = (Enterprise, Qualification, Project, ProjectParticipant, DangerousWork, Person, Employment,
                   Certificate, LifetimeBan)


def load(*args: str) -> str:
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def load_small(*args: str) -> str:
    return load("--size", str(SMALL), *args)


@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2025, 3, 15, 9, 30, tzinfo=BEIJING), tick=False):
        yield TODAY


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (*REGISTRY_MODELS, User)}


def identifiers() -> tuple[list[str], list[str]]:
    return (sorted(Enterprise.objects.values_list("uscc", flat=True)),
            sorted(Person.objects.values_list("id_number", flat=True)))


def test_it_builds_the_full_default_demo_with_valid_identifiers(frozen):
    # How long it takes is measured by bench/, not asserted here (no timing assertions in tests).
    output = load()

    assert "已生成 registry" in output and " s)" in output
    assert Person.objects.count() == 1500
    assert Project.objects.count() == 50
    assert 28 <= Enterprise.objects.count() <= 32
    assert set(Project.objects.values_list("region_id", flat=True)) == {141122}
    assert Counter(Project.objects.values_list("status", flat=True)) == {
        "under_construction": 34, "completed": 7, "preparing": 5, "suspended": 4}
    regions = set(Enterprise.objects.values_list("region_id", flat=True))
    assert {141122, 141102, 141181, 141182, 140105} <= regions
    for enterprise in Enterprise.objects.all():
        validate_uscc(enterprise.uscc)
        assert enterprise.uscc[2:8] == str(enterprise.region_id)
    for person in Person.objects.all():
        validate_id_number(person.id_number)
        validate_phone(person.phone)
        assert person.gender == ("M" if int(person.id_number[16]) % 2 else "F")
        assert person.id_number[6:14] == f"{person.birth_date:%Y%m%d}"
        assert 19 <= TODAY.year - person.birth_date.year <= 61
    born_in_shanxi = sum(1 for n in Person.objects.values_list("id_number", flat=True) if n.startswith("14"))
    assert born_in_shanxi > 1200
    anchor = Enterprise.objects.get(name=ANCHOR_ENTERPRISE)
    by_projects = Counter(Project.objects.values_list("contractor_id", flat=True))
    assert by_projects.most_common(1)[0][0] == anchor.pk
    by_staff = Counter(Employment.objects.filter(ended=None).values_list("enterprise_id", flat=True))
    assert by_staff.most_common(1)[0][0] == anchor.pk


def test_every_row_passes_the_model_validators(frozen):
    load_small()

    for model in REGISTRY_MODELS:
        for obj in model.objects.all():
            before = {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields}
            obj.full_clean()
            after = {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields}
            assert before == after, obj  # clean() derives nothing the builder did not already set


def test_birthplaces_are_real_divisions():
    codes = {code for group, _ in BIRTH_REGIONS for code in group}
    assert Region.objects.filter(code__in=codes).count() == len(codes)


def test_it_is_deterministic(frozen):
    load_small()
    first = identifiers()
    first_numbers = sorted(Certificate.objects.values_list("number", flat=True))

    load_small("--reset")

    assert identifiers() == first
    assert sorted(Certificate.objects.values_list("number", flat=True)) == first_numbers
    assert len(first[1]) == SMALL


def test_another_seed_gives_other_identifiers(frozen):
    load_small()
    first = identifiers()
    load_small("--reset", "--seed", "7")
    assert identifiers()[1] != first[1]
    assert Person.objects.count() == SMALL


def test_a_second_run_changes_nothing_and_prints_the_accounts(frozen):
    load_small()
    before = counts()
    stamps = {model.__name__: sorted(model.objects.values_list("pk", "updated_at")) for model in
              (Enterprise, Person, Project, Certificate)}
    passwords = dict(User.objects.values_list("username", "password"))

    output = load_small()

    assert "演示数据已存在" in output
    assert counts() == before
    assert stamps == {model.__name__: sorted(model.objects.values_list("pk", "updated_at")) for model in
                      (Enterprise, Person, Project, Certificate)}
    assert dict(User.objects.values_list("username", "password")) == passwords
    assert AuditLog.objects.filter(event="demo.loaded").count() == 1
    for account in ACCOUNTS:
        assert account.username in output
    assert output.count(DEMO_PASSWORD) == len(ACCOUNTS)


def test_reset_rebuilds_the_demo(frozen):
    load_small()
    before = counts()
    old_person_ids = set(Person.objects.values_list("pk", flat=True))

    load_small("--reset")

    assert counts() == before
    assert not old_person_ids & set(Person.objects.values_list("pk", flat=True))
    assert AuditLog.objects.filter(event="demo.loaded").count() == 2


def test_reset_keeps_rows_that_are_not_the_demo(frozen, enterprise, project):
    load_small()
    load_small("--reset")
    assert Enterprise.objects.filter(pk=enterprise.pk).exists()
    assert Project.objects.filter(pk=project.pk).exists()


def test_a_missing_stage_or_account_is_built_on_the_next_run(frozen):
    load_small()
    persons = Person.objects.count()
    User.objects.filter(username="jc_leader").delete()

    output = load_small()

    assert "已生成 accounts" in output and "已生成 registry" not in output
    assert User.objects.get(username="jc_leader").check_password(DEMO_PASSWORD)
    assert Person.objects.count() == persons


def test_it_refuses_a_size_below_the_minimum():
    with pytest.raises(CommandError):
        load("--size", "50")


def test_every_demo_account_logs_in_and_has_its_scope(frozen, client):
    load_small()
    anchor = Enterprise.objects.get(name=ANCHOR_ENTERPRISE)
    project = Project.objects.get(name=ANCHOR_PROJECT)
    expected = {
        "admin": ("all", None, None, None),
        "jc_admin": ("region", 141122, None, None),
        "jc_inspector": ("region", 141122, None, None),
        "jc_leader": ("region", 141122, None, None),
        "ll_admin": ("region", 141100, None, None),
        "zhuanjia": ("region", 141122, None, None),
        "qiye": ("enterprise", None, anchor.pk, None),
        "xiangmu": ("project", None, None, project.pk),
        "qiye_fzr": ("enterprise", None, anchor.pk, None),
    }
    assert [a.username for a in ACCOUNTS] == list(expected)

    for username, (kind, region, enterprise, project_id) in expected.items():
        client.logout()
        response = client.post(reverse("accounts:login"), {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        user = User.objects.get(username=username)
        assert int(client.session["_auth_user_id"]) == user.pk
        scope = scope_of(user)
        assert (scope.kind, scope.region, scope.enterprise, scope.project) == (kind, region, enterprise,
                                                                             project_id), username
        assert user.display_name

    roles = dict(User.objects.values_list("username", "role"))
    assert roles["jc_admin"] == "regulator_admin" and roles["jc_inspector"] == "inspector"
    assert roles["jc_leader"] == "leader" and roles["zhuanjia"] == "expert"
    assert User.objects.get(username="admin").is_superuser
    assert project.contractor == anchor and project.status == "under_construction"
    fzr = User.objects.get(username="qiye_fzr")
    assert fzr.person == anchor.principal and fzr.person.certificates.filter(kind="A").exists()
    assert User.objects.get(username="jc_admin").display_name == "交城县住建局管理员"


def test_certificates_and_licences_expire_relative_to_today(frozen):
    load_small()

    statuses = Counter(c.status for c in Certificate.objects.all())
    assert statuses["expiring"] >= 3 and statuses["expired"] >= 3 and statuses["revoked"] == 1
    assert statuses["valid"] > statuses["expiring"] + statuses["expired"]
    assert Certificate.objects.with_status("expiring", today=TODAY).count() == statuses["expiring"]
    for kind in ("A", "B", "C2", "electrician"):
        assert Certificate.objects.filter(kind=kind).exists(), kind
    licences = Counter(e.licence_status for e in Enterprise.objects.exclude(safety_licence_expires=None))
    assert licences["expiring"] >= 2 and licences["expired"] >= 2
    assert Enterprise.objects.filter(safety_licence_no__startswith="(晋)JZ安许证字[").count() == sum(licences.values())
    assert all(expiry_status(c.expires, today=TODAY) == "expiring" for c in
               Certificate.objects.with_status("expiring", today=TODAY))


def test_warnings_follow_the_day_the_demo_is_built():
    with time_machine.travel(dt.datetime(2026, 9, 1, 12, tzinfo=BEIJING), tick=False):
        load_small()
        day = dt.date(2026, 9, 1)
        assert Certificate.objects.with_status("expiring", today=day).exists()
        assert Certificate.objects.with_status("expired", today=day).exists()


def test_the_lifetime_banned_person_exists_and_holds_no_post(frozen):
    load_small()

    ban = LifetimeBan.objects.get()
    person = ban.person
    assert not ban.lifted and "终身" in ban.reason
    assert active_ban(person) == ban
    assert not Enterprise.objects.filter(principal=person).exists()
    assert not Project.objects.filter(manager=person).exists()
    assert person.certificates.get(kind="A").revoked
    assert not person.employments.filter(ended=None).exists()


def test_projects_have_teams_participants_and_dangerous_works(frozen):
    load_small()

    for project in Project.objects.select_related("manager"):
        assert project.manager.certificates.filter(kind="B").exists(), project
        roles = set(project.participants.values_list("role", flat=True))
        assert {"owner", "supervisor"} <= roles, project
        if project.status != "preparing":
            assert project.permit_no.startswith("141122") and project.start_date
    over = DangerousWork.objects.filter(over_threshold=True)
    assert over.filter(category="pit", description__contains="开挖深度").exists()
    assert over.exists() and DangerousWork.objects.filter(over_threshold=False).exists()
    kinds = set(Employment.objects.values_list("kind", flat=True))
    assert kinds == {"staff", "dispatched", "outsourced", "leased", "flexible"}
    positions = set(Employment.objects.values_list("position", flat=True))
    assert {"项目负责人", "专职安全员", "施工员", "特种作业人员", "普通工人"} <= positions
    officers = Person.objects.filter(employments__position="专职安全员").distinct()
    assert all(p.certificates.filter(kind__in=["C1", "C2", "C3"]).exists() for p in officers)
