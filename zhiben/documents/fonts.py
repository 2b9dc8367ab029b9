"""CJK fonts for PDFs: embed an installed TrueType CJK font where there is one (the text then shows and copies
in every reader), otherwise use the standard CID font STSong-Light that Chinese PDF readers supply.

Override with ZHIBEN_PDF_FONT (a .ttf/.ttc path) if the server has the official fonts (e.g. 仿宋_GB2312).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

SERIF_CANDIDATES = [
    "/usr/share/fonts/truetype/arphic/uming.ttc",        # AR PL UMing (Ming/Song style), Debian fonts-arphic-uming
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "C:/Windows/Fonts/simsun.ttc",
]
SANS_CANDIDATES = [
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",      # WenQuanYi Zen Hei, Debian fonts-wqy-zenhei
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "C:/Windows/Fonts/simhei.ttf",
]
CID_FALLBACK = "STSong-Light"


def _register(name: str, candidates: list[str]) -> str | None:
    for path in candidates:
        if not Path(path).exists():
            continue
        try:
            pdfmetrics.registerFont(TTFont(name, path, subfontIndex=0))
        except (TTFError, OSError):
            continue
        return name
    return None


@cache
def pdf_fonts() -> tuple[str, str]:
    """(body font, heading font) names registered with reportlab."""
    override = os.environ.get("ZHIBEN_PDF_FONT")
    body = _register("ZhibenBody", [override] if override else SERIF_CANDIDATES)
    heading = _register("ZhibenHeading", SANS_CANDIDATES) or body
    if body is None:
        pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
        body = heading = heading or CID_FALLBACK
    return body, heading
