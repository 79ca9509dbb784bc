"""Server-rendered SVG charts (reportlab.graphics), the same drawings PDFs can embed.

Each chart comes with its data, which the page also shows as a table (the text
alternative) and offers as CSV.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import NamedTuple

from reportlab.graphics import renderSVG
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend, LineSwatch
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors

from regulator.choices import MetricKind
from regulator.dashboards import MetricHistory
from regulator.metrics import METRICS_BY_KEY

INK = colors.HexColor("#1b1b1b")
BRAND = colors.HexColor("#0b3d63")
# One look per series of a line chart, in order: the measured value first, then what it is compared with.
LINE_STYLES: tuple[tuple[colors.Color, tuple[int, int] | None], ...] = ((BRAND, None), (INK, (4, 3)))


def bar_chart_svg(*, title: str, labels: list[str], values: list[int], width: int = 560, height: int = 240) -> str:
    """A labelled vertical bar chart as an inline <svg> (a string)."""
    return _inline_svg(bar_chart(title=title, labels=labels, values=values, width=width, height=height), title=title)


def bar_chart(*, title: str, labels: list[str], values: list[int], width: int = 560, height: int = 240) -> Drawing:
    """A labelled vertical bar chart as a reportlab drawing: rendered to SVG for the web, placed as is in PDFs."""
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 50, 40
    chart.width, chart.height = width - 70, height - 80
    chart.data = [values or [0]]
    chart.categoryAxis.categoryNames = labels or [""]
    chart.categoryAxis.labels.fontName = "Helvetica"
    chart.categoryAxis.labels.fontSize = 9
    chart.categoryAxis.labels.fillColor = INK
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max([*values, 1])
    chart.valueAxis.valueStep = max(1, round(max([*values, 1]) / 5))
    chart.valueAxis.labels.fontName = "Helvetica"
    chart.valueAxis.labels.fontSize = 9
    chart.bars[0].fillColor = BRAND
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%d"
    chart.barLabels.fontSize = 9
    chart.barLabels.nudge = 7
    drawing.add(chart)
    drawing.add(String(width / 2, height - 18, title, fontName="Helvetica-Bold", fontSize=12, fillColor=INK,
                       textAnchor="middle"))
    return drawing


def line_chart_svg(*, title: str, labels: list[str], series: list[tuple[str, list[float | None]]],
                   width: int = 480, height: int = 180, value_format: str | Callable[[float], str] = "%g",
                   value_max: float | None = None, value_step: float | None = None) -> str:
    """Lines over categories (periods) as an inline <svg>: the first series solid with markers, the next dashed.

    ``None`` is a gap (not applicable, or no assessment): the line breaks there instead of
    bridging it. The value axis runs from 0 to ``value_max`` (default: the largest value, at least 1), with
    ticks every ``value_step`` (default: reportlab's choice).
    """
    drawing = Drawing(width, height)
    chart = HorizontalLineChart()
    chart.x, chart.y = 45, 28
    chart.width, chart.height = width - 60, height - 72
    rows: list[list[float | None]] = []
    swatches: list[tuple[LineSwatch, str]] = []
    for number, (name, values) in enumerate(series):
        colour, dash = LINE_STYLES[number % len(LINE_STYLES)]
        swatch = LineSwatch()
        swatch.strokeColor, swatch.strokeWidth, swatch.strokeDashArray = colour, 1.5, dash
        swatches.append((swatch, name))
        # reportlab joins the points either side of a None, so each unbroken run is a row of its own.
        for run in _runs(values):
            style = chart.lines[len(rows)]
            style.strokeColor, style.strokeWidth, style.strokeDashArray = colour, 1.5, dash
            style.symbol = makeMarker("FilledCircle", size=4, fillColor=colour) if dash is None else None
            rows.append(run)
    # reportlab cannot join zero points: with nothing to draw, the chart is its axes.
    chart.data = rows or [[None] * max(len(labels), 1)]
    chart.joinedLines = bool(rows)
    if series and all(value is None for value in series[0][1]):
        drawing.add(String(chart.x + chart.width / 2, chart.y + chart.height / 2,
                           f"No {series[0][0].lower()} in these periods", fontName="Helvetica", fontSize=9,
                           fillColor=INK, textAnchor="middle"))
    chart.categoryAxis.categoryNames = labels or [""]
    chart.categoryAxis.labels.fontName = "Helvetica"
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.fillColor = INK
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = value_max or max([1.0, *(value for run in rows for value in run if value is not None)])
    chart.valueAxis.valueStep = value_step
    chart.valueAxis.labelTextFormat = value_format
    chart.valueAxis.labels.fontName = "Helvetica"
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.labels.fillColor = INK
    drawing.add(chart)
    drawing.add(String(chart.x, height - 16, title, fontName="Helvetica-Bold", fontSize=10, fillColor=INK))
    key = Legend()
    key.x, key.y = chart.x, height - 28
    key.alignment, key.columnMaximum, key.dx, key.dy = "right", 1, 18, 6
    key.fontName, key.fontSize, key.fillColor, key.deltax = "Helvetica", 8, INK, 80
    key.colorNamePairs = swatches
    drawing.add(key)
    return _inline_svg(drawing, title=title)


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


def _inline_svg(drawing: Drawing, *, title: str) -> str:
    """The drawing as an <svg> element to sit inline in HTML: no XML prolog, no document-wide ids
    (a page holds several charts), and an accessible name instead of reportlab's "..." placeholders."""
    canvas = renderSVG.SVGCanvas((drawing.width, drawing.height), useClip=True,
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
    the latest threshold and the period it applied in."""

    label: str
    svg: str
    threshold: Decimal | None
    threshold_period: str | None
    core: bool


def metric_history_charts(metrics: MetricHistory) -> list[MetricChart]:
    """One chart per metric, built from the history already read, so no query per metric or period."""
    charts = []
    for key, label, cells in metrics.rows:
        metric = METRICS_BY_KEY[key]
        thresholds = [cell.threshold for cell in cells]
        series = [("Value", _floats([cell.value for cell in cells]))]
        if metric.kind == MetricKind.CORE:
            series.append(("Threshold", _floats(thresholds)))
        svg = line_chart_svg(title=label, labels=metrics.periods, series=series,
                             value_step=1 if metric.unit == "flag" else None)
        latest = next(((threshold, period) for period, threshold in zip(reversed(metrics.periods),
                                                                        reversed(thresholds), strict=True)
                       if threshold is not None), (None, None))
        charts.append(MetricChart(label, svg, *latest, core=metric.kind == MetricKind.CORE))
    return charts


def score_history_chart(metrics: MetricHistory) -> str:
    """The company's score per period, on a 0–100 axis."""
    return line_chart_svg(title="Score", labels=metrics.periods, series=[("Score", _floats(metrics.scores))],
                          value_max=100)
