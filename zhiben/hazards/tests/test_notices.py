import datetime as dt
import zipfile
from io import BytesIO

import pytest
import time_machine
from django.core.exceptions import ValidationError

from zhiben.core.errors import Forbidden
from zhiben.documents.testing import pdf_text
from zhiben.hazards import notices

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2026, 11, 28, 2, 0, tzinfo=dt.UTC))
def test_a_notice_numbers_documents_and_records_on_each_hazard(register, regulator):
    first, second = register(), register(description="外脚手架连墙件缺失", level="general")
    notice = notices.notice_issue(actor=regulator, hazard_ids=[first.pk, second.pk])
    again = notices.notice_issue(actor=regulator, hazard_ids=[first.pk])
    assert notice.number == "交住建安改〔2026〕1号" and again.number == "交住建安改〔2026〕2号"
    assert notice.deadline == min(first.deadline, second.deadline)
    assert first.events.filter(action="notice-issued").count() == 2
    assert notice.issuer_name == "交城县住房和城乡建设管理局"


@time_machine.travel(dt.datetime(2026, 11, 28, 2, 0, tzinfo=dt.UTC))
def test_the_notice_downloads_as_word_and_pdf_with_chinese_text(register, regulator, client):
    hazard = register(description="塔吊附着装置未按方案设置")
    notice = notices.notice_issue(actor=regulator, hazard_ids=[hazard.pk])
    client.force_login(regulator)
    docx = client.get(f"/hazards/notices/{notice.pk}/docx/")
    assert docx.status_code == 200
    xml = zipfile.ZipFile(BytesIO(docx.content)).read("word/document.xml").decode()
    assert "塔吊附着装置未按方案设置" in xml and notice.number in xml
    pdf = client.get(f"/hazards/notices/{notice.pk}/pdf/")
    assert "塔吊附着装置未按方案设置" in pdf_text(pdf.content)


def test_only_regulators_issue_and_only_in_scope(register, enterprise_user, other_regulator, regulator):
    hazard = register()
    with pytest.raises(Forbidden):
        notices.notice_issue(actor=enterprise_user, hazard_ids=[hazard.pk])
    with pytest.raises(ValidationError):
        notices.notice_issue(actor=other_regulator, hazard_ids=[hazard.pk])


def test_a_notice_is_for_one_project(register, regulator, enterprise):
    from zhiben.registry.factories import ProjectFactory

    other = ProjectFactory(contractor=enterprise)
    with pytest.raises(ValidationError):
        notices.notice_issue(actor=regulator, hazard_ids=[register().pk, register(project_id=other.pk).pk])


def test_notice_pages_are_scoped(register, regulator, other_regulator, enterprise_user, other_enterprise_user, client):
    notice = notices.notice_issue(actor=regulator, hazard_ids=[register().pk])
    for user, expected in [(regulator, 200), (enterprise_user, 200), (other_regulator, 404),
                           (other_enterprise_user, 404)]:
        client.force_login(user)
        assert client.get(f"/hazards/notices/{notice.pk}/").status_code == expected
        assert client.get(f"/hazards/notices/{notice.pk}/pdf/").status_code == expected
