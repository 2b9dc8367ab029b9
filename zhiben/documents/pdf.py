"""Official documents as PDF (reportlab), A4 with the margins of GB/T 9704-2012."""

from __future__ import annotations

from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import HRFlowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from zhiben.documents.fonts import pdf_fonts
from zhiben.documents.official import OfficialDocument

RED = colors.HexColor("#C00000")


def _styles():
    body, heading = pdf_fonts()
    return {
        "issuer": ParagraphStyle("issuer", fontName=heading, fontSize=24, leading=32, alignment=TA_CENTER,
                                 textColor=RED, spaceAfter=4 * mm),
        "number": ParagraphStyle("number", fontName=body, fontSize=14, leading=20, alignment=TA_CENTER),
        "title": ParagraphStyle("title", fontName=heading, fontSize=20, leading=30, alignment=TA_CENTER,
                                spaceBefore=6 * mm, spaceAfter=6 * mm),
        "addressee": ParagraphStyle("addressee", fontName=body, fontSize=14, leading=26),
        "body": ParagraphStyle("body", fontName=body, fontSize=14, leading=26, firstLineIndent=28,
                               alignment=TA_JUSTIFY, wordWrap="CJK"),
        "cell": ParagraphStyle("cell", fontName=body, fontSize=10.5, leading=15, wordWrap="CJK"),
        "head": ParagraphStyle("head", fontName=heading, fontSize=10.5, leading=15, alignment=TA_CENTER),
        "sign": ParagraphStyle("sign", fontName=body, fontSize=14, leading=26, alignment=TA_RIGHT,
                               rightIndent=16 * mm),
        "footer": ParagraphStyle("footer", fontName=body, fontSize=11, leading=18),
    }


def render(doc: OfficialDocument) -> bytes:
    st = _styles()
    buffer = BytesIO()
    frame_width = A4[0] - 28 * mm - 26 * mm
    pdf = SimpleDocTemplate(buffer, pagesize=A4, topMargin=37 * mm, bottomMargin=35 * mm, leftMargin=28 * mm,
                            rightMargin=26 * mm, title=doc.title, author=doc.issuer, subject=doc.number)
    story = [
        Paragraph(escape(doc.issuer), st["issuer"]),
        Paragraph(escape(doc.number), st["number"]),
        HRFlowable(width="100%", thickness=1.5, color=RED, spaceBefore=2 * mm, spaceAfter=2 * mm),
        Paragraph(escape(doc.title), st["title"]),
        Paragraph(escape(doc.addressee) + "：", st["addressee"]),
    ]
    story += [Paragraph(escape(p), st["body"]) for p in doc.paragraphs]
    if doc.table is not None:
        widths = doc.table.widths or [1] * len(doc.table.headers)
        total = sum(widths)
        data = [[Paragraph(escape(h), st["head"]) for h in doc.table.headers]]
        data += [[Paragraph(escape(str(c)), st["cell"]) for c in row] for row in doc.table.rows]
        table = Table(data, colWidths=[frame_width * w / total for w in widths], repeatRows=1)
        table.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#F2F2F2")),
        ]))
        story += [Spacer(1, 3 * mm), table, Spacer(1, 3 * mm)]
    story += [Paragraph(escape(p), st["body"]) for p in doc.closing]
    story += [Spacer(1, 12 * mm), Paragraph(escape(doc.signature or doc.issuer), st["sign"]),
              Paragraph(doc.date_text, st["sign"])]
    if doc.footer:
        story += [Spacer(1, 10 * mm), HRFlowable(width="100%", thickness=0.8, color=colors.black)]
        story += [Paragraph(escape(line), st["footer"]) for line in doc.footer]
        story += [HRFlowable(width="100%", thickness=0.8, color=colors.black)]
    pdf.build(story)
    return buffer.getvalue()
