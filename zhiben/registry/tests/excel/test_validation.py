"""Every row is validated before anything is written; one bad row means nothing is imported, and the report names
the row and the column."""

from __future__ import annotations

import datetime as dt

import pytest

from zhiben.registry.excel.kinds import KINDS
from zhiben.registry.factories import CertificateFactory, EnterpriseFactory, make_id_number, make_uscc
from zhiben.registry.models import Certificate, Enterprise, ImportJob, Person

from .conftest import headers_of, row_for, xlsx

pytestmark = pytest.mark.django_db


def header(kind: str, field: str) -> str:
    return KINDS[kind].column(field).header_text()


def errors_of(job: ImportJob) -> set[tuple]:
    return {(e["row"], e["column"]) for e in job.errors}


def good_person(n: int, name: str = "") -> list:
    return row_for("persons", name=name or f"工人{n}", id_number=make_id_number(n, birth=dt.date(1988, 1, 2)),
                      phone=f"1370000{n:04d}")


def test_one_bad_row_writes_nothing_and_reports_its_row_and_column(client, enterprise_user, do_import):
    valid = make_id_number(3, birth=dt.date(1988, 1, 2))
    wrong = valid[:17] + ("1" if valid[17] != "1" else "2")  # the check digit is wrong
    bad = row_for("persons", name="钱错号", id_number=wrong)
    content = xlsx([good_person(1), good_person(2), bad, good_person(4)], kind="persons")
    response = do_import(enterprise_user, "persons", content)
    job = ImportJob.objects.get()
    assert job.status == "failed"
    assert Person.objects.count() == 0
    assert job.errors == [{"row": 4, "col": 2, "column": header("persons", "id_number"),
                           "message": job.errors[0]["message"]}]
    assert "校验码错误" in job.errors[0]["message"]
    page = client.get(response.url).content.decode()
    assert 'data-status="failed"' in page and header("persons", "id_number") in page and "<td>4</td>" in page


def test_a_failure_while_writing_undoes_the_rows_already_written(enterprise_user, do_import, monkeypatch):
    from zhiben.registry.excel.kinds.persons import PersonKind

    original = PersonKind.write

    def write(self, row, ctx):
        if row.number == 4:
            from django.core.exceptions import ValidationError

            raise ValidationError({"phone": ["电话号码已被占用"]})
        return original(self, row, ctx)

    monkeypatch.setattr(PersonKind, "write", write)
    do_import(enterprise_user, "persons", xlsx([good_person(1), good_person(2), good_person(3)], kind="persons"))
    job = ImportJob.objects.get()
    assert job.status == "failed" and Person.objects.count() == 0
    assert job.errors == [{"row": 4, "col": 3, "column": header("persons", "phone"), "message": "电话号码已被占用"}]


def test_every_kind_of_cell_error_is_reported_at_once(regulator, do_import):
    rows = [
        ["", make_uscc(1), 141122],  # name missing
        ["乙公司", "91141122MA0K12345X", 141122],  # bad check character
        ["丙公司", make_uscc(3), 999999],  # unknown region
        ["丁公司", make_uscc(4), 141122, None, None, "12345", None, "2024-02-30"],  # phone, date
        ["戊公司", make_uscc(5), 141122, None, None, None, None, None, None, "卓越级"],  # unknown choice
        ["己公司", make_uscc(6), 141122, None, None, None, None, "2024-05-01", "2024-04-01"],  # expires first
    ]
    do_import(regulator, "enterprises", xlsx(rows, kind="enterprises"))
    job = ImportJob.objects.get()
    assert job.status == "failed" and Enterprise.objects.count() == 0
    h = lambda f: header("enterprises", f)  # noqa: E731
    assert errors_of(job) == {
        (2, h("name")), (3, h("uscc")), (4, h("region")), (5, h("phone")), (5, h("safety_licence_issued")),
        (6, h("standardization_level")), (7, h("safety_licence_expires")),
    }
    assert job.summary["bad_rows"] == 6


def test_the_same_person_on_two_projects_is_two_employments(enterprise_user, do_import, project):
    number = make_id_number(6, birth=dt.date(1990, 1, 1))
    rows = [row_for("persons", name="孙一", id_number=number),
            row_for("persons", name="孙一", id_number=number, project_name=project.name),
            row_for("persons", name="孙一", id_number=number, project_name=project.name)]
    do_import(enterprise_user, "persons", xlsx(rows, kind="persons"))
    job = ImportJob.objects.get()
    assert errors_of(job) == {(4, header("persons", "id_number"))}
    do_import(enterprise_user, "persons", xlsx(rows[:2], kind="persons"))
    job = ImportJob.objects.latest("id")
    assert job.status == "succeeded", job.errors
    assert Person.objects.get(id_number=number).employments.count() == 2


def test_duplicate_rows_inside_the_file_are_reported_against_the_first(regulator, do_import):
    rows = [["甲公司", make_uscc(1), 141122], ["乙公司", make_uscc(2), 141122], ["甲公司二", make_uscc(1), 141122]]
    do_import(regulator, "enterprises", xlsx(rows, kind="enterprises"))
    job = ImportJob.objects.get()
    assert job.status == "failed" and Enterprise.objects.count() == 0
    assert [(e["row"], e["column"]) for e in job.errors] == [(4, header("enterprises", "uscc"))]
    assert "2" in job.errors[0]["message"]


def test_the_same_person_twice_with_different_names_is_reported(enterprise_user, do_import, project):
    number = make_id_number(5, birth=dt.date(1990, 1, 1))
    rows = [row_for("persons", name="孙一", id_number=number),
            row_for("persons", name="孙二", id_number=number, project_name=project.name)]
    do_import(enterprise_user, "persons", xlsx(rows, kind="persons"))
    job = ImportJob.objects.get()
    assert job.status == "failed"
    assert errors_of(job) == {(3, header("persons", "name"))}
    assert "2" in job.errors[0]["message"]


def test_references_outside_the_callers_scope_are_not_found(enterprise_user, do_import, outsider, other_project,
                                                            other_enterprise):
    rows = [
        row_for("certificates", person_id_number=outsider.id_number, kind="C2", number="X-1",
                   issued="2024-01-01", expires="2027-01-01"),
    ]
    do_import(enterprise_user, "certificates", xlsx(rows, kind="certificates"))
    job = ImportJob.objects.get()
    assert job.status == "failed" and Certificate.objects.count() == 0
    assert job.errors[0]["column"] == header("certificates", "person_id_number")
    assert "未找到" in job.errors[0]["message"]

    rows = [row_for("persons", name="周某", id_number=make_id_number(9, birth=dt.date(1990, 1, 1)),
                       enterprise_uscc=other_enterprise.uscc, project_name=other_project.name)]
    do_import(enterprise_user, "persons", xlsx(rows, kind="persons"))
    job = ImportJob.objects.latest("id")
    assert errors_of(job) == {(2, header("persons", "enterprise_uscc")), (2, header("persons", "project_name"))}
    assert Person.objects.filter(name="周某").count() == 0


def test_a_regulator_cannot_place_an_enterprise_in_another_county(regulator, do_import):
    do_import(regulator, "enterprises", xlsx([["外县公司", make_uscc(1, 141102), 141102]], kind="enterprises"))
    job = ImportJob.objects.get()
    assert errors_of(job) == {(2, header("enterprises", "region"))}


def test_conflicts_with_the_database_are_reported(regulator, do_import, other_enterprise, employee):
    taken = CertificateFactory(person=employee, kind="C2", number="C2-1")
    rows = [["撞号公司", other_enterprise.uscc, 141122]]
    do_import(regulator, "enterprises", xlsx(rows, kind="enterprises"))
    job = ImportJob.objects.get()
    assert errors_of(job) == {(2, header("enterprises", "uscc"))}
    assert "管辖范围之外" in job.errors[0]["message"]

    someone = Person.objects.create(name="另一人", id_number=make_id_number(44, birth=dt.date(1970, 1, 1)),
                                    region_id=141122)
    rows = [row_for("certificates", person_id_number=someone.id_number, kind="C2", number=taken.number,
                       issued="2024-01-01", expires="2026-01-01")]
    do_import(regulator, "certificates", xlsx(rows, kind="certificates"))
    job = ImportJob.objects.latest("id")
    assert errors_of(job) == {(2, header("certificates", "number"))}
    assert Certificate.objects.get(number="C2-1").person == employee


def test_english_codes_are_accepted_as_headers_and_columns_may_be_reordered(regulator, do_import):
    content = xlsx([[141122, make_uscc(7), "英文表头公司"]], headers=["region", "USCC", "name"])
    do_import(regulator, "enterprises", content)
    job = ImportJob.objects.get()
    assert job.status == "succeeded", job.errors
    assert Enterprise.objects.get(uscc=make_uscc(7)).name == "英文表头公司"


def test_a_missing_required_column_is_a_file_error(regulator, do_import):
    do_import(regulator, "enterprises", xlsx([["缺列公司"]], headers=[header("enterprises", "name")]))
    job = ImportJob.objects.get()
    assert job.status == "failed"
    assert {e["column"] for e in job.errors} == {header("enterprises", "uscc"), header("enterprises", "region")}


def test_a_file_without_rows_fails_with_a_message(regulator, do_import):
    do_import(regulator, "enterprises", xlsx([], kind="enterprises"))
    job = ImportJob.objects.get()
    assert job.status == "failed" and job.errors[0]["row"] is None


def test_an_id_number_typed_as_a_number_gets_a_hint(enterprise_user, do_import):
    row = row_for("persons", name="数字号", id_number=141122198801020011)
    do_import(enterprise_user, "persons", xlsx([row], kind="persons"))
    job = ImportJob.objects.get()
    assert job.status == "failed" and "文本格式" in job.errors[0]["message"]


def test_an_enterprise_user_updates_a_known_person_instead_of_duplicating_them(enterprise_user, do_import,
                                                                               employee, enterprise, project):
    row = row_for("persons", name=employee.name, id_number=employee.id_number, phone="13611112222",
                     project_name=project.name, position="架子工")
    do_import(enterprise_user, "persons", xlsx([row], kind="persons"))
    job = ImportJob.objects.get()
    assert job.status == "succeeded", job.errors
    assert job.summary["updated"] == 1
    employee.refresh_from_db()
    assert employee.phone == "13611112222"
    assert employee.employments.get().position == "架子工"


def test_a_person_known_elsewhere_is_attached_not_duplicated(enterprise_user, do_import, outsider, enterprise):
    row = row_for("persons", name="名字不同也不泄露", id_number=outsider.id_number)
    do_import(enterprise_user, "persons", xlsx([row], kind="persons"))
    job = ImportJob.objects.get()
    assert job.status == "succeeded", job.errors
    outsider.refresh_from_db()
    assert outsider.name == "王外县"  # an invisible person's record is not changed
    assert outsider.employments.filter(enterprise=enterprise).exists()


def test_a_banned_principal_is_refused_before_anything_is_written(regulator, do_import, employee):
    from zhiben.registry.models import LifetimeBan

    LifetimeBan.objects.create(person=employee, reason="重大事故责任", decided_on=dt.date(2023, 1, 1))
    rows = [["禁入公司", make_uscc(8), 141122] + [None] * 7 + [employee.id_number]]
    do_import(regulator, "enterprises", xlsx(rows, kind="enterprises"))
    job = ImportJob.objects.get()
    assert errors_of(job) == {(2, header("enterprises", "principal_id_number"))}
    assert not Enterprise.objects.filter(uscc=make_uscc(8)).exists()


def test_ambiguous_project_names_are_reported(regulator, do_import, enterprise):
    from zhiben.registry.factories import ProjectFactory

    ProjectFactory(contractor=enterprise, name="重名项目")
    ProjectFactory(contractor=enterprise, name="重名项目")
    row = row_for("persons", name="某人", id_number=make_id_number(3, birth=dt.date(1990, 1, 1)),
                     project_name="重名项目")
    do_import(regulator, "persons", xlsx([row], kind="persons"))
    job = ImportJob.objects.get()
    assert errors_of(job) == {(2, header("persons", "project_name"))}


def test_headers_of_all_kinds_are_distinct():
    for kind in ("enterprises", "projects", "persons", "certificates"):
        assert len(set(headers_of(kind))) == len(headers_of(kind))
    assert EnterpriseFactory  # factories are importable for the other tests


def test_a_subcontractors_people_on_a_project_are_employed_by_the_subcontractor(
        other_enterprise_user, other_enterprise, project, do_import):
    from zhiben.registry.models import ProjectParticipant

    ProjectParticipant.objects.create(project=project, enterprise=other_enterprise, role="labour_sub")
    row = row_for("persons", name="分包工人", id_number=make_id_number(21, birth=dt.date(1990, 1, 1)),
                  project_name=project.name)
    do_import(other_enterprise_user, "persons", xlsx([row], kind="persons"))
    job = ImportJob.objects.get()
    assert job.status == "succeeded", job.errors
    employment = Person.objects.get(name="分包工人").employments.get()
    assert employment.enterprise == other_enterprise and employment.project == project
