"""Server-rendered SVG charts (reportlab.graphics), the same drawings PDFs can embed.

Each chart comes with its data, which the page also shows as a table (the text
alternative) and offers as CSV.
"""

from __future__ import annotations

from reportlab.graphics import renderSVG
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

INK = colors.HexColor("#1b1b1b")
BRAND = colors.HexColor("#0b3d63")


def bar_chart_svg(*, title: str, labels: list[str], values: list[int], width: int = 560, height: int = 240) -> str:
    """A labelled vertical bar chart as an SVG document (a string)."""
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
    svg = renderSVG.drawToString(drawing)
    # Drop the XML prolog and DOCTYPE so the SVG can sit inline in HTML.
    return svg[svg.index("<svg"):]
