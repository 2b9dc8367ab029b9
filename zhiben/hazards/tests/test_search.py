"""Text search of the ledger (q=): the indexed search gives exactly the old ILIKE result (a case-insensitive
substring of the description, location, project name or enterprise name), and the document follows every write."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from zhiben.hazards import search as hazard_search
from zhiben.hazards import services
from zhiben.hazards.models import Hazard
from zhiben.hazards.tests.conftest import beijing
from zhiben.registry import services as registry_services
from zhiben.registry.factories import EnterpriseFactory, ProjectFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/hazards/"
# Chinese, Latin of both cases, digits, spaces and the characters that mean something to LIKE, tsquery or FTS5.
ALPHABET = list("塔吊脚手架临时用电深基坑支护高处坠落") + list("QTZqtz80") + [" ", "%", "_", "'", '"', "\\", ":", "*",
                                                                        "&", "|", "!", "(", "，", "。", "#", "-"]
FIXED = ["塔吊附着装置未按方案设置", "QTZ80塔式起重机（tc5610）标准节螺栓松动", "50%_进度 it's \"ok\" \\ 完成",
         "临时用电：三级配电、两级保护！", "深基坑支护 & 监测 | 无 (未做)", "外脚手架连墙件缺失\n第二行：高处坠落"]
QUERIES = ["塔", "吊", "塔吊", "脚手架", "临时用电", "深基坑支护", "高处坠落", "QTZ80", "qtz80", "Tc56", "5610",
           "80塔", "%", "_", "50%", "%_", "'", "it's", '"ok"', "\\", ":", ":*", "&", "|", "!", "(未", "，", "：",
           "& 监", "！", "件缺失\n第二", "缺失\n", "a", "不存在", "塔吊塔吊", "Q", "z", "#楼", "门诊楼", "建筑工程",
           "县人民", "交城县建筑工程有限公司", "有限公司QTZ"]


def rows_of(project, texts: list[str], *, prefix: str) -> list[Hazard]:
    found = beijing(2025, 3, 1)
    rows = []
    for i, text in enumerate(texts):
        hazard = Hazard(code=f"S{prefix}{i:06d}", project=project, enterprise=project.contractor,
                        region_id=project.region_id, channel="inspection", level="general", description=text,
                        location=f"{i % 7}#楼{'A' if i % 2 else 'b'}", found_at=found - dt.timedelta(hours=i),
                        found_on=found.date(), is_stock=False, deadline=dt.date(2025, 3, 15),
                        original_deadline=dt.date(2025, 3, 15), first_channel="inspection", first_found_at=found)
        hazard_search.fill(hazard)
        rows.append(hazard)
    return Hazard.objects.bulk_create(rows)


def substring_ids(value: str) -> set[int]:
    """The old semantics, in Python: a case-insensitive substring of any of the four fields."""
    needle = value.strip()[:100].lower()
    return {h.pk for h in Hazard.objects.select_related("project", "enterprise")
            if any(needle in text.lower() for text in (h.description, h.location, h.project.name, h.enterprise.name))}


def searched_ids(value: str) -> set[int]:
    return set(Hazard.objects.filter(hazard_search.matching(value)).values_list("pk", flat=True))


@pytest.fixture
def ledger(project):
    rnd = random.Random(7)
    latin = ProjectFactory(contractor=EnterpriseFactory(region=project.region, name="ABC建设有限公司QTZ"),
                           name="QTZ80 Tower 门诊楼", region=project.region)
    random_texts = ["".join(rnd.choice(ALPHABET) for _ in range(rnd.randint(1, 30))) for _ in range(120)]
    return rows_of(project, FIXED + random_texts[:60], prefix="A") + rows_of(latin, random_texts[60:], prefix="B")


def test_the_search_equals_a_plain_substring_filter(ledger):
    rnd = random.Random(11)
    sampled = []
    for hazard in rnd.sample(ledger, 40):
        text = hazard.description
        start = rnd.randrange(len(text))
        piece = text[start:start + rnd.randint(1, 6)]
        sampled.append(piece.swapcase() if rnd.random() < 0.3 else piece)
    for value in QUERIES + sampled:
        if not value.strip():
            continue
        assert searched_ids(value) == substring_ids(value), value
    assert searched_ids("塔吊")  # the data does hold matches: the comparison is not between two empty sets
    assert searched_ids("qtz80") == searched_ids("QTZ80") != set()


def test_the_api_finds_text_and_whole_codes(api, regulator, ledger):
    api.force_authenticate(regulator)
    client = api
    body = client.get(URL, {"q": "qtz80"}).json()
    assert {row["id"] for row in body["results"]} <= substring_ids("qtz80")
    assert body["count"] == len(substring_ids("qtz80"))
    code = ledger[3].code
    assert [row["code"] for row in client.get(URL, {"q": code.lower()}).json()["results"]] == [code]
    assert client.get(URL, {"q": "   "}).json()["count"] == len(ledger)


def test_registration_and_changes_keep_the_document_current(register, regulator, project, enterprise):
    hazard = register(description="塔吊标准节螺栓松动", location="3#楼")
    assert searched_ids("螺栓") == {hazard.pk}
    services.hazard_update(actor=regulator, hazard_id=hazard.pk, description="施工升降机防坠器过期",
                           location="5#楼")
    assert searched_ids("螺栓") == searched_ids("标准节螺栓") == set()  # two characters and three (FTS5 on SQLite)
    assert searched_ids("防坠") == searched_ids("5#") == {hazard.pk}


def test_renaming_a_project_or_enterprise_rewrites_their_hazards_documents(register, regulator, project,
                                                                          enterprise):
    hazard = register(description="临边防护缺失")
    assert searched_ids("门诊楼") == {hazard.pk}
    registry_services.project_save(actor=regulator, project=project, name="交城县第二中学教学楼")
    assert searched_ids("门诊楼") == set()
    assert searched_ids("二中") == searched_ids("第二中学") == {hazard.pk}
    registry_services.enterprise_save(actor=regulator, enterprise=enterprise, name="吕梁路桥集团有限公司")
    assert searched_ids("路桥") == {hazard.pk}
    assert searched_ids("建筑工程") == searched_ids("建筑") == set()


def test_refresh_documents_repairs_a_stale_document(register):
    hazard = register(description="高支模未经专家论证")
    Hazard.objects.filter(pk=hazard.pk).update(search_text="")
    assert searched_ids("高支模") == set()
    assert hazard_search.refresh_documents() == 1
    assert searched_ids("高支模") == {hazard.pk}


def test_the_query_keeps_the_rare_bigrams_or_the_rarest_common_one():
    from zhiben.core.search import bigram_query

    assert bigram_query("塔") == "'塔':*"
    assert bigram_query("it's") == "'''s' & 'it' & 't'''"  # quotes doubled inside quoted lexemes
    assert bigram_query("深基坑支护") == "'坑支' & '基坑' & '支护' & '深基'"
    common = {"深基": 0.14, "基坑": 0.14, "坑支": 0.13, "支护": 0.15}
    assert bigram_query("深基坑支护", common) == "'坑支'"
    assert bigram_query("深基坑支护监测", common) == "'护监' & '监测'"
