"""Official documents as Word (.docx), naming the fonts of Chinese official documents that users' Word provides:
方正小标宋简体 for the title (宋体 where absent), 仿宋_GB2312 三号 for the body, 黑体 for table headers."""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from zhiben.documents.official import OfficialDocument

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
RED = RGBColor(0xC0, 0x00, 0x00)


def _font(run, name: str, size: float, *, bold: bool = False, colour: RGBColor | None = None) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    if colour is not None:
        run.font.color.rgb = colour
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _paragraph(document, text: str, *, font: str = BODY_FONT, size: float = 16, align=None, indent: bool = False,
               bold: bool = False, colour=None, space_after: float = 0):
    p = document.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28)
    fmt.space_after = Pt(space_after)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    if align is not None:
        p.alignment = align
    _font(p.add_run(text), font, size, bold=bold, colour=colour)
    return p


def _rule(paragraph, colour: str = "C00000") -> None:
    """A red bottom border under the document number (the 版头 rule)."""
    ppr = paragraph._p.get_or_add_pPr()
    border = ppr.makeelement(qn("w:pBdr"), {})
    bottom = border.makeelement(qn("w:bottom"), {qn("w:val"): "single", qn("w:sz"): "12", qn("w:space"): "4",
                                                 qn("w:color"): colour})
    border.append(bottom)
    ppr.append(border)


def render(doc: OfficialDocument) -> bytes:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    document.core_properties.title = doc.title
    document.core_properties.author = doc.issuer
    document.core_properties.subject = doc.number

    _paragraph(document, doc.issuer, font=TITLE_FONT, size=26, align=WD_ALIGN_PARAGRAPH.CENTER, colour=RED,
               space_after=12)
    number = _paragraph(document, doc.number, size=16, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    _rule(number)
    _paragraph(document, doc.title, font=TITLE_FONT, size=22, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    _paragraph(document, f"{doc.addressee}：")
    for text in doc.paragraphs:
        _paragraph(document, text, indent=True)
    if doc.table is not None:
        table = document.add_table(rows=1, cols=len(doc.table.headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, header in zip(table.rows[0].cells, doc.table.headers, strict=True):
            cell.text = ""
            _font(cell.paragraphs[0].add_run(header), HEADING_FONT, 10.5)
        for row in doc.table.rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                cell.text = ""
                _font(cell.paragraphs[0].add_run(str(value)), BODY_FONT, 10.5)
        if doc.table.widths:
            total = sum(doc.table.widths)
            for column, width in zip(table.columns, doc.table.widths, strict=True):
                for cell in column.cells:
                    cell.width = Mm(156 * width / total)
    for text in doc.closing:
        _paragraph(document, text, indent=True)
    document.add_paragraph()
    _paragraph(document, doc.signature or doc.issuer, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(document, doc.date_text, align=WD_ALIGN_PARAGRAPH.RIGHT)
    if doc.footer:
        document.add_paragraph()
        for line in doc.footer:
            _paragraph(document, line, size=14)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
