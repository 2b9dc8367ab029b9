"""The content of an official document (公文), independent of its file format.

Layout follows GB/T 9704-2012 《党政机关公文格式》 in spirit: issuing authority in red at the top (版头), the
document number under it, a red rule, the title, the addressee, the body, tables, the signature and date at the
bottom right. `docx.render` and `pdf.render` turn the same content into Word and PDF files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from zhiben.core.timeutils import beijing_today


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    widths: list[float] | None = None  # relative column widths


@dataclass
class OfficialDocument:
    issuer: str                      # 发文机关, e.g. 交城县住房和城乡建设管理局
    number: str                      # 发文字号, e.g. 交住建安改〔2026〕12号
    title: str                       # 标题
    addressee: str                   # 主送机关/单位
    paragraphs: list[str] = field(default_factory=list)
    table: Table | None = None
    closing: list[str] = field(default_factory=list)  # paragraphs after the table
    signature: str = ""              # 落款 (defaults to the issuer)
    date: dt.date | None = None      # 成文日期
    footer: list[str] = field(default_factory=list)  # 版记: 抄送, 印发 …

    @property
    def date_text(self) -> str:
        day = self.date or beijing_today()
        return f"{day.year}年{day.month}月{day.day}日"
