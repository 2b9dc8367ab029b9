"""Simple bar and line charts as PNG images for the monthly report, drawn with Pillow (installed with reportlab),
so the server needs no plotting library and no browser.

Axis labels are digits. Category and legend text is drawn only when a CJK font is installed (the fonts that
zhiben.documents.fonts looks for, or Noto CJK); the report always repeats the legend in a caption below each
chart, so the image reads the same either way.
"""

from __future__ import annotations

import math
from functools import cache
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from zhiben.documents.fonts import SANS_CANDIDATES

FONT_CANDIDATES = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    *SANS_CANDIDATES,
]
BLUE, GREEN, ORANGE, RED, GREY = "#206bc4", "#2fb344", "#f59f00", "#d63939", "#9aa0ac"
WIDTH, HEIGHT = 1400, 600
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 110, 40, 70, 90


@cache
def _cjk_font_path() -> str | None:
    for path in FONT_CANDIDATES:
        if Path(path).exists():
            try:
                ImageFont.truetype(path, 12)
            except OSError:
                continue
            return path
    return None


def _font(size: int):
    path = _cjk_font_path()
    if path:
        return ImageFont.truetype(path, size)
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow without FreeType: a fixed-size bitmap font
        return ImageFont.load_default()


def has_cjk_font() -> bool:
    return _cjk_font_path() is not None


def _nice_max(value: float) -> float:
    """A round upper bound for the value axis (1, 2, 5 × 10^n)."""
    if value <= 0:
        return 1
    exponent = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * exponent:
            return step * exponent
    return 10 * exponent


def _number(value: float, percent: bool) -> str:
    if percent:
        return f"{value:.0f}%" if float(value).is_integer() else f"{value:.1f}%"
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _text(draw, xy, text: str, font, fill="#1e293b", anchor="mm") -> None:
    if not text:
        return
    if not text.isascii() and not has_cjk_font():
        return
    draw.text(xy, text, font=font, fill=fill, anchor=anchor)


def chart(categories: list[str], series: list[tuple[str, list, str]], *, kind: str = "bar", percent: bool = False,
          threshold: float | None = None, value_max: float | None = None) -> bytes:
    """A PNG chart. `series` holds (legend, values, colour); values may be None (no point). `kind` is "bar"
    (grouped bars with their values on top) or "line"; `threshold` draws a dashed horizontal line."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    small, normal = _font(20), _font(22)
    left, right, top, bottom = MARGIN_LEFT, WIDTH - MARGIN_RIGHT, MARGIN_TOP, HEIGHT - MARGIN_BOTTOM
    values = [v for _label, vs, _c in series for v in vs if v is not None]
    top_value = value_max or _nice_max(max([*values, threshold or 0, 0]))
    ticks = 5

    def y_of(value: float) -> float:
        return bottom - (bottom - top) * (value / top_value)

    for i in range(ticks + 1):
        value = top_value * i / ticks
        y = y_of(value)
        draw.line([(left, y), (right, y)], fill="#e6e7e9", width=1)
        _text(draw, (left - 12, y), _number(value, percent), small, fill="#667382", anchor="rm")
    draw.line([(left, top), (left, bottom), (right, bottom)], fill="#667382", width=2)

    slot = (right - left) / max(1, len(categories))
    for index, category in enumerate(categories):
        _text(draw, (left + slot * (index + 0.5), bottom + 26), category, small, anchor="mm")

    if kind == "bar":
        group = slot * 0.7
        bar = group / max(1, len(series))
        for s, (_label, vs, colour) in enumerate(series):
            for index, value in enumerate(vs):
                if value is None:
                    continue
                x0 = left + slot * index + (slot - group) / 2 + bar * s
                if value > 0:
                    draw.rectangle([x0 + 2, min(y_of(value), bottom - 2), x0 + bar - 2, bottom - 1], fill=colour)
                _text(draw, (x0 + bar / 2, y_of(value) - 14), _number(value, percent), small, anchor="mm")
    else:
        for _label, vs, colour in series:
            points = [(left + slot * (i + 0.5), y_of(v)) for i, v in enumerate(vs) if v is not None]
            if len(points) > 1:
                draw.line(points, fill=colour, width=4)
            for (x, y), value in zip(points, [v for v in vs if v is not None], strict=True):
                draw.ellipse([x - 6, y - 6, x + 6, y + 6], fill=colour)
                _text(draw, (x, y - 22), _number(value, percent), small, anchor="mm")

    if threshold is not None:
        y = y_of(threshold)
        for x in range(int(left), int(right), 24):
            draw.line([(x, y), (min(x + 12, right), y)], fill=RED, width=3)

    x = left
    for label, _vs, colour in series:  # the legend (drawn when the font can write it)
        if label.isascii() or has_cjk_font():
            draw.rectangle([x, 24, x + 26, 46], fill=colour)
            _text(draw, (x + 36, 35), label, normal, anchor="lm")
            x += 60 + int(draw.textlength(label, font=normal))
    buffer = BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
