"""The staff's company pages: the list, and one company's metrics over time, filings, members and history."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from companies.models import Company, SizeTier
from companies.selectors import company_members
from core.selectors import object_history
from regulator import access
from regulator.charts import metric_history_charts, score_history_chart
from regulator.dashboards import company_history
from regulator.formatting import plain_or_empty
from regulator.metrics import CORE_KEYS
from regulator.selectors import company_overview


@login_required
def company_list(request: HttpRequest) -> HttpResponse:
    access.require_staff(request.user)
    companies = company_overview(user=request.user)
    tier = request.GET.get("tier")
    if tier in SizeTier.values:
        companies = companies.filter(size_tier=tier)
    page = Paginator(companies, 100).get_page(request.GET.get("page"))
    return render(request, "regulator/company_list.html", {"companies": page, "page": page, "tier": tier})


@login_required
def company_detail(request: HttpRequest, slug: str) -> HttpResponse:
    access.require_staff(request.user)
    company = get_object_or_404(Company.objects.visible_to(request.user), slug=slug)
    metrics = company_history(company=company)
    filings = company.filings.select_related("period").order_by("-period__start", "-version")[:40]
    return render(request, "regulator/company_detail.html", {
        "company": company, "members": company_members(company=company),
        "history": object_history(obj=company, newest_first=True)[:50],
        "metrics": metrics, "charts": metric_history_charts(metrics), "core_count": len(CORE_KEYS),
        "score_chart": score_history_chart(metrics),
        "filings": filings,
    })


@login_required
def company_metrics_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """The data of the company page's charts: each metric and the score, per period."""
    access.require_staff(request.user)
    company = get_object_or_404(Company.objects.visible_to(request.user), slug=slug)
    metrics = company_history(company=company)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{company.slug}-metrics.csv"'
    writer = csv.writer(response)
    writer.writerow(["period", "metric", "label", "value", "threshold", "passed"])
    for index, period in enumerate(metrics.periods):
        for row in metrics.rows:
            cell = row.cells[index]
            writer.writerow([period, row.key, row.label, plain_or_empty(cell.value), plain_or_empty(cell.threshold),
                             "" if cell.passed is None else "yes" if cell.passed else "no"])
        # The data behind the charts, to the stored precision (pages show the score by formatting.score_text).
        writer.writerow([period, "score", "Score", plain_or_empty(metrics.scores[index]), "", ""])
    return response
