"""The report's charts are PNG images of a fixed size, whatever the data (empty, zero, missing points)."""

from __future__ import annotations

from io import BytesIO

import pytest
from PIL import Image

from zhiben.dashboard import charts


@pytest.mark.parametrize(("categories", "series", "options"), [
    (["2025-01", "2025-02"], [("Found", [2, 3], charts.BLUE), ("Closed out", [1, 0], charts.GREEN)], {}),
    ([], [("Found", [], charts.BLUE)], {}),
    (["1", "2", "3"], [("", [0, 0, 0], charts.BLUE)], {}),
    (["2025-01", "2025-02"], [("On-time rate", [None, 50.0], charts.BLUE)],
     {"kind": "line", "percent": True, "threshold": 90.0, "value_max": 100}),
    (["1"], [("自查", [12345], charts.GREEN)], {}),
])
def test_a_chart_is_a_png_of_the_report_size(categories, series, options):
    image = Image.open(BytesIO(charts.chart(categories, series, **options)))
    assert image.format == "PNG" and image.size == (charts.WIDTH, charts.HEIGHT)


def test_bars_are_drawn_in_their_colour():
    image = Image.open(BytesIO(charts.chart(["a"], [("", [4], "#ff0000")]))).convert("RGB")
    middle_x = charts.MARGIN_LEFT + (charts.WIDTH - charts.MARGIN_LEFT - charts.MARGIN_RIGHT) // 2
    assert image.getpixel((middle_x, charts.HEIGHT - charts.MARGIN_BOTTOM - 20)) == (255, 0, 0)
