"""Server-rendered SVG charts (reportlab.graphics), the same drawings PDFs can embed.

Each chart comes with its data, which the page also shows as a table (the text
alternative) and offers as CSV.

Charts are drawn for people to read: labels of 14 px on the web (a 400 px chart shrunk onto a phone
still has 12 px text) and 10 pt (13 px) in PDFs; every axis says what it measures and in which unit;
rates are percentages on an axis zoomed to the data and the threshold, with round ticks; the legend
draws each line as the chart does (the value solid with dots, the threshold dashed). In the page the
text takes the page's own font: the SVG names no font family, so it inherits the page's.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

from reportlab.graphics import renderSVG
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Circle, Drawing, Group, PolyLine, Rect, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from regulator import formatting
from regulator.choices import MetricKind
from regulator.dashboards import MetricHistory
from regulator.metrics import METRICS_BY_KEY

INK = colors.HexColor("#1b1b1b")
BRAND = colors.HexColor("#0b3d63")
GRID = colors.HexColor("#d8d8d8")
FONT, BOLD = "Helvetica", "Helvetica-Bold"
WEB_FONT_SIZE = 14  # px at the chart's natural size
PDF_FONT_SIZE = 10  # pt, 13.3 px
# One look per series of a line chart, in order: the measured value first (solid, with dots), then what it is
# compared with (dashed).
LINE_STYLES: tuple[tuple[colors.Color, tuple[int, int] | None], ...] = ((BRAND, None), (INK, (6, 4)))
# What each unit's axis is called and how its ticks are written.
AXIS_TITLES = {"ratio": "Per cent", "hours": "Hours", "flag": "Yes or no", "score": "Score out of 100"}


class Axis(NamedTuple):
    """A value axis: from ``low`` to ``high`` with round ``ticks`` (the first and last are the ends)."""

    low: float
    high: float
    ticks: list[float]


def nice_axis(values: Sequence[float], *, floor: float | None = None, ceiling: float | None = None,
              whole: bool = False, count: int = 5) -> Axis:
    """An axis that holds every value with some room, zoomed to them, ticked at a round step (1, 2 or 5 times
    a power of ten; whole numbers with ``whole``) and kept within ``floor`` and ``ceiling``."""
    low, high = (min(values), max(values)) if values else (floor or 0.0, ceiling or 1.0)
    room = (high - low) * 0.08 or max(abs(high) * 0.05, 1.0)
    low, high = low - room, high + room
    if floor is not None:
        low = max(low, floor)
    if ceiling is not None:
        high = min(high, ceiling)
    rough = (high - low) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(rough))
    step = next(multiple * power for multiple in (1, 2, 5, 10) if multiple * power >= rough)
    if whole:
        step = max(1.0, round(step))
    low, high = math.floor(low / step) * step, math.ceil(high / step) * step
    if floor is not None:
        low = max(low, floor)
    if ceiling is not None:
        high = min(high, ceiling)
    ticks = [round(low + index * step, 6) for index in range(round((high - low) / step) + 1)]
    return Axis(low, high, ticks)


def _width(text: str, size: float) -> float:
    """Room for ``text``: Helvetica's width with a fifth more, since on the page it is drawn in the page's font,
    which may be wider (DejaVu Sans, Segoe UI)."""
    return stringWidth(text, FONT, size) * 1.2


def _tick_text(value: float, unit: str) -> str:
    if unit == "ratio":
        return f"{value:g}{formatting.PERCENT}"
    if unit == "flag":
        return {0: "No", 1: "Yes"}.get(round(value), "")
    return f"{value:g}"


def _period_label(code: str) -> str:
    """A period under its axis tick as two short lines ("Q3" over "2026"), so eight of them fit a phone."""
    match = re.fullmatch(r"(\d{4})-(Q[1-4])", code)
    return f"{match[2]}\n{match[1]}" if match else code


def _legend(entries: list[tuple[str, colors.Color, tuple[int, int] | None, bool]], *, x: float, y: float,
            size: float) -> Group:
    """A key that draws each series as the chart does: a line sample (solid or dashed, with its dot) and its
    name, side by side."""
    key = Group()
    for name, colour, dash, dotted in entries:
        middle = y + size * 0.35
        # A polyline, not a Line: reportlab's SVG closes a Line's path back to its start, which fills the dashes.
        key.add(PolyLine([x, middle, x + 30, middle], strokeColor=colour, strokeWidth=2, strokeDashArray=dash))
        if dotted:
            key.add(Circle(x + 15, middle, 3.5, fillColor=colour, strokeColor=None))
        key.add(String(x + 36, y, name, fontName=FONT, fontSize=size, fillColor=INK))
        x += 36 + _width(name, size) + 18
    return key


def _runs(values: list[float | None]) -> list[list[float | None]]:
    """Each unbroken run of values as a row as long as ``values``, None elsewhere."""
    runs: list[list[float | None]] = []
    for index, value in enumerate(values):
        if value is None:
            continue
        if index == 0 or values[index - 1] is None:
            runs.append([None] * len(values))
        runs[-1][index] = value
    return runs


def line_chart(*, title: str, labels: list[str], series: list[tuple[str, list[float | None]]], unit: str,
               width: int = 400, height: int = 270, font_size: float = WEB_FONT_SIZE) -> Drawing:
    """Lines over periods: the first series solid with dots, the next dashed, on an axis of ``unit``
    ("ratio" values are shares drawn as percentages; "hours"; "flag"; "score").

    ``None`` is a gap (not applicable, or no assessment): the line breaks there instead of bridging it.
    """
    size = font_size
    scale = 100.0 if unit == "ratio" else 1.0
    drawn = [(name, [None if v is None else v * scale for v in values]) for name, values in series]
    known = [v for _name, values in drawn for v in values if v is not None]
    if unit == "flag":
        axis = Axis(0.0, 1.0, [0.0, 1.0])
    else:
        axis = nice_axis(known or ([0.0, 100.0] if unit in {"ratio", "score"} else [0.0, 1.0]), floor=0.0,
                         ceiling=100.0 if unit in {"ratio", "score"} else None)
    tick_texts = [_tick_text(tick, unit) for tick in axis.ticks]

    drawing = Drawing(width, height)
    chart = HorizontalLineChart()
    chart.x = 6 + max(_width(text, size) for text in tick_texts) + 8
    chart.y = size * 3.9 + 10  # two lines of period labels and the axis title below
    chart.width = width - chart.x - 14
    keyed = len(series) > 1  # one line needs no key: the title names it
    chart.height = height - chart.y - size * (5.4 if keyed else 3.8) - 10  # the title, the key, the axis title
    rows: list[list[float | None]] = []
    for number, (_name, values) in enumerate(drawn):
        colour, dash = LINE_STYLES[number % len(LINE_STYLES)]
        # reportlab joins the points either side of a None, so each unbroken run is a row of its own.
        for run in _runs(values):
            style = chart.lines[len(rows)]
            style.strokeColor, style.strokeWidth, style.strokeDashArray = colour, 2, dash
            style.symbol = makeMarker("FilledCircle", size=7, fillColor=colour) if dash is None else None
            rows.append(run)
    # reportlab cannot join zero points: with nothing to draw, the chart is its axes.
    chart.data = rows or [[None] * max(len(labels), 1)]
    chart.joinedLines = bool(rows)
    chart.categoryAxis.categoryNames = [_period_label(label) for label in labels] or [""]
    chart.categoryAxis.labels.fontName, chart.categoryAxis.labels.fontSize = FONT, size
    chart.categoryAxis.labels.fillColor, chart.categoryAxis.labels.textAnchor = INK, "middle"
    chart.categoryAxis.labels.leading = size * 1.15
    chart.categoryAxis.labels.dy = -4
    chart.categoryAxis.strokeColor = INK
    value_axis = chart.valueAxis
    value_axis.valueMin, value_axis.valueMax, value_axis.valueSteps = axis.low, axis.high, axis.ticks
    value_axis.labelTextFormat = lambda value: _tick_text(value, unit)
    value_axis.labels.fontName, value_axis.labels.fontSize, value_axis.labels.fillColor = FONT, size, INK
    value_axis.labels.textAnchor, value_axis.labels.dx = "end", -4
    value_axis.tickLeft = 0  # the grid lines mark the values
    value_axis.visibleGrid, value_axis.gridStrokeColor, value_axis.gridStrokeWidth = True, GRID, 1
    value_axis.gridStart, value_axis.gridEnd = chart.x, chart.x + chart.width
    value_axis.strokeColor = INK
    drawing.add(chart)
    if series and all(value is None for value in series[0][1]):
        message = f"No {series[0][0].lower()} in these periods"
        middle, half = chart.x + chart.width / 2, stringWidth(message, FONT, size) / 2 + 8
        drawing.add(Rect(middle - half, chart.y + chart.height / 2 - size * 0.6, 2 * half, size * 1.8,
                         fillColor=colors.white, strokeColor=GRID))
        drawing.add(String(middle, chart.y + chart.height / 2, message, fontName=FONT, fontSize=size,
                           fillColor=INK, textAnchor="middle"))
    drawing.add(String(6, height - size - 4, title, fontName=BOLD, fontSize=size, fillColor=INK))
    if keyed:
        drawing.add(_legend([(name, *LINE_STYLES[number % len(LINE_STYLES)], number % len(LINE_STYLES) == 0)
                             for number, (name, _values) in enumerate(series)],
                            x=6, y=height - size * 2.6 - 8, size=size))
    drawing.add(String(6, chart.y + chart.height + size * 0.9, AXIS_TITLES.get(unit, ""), fontName=BOLD,
                       fontSize=size, fillColor=INK))
    drawing.add(String(chart.x + chart.width / 2, 4, "Reporting period", fontName=BOLD, fontSize=size,
                       fillColor=INK, textAnchor="middle"))
    return drawing


def line_chart_svg(**kwargs) -> str:
    """``line_chart`` as an inline <svg> (a string)."""
    return _inline_svg(line_chart(**kwargs), title=kwargs["title"])


def bar_chart(*, title: str, labels: list[str], values: list[int], value_title: str, category_title: str,
              width: int = 400, font_size: float = WEB_FONT_SIZE) -> Drawing:
    """Counts as horizontal bars, one per category from the top down, each with its count at its end: the
    category names sit on the left where they have room, on a phone as on paper."""
    size = font_size
    slot = size * 2.2
    label_width = max(_width(label, size) for label in labels or [""])
    height = round(size * 3.4 + 12 + slot * max(len(labels), 1) + size * 3.2)
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x = 6 + label_width + 10
    chart.y = size * 3.2
    chart.width = width - chart.x - 14 - _width(f"{max([*values, 0]):,}", size)
    chart.height = slot * max(len(labels), 1)
    chart.data = [values or [0]]
    chart.categoryAxis.categoryNames = labels or [""]
    chart.categoryAxis.reverseDirection = True  # the first category on top
    chart.categoryAxis.labels.fontName, chart.categoryAxis.labels.fontSize = FONT, size
    chart.categoryAxis.labels.fillColor, chart.categoryAxis.labels.boxAnchor = INK, "e"
    chart.categoryAxis.labels.textAnchor, chart.categoryAxis.labels.dx = "end", -6
    chart.categoryAxis.strokeColor = INK
    axis = nice_axis([0, *values], floor=0.0, whole=True)
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueSteps = axis.low, axis.high, axis.ticks
    chart.valueAxis.labelTextFormat = lambda value: f"{value:,.0f}"
    chart.valueAxis.labels.fontName, chart.valueAxis.labels.fontSize = FONT, size
    chart.valueAxis.labels.fillColor, chart.valueAxis.labels.textAnchor = INK, "middle"
    chart.valueAxis.visibleGrid, chart.valueAxis.gridStrokeColor, chart.valueAxis.gridStrokeWidth = True, GRID, 1
    chart.valueAxis.gridStart, chart.valueAxis.gridEnd = chart.y, chart.y + chart.height
    chart.valueAxis.strokeColor = INK
    chart.bars[0].fillColor, chart.bars[0].strokeColor = BRAND, None
    chart.barWidth, chart.groupSpacing = slot * 0.62, slot * 0.38
    chart.barLabelFormat = lambda value: f"{value:,.0f}"
    chart.barLabels.fontName, chart.barLabels.fontSize, chart.barLabels.fillColor = FONT, size, INK
    chart.barLabels.boxAnchor, chart.barLabels.dx = "w", 4
    drawing.add(chart)
    drawing.add(String(6, height - size - 4, title, fontName=BOLD, fontSize=size, fillColor=INK))
    drawing.add(String(6, chart.y + chart.height + size * 0.7, category_title, fontName=BOLD, fontSize=size,
                       fillColor=INK))
    drawing.add(String(chart.x + chart.width / 2, 4, value_title, fontName=BOLD, fontSize=size, fillColor=INK,
                       textAnchor="middle"))
    return drawing


def bar_chart_svg(**kwargs) -> str:
    """``bar_chart`` as an inline <svg> (a string)."""
    return _inline_svg(bar_chart(**kwargs), title=kwargs["title"])


class _PageFontCanvas(renderSVG.SVGCanvas):
    """reportlab's SVG canvas, writing text so that it takes the page's font: no font family (it inherits the
    page's), bold as a weight, and centred or right-aligned text anchored by the browser rather than placed by
    Helvetica's widths."""

    FONTS = {FONT: {"family": "inherit"}, BOLD: {"family": "inherit", "weight": "bold"}}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, fontHacks=self.FONTS, **kwargs)

    def drawString(self, s, x, y, angle=0, link_info=None, text_anchor="left", textRenderMode=0, **svg_attrs):
        if text_anchor in {"middle", "end"}:
            svg_attrs["text-anchor"] = text_anchor
            text_anchor = "start"
        super().drawString(s, x, y, angle=angle, link_info=link_info, text_anchor=text_anchor,
                           textRenderMode=textRenderMode, **svg_attrs)


def _inline_svg(drawing: Drawing, *, title: str) -> str:
    """The drawing as an <svg> element to sit inline in HTML: no XML prolog, no document-wide ids
    (a page holds several charts), and an accessible name instead of reportlab's "..." placeholders."""
    canvas = _PageFontCanvas((drawing.width, drawing.height), useClip=True,
                             svgAttrs={"role": "img", "aria-label": title})
    renderSVG.draw(drawing, canvas)
    canvas.groupTree.removeAttribute("id")
    canvas.svg.getElementsByTagName("title")[0].firstChild.data = title
    canvas.svg.removeChild(canvas.svg.getElementsByTagName("desc")[0])
    return canvas.svg.toxml()


# The company page's charts, from the history the page has already read (no query per metric or period).


def _floats(values: list[Decimal | None]) -> list[float | None]:
    return [None if value is None else float(value) for value in values]


class MetricChart(NamedTuple):
    """A metric's chart on the company page: its value (and, for a core metric, threshold) per period, with
    the latest threshold in words and the period it applied in."""

    key: str
    label: str
    svg: str
    threshold: str | None  # "at least 95 %"
    threshold_period: str | None
    core: bool


def metric_history_charts(metrics: MetricHistory) -> list[MetricChart]:
    """One chart per metric, built from the history already read, so no query per metric or period."""
    charts = []
    for key, label, cells in metrics.rows:
        metric = METRICS_BY_KEY[key]
        series = [("Value", _floats([cell.value for cell in cells]))]
        if metric.kind == MetricKind.CORE:
            series.append(("Threshold", _floats([cell.threshold for cell in cells])))
        svg = line_chart_svg(title=label, labels=metrics.periods, series=series, unit=metric.unit)
        latest = next(((formatting.threshold_text(cell.comparator, cell.threshold, metric.unit), period)
                       for period, cell in zip(reversed(metrics.periods), reversed(cells), strict=True)
                       if cell.threshold is not None), (None, None))
        charts.append(MetricChart(key, label, svg, *latest, core=metric.kind == MetricKind.CORE))
    return charts


def score_history_chart(metrics: MetricHistory) -> str:
    """The company's score per period, out of 100."""
    return line_chart_svg(title="Score", labels=metrics.periods, series=[("Score", _floats(metrics.scores))],
                          unit="score")
