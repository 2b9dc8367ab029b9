import datetime as dt
import zipfile
from io import BytesIO

from zhiben.documents import docx, pdf
from zhiben.documents.official import OfficialDocument, Table
from zhiben.documents.testing import pdf_text

DOC = OfficialDocument(
    issuer="交城县住房和城乡建设管理局", number="交住建安改〔2026〕3号", title="隐患整改通知书",
    addressee="山西交城建工集团有限公司",
    paragraphs=["经检查，你单位承建的交城县第二中学教学楼项目存在下列生产安全事故隐患。"],
    table=Table(["序号", "隐患编号", "隐患描述"], [["1", "YH1411222026000001", "塔吊附着装置未按方案设置"]]),
    closing=["请于2026年12月15日前整改完毕并书面报告。"], date=dt.date(2026, 11, 28),
)


def test_the_pdf_carries_the_chinese_text():
    data = pdf.render(DOC)
    assert data.startswith(b"%PDF")
    squeezed = pdf_text(data)
    expected_texts = (
        "交城县住房和城乡建设管理局",
        "隐患整改通知书",
        "交住建安改〔2026〕3号",
        "塔吊附着装置未按方案设置",
        "2026年11月28日",
    )
    for expected in expected_texts:
        assert expected in squeezed


def test_the_docx_names_official_fonts_and_holds_the_text():
    data = docx.render(DOC)
    xml = zipfile.ZipFile(BytesIO(data)).read("word/document.xml").decode()
    assert "仿宋_GB2312" in xml and "方正小标宋简体" in xml
    for expected in ("隐患整改通知书", "交住建安改〔2026〕3号", "YH1411222026000001", "2026年11月28日"):
        assert expected in xml
