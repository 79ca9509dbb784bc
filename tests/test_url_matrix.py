"""Every URL × every actor → the status code it must answer.

The list of URLs comes from the URL configuration itself, so a new URL without a
row here fails ``test_every_url_has_a_row``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.http import urlencode

from companies.models import Membership
from tests.companies.factories import RegistrationRequestFactory, ReportingPeriodFactory
from tests.conftest import ACTORS

COMPANY = ["company_a_viewer", "company_a_submitter", "company_a_officer", "company_b_officer"]
STAFF = ["analyst", "supervisor"]


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ACTORS, status)


def signed_in(status: int, anonymous: int = 302) -> dict[str, int]:
    return {**everyone(status), "anonymous": anonymous}


def staff_only(status: int = 200) -> dict[str, int]:
    return {**signed_in(403), **dict.fromkeys(STAFF, status)}


@dataclass
class Row:
    expected: dict[str, int]
    method: str = "get"
    kwargs: Callable[[pytest.FixtureRequest], dict] = lambda request: {}
    data: dict = field(default_factory=dict)


def _enrolled_analyst(request) -> dict:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from core.roles import ANALYST
    from tests.companies.factories import UserFactory

    colleague = UserFactory(username="colleague@regulator.test", groups=[ANALYST])
    TOTPDevice.objects.create(user=colleague, name="Authenticator app", confirmed=True)
    return {"pk": colleague.pk}


def _registration(request) -> dict:
    return {"pk": RegistrationRequestFactory().pk}


def _draft(request) -> dict:
    from tests.companies.factories import FilingFactory

    return {"pk": FilingFactory(company=request.getfixturevalue("company_a")).pk}


def _submitted(request) -> dict:
    from django.utils import timezone

    from tests.companies.factories import FilingFactory

    filing = FilingFactory(company=request.getfixturevalue("company_a"), status="submitted",
                           submitted_at=timezone.now())
    return {"pk": filing.pk}


def _rejected_upload(request) -> dict:
    from django.core.files.base import ContentFile

    from companies.models import FilingUpload
    from tests.companies.factories import FilingFactory

    upload = FilingUpload(filing=FilingFactory(company=request.getfixturevalue("company_a")), format="csv",
                          status="rejected", error_count=1)
    upload.error_file.save("e.csv", ContentFile(b"row,field,value,message\n"), save=True)
    return {"pk": upload.pk}


COMPANY_A = ["company_a_viewer", "company_a_submitter", "company_a_officer"]


def company_a_page(viewer: int = 200, submitter: int | None = None, officer: int | None = None) -> dict[str, int]:
    """A page of company A: B's officer gets 404, staff (no company) 404, anonymous to sign-in."""
    submitter = viewer if submitter is None else submitter
    officer = submitter if officer is None else officer
    return {"anonymous": 302, "company_a_viewer": viewer, "company_a_submitter": submitter,
            "company_a_officer": officer, "company_b_officer": 404, "analyst": 404, "supervisor": 404}


def api_company_a(viewer: int = 200, submitter: int | None = None, officer: int | None = None) -> dict[str, int]:
    """An API endpoint on company A's object: anonymous 401, B's officer 404, staff read-only."""
    submitter = viewer if submitter is None else submitter
    officer = submitter if officer is None else officer
    staff = 200 if viewer == 200 else 403
    return {"anonymous": 401, "company_a_viewer": viewer, "company_a_submitter": submitter,
            "company_a_officer": officer, "company_b_officer": 404, "analyst": staff, "supervisor": staff}


def _draft_with_item(request) -> dict:
    from companies.services.uploads import batch_add
    from tests.companies.factories import FilingFactory
    from tests.companies.filing_files import good_rows

    filing = FilingFactory(company=request.getfixturevalue("company_a"))
    item = good_rows(filing.period, 1)[0]
    batch_add(actor=None, company=filing.company, filing=filing, items=[item])
    return {"pk": filing.pk, "external_id": item["external_id"]}


def _company_a_key(request) -> dict:
    from companies.services.api_keys import apikey_create

    api_key, _ = apikey_create(actor=request.getfixturevalue("company_a_officer"),
                               company=request.getfixturevalue("company_a"), name="Pipeline")
    return {"prefix": api_key.prefix}


def _assessment(status: str):
    def build(request) -> dict:
        import datetime as dt

        from regulator.models import Assessment, Rulebook

        company = request.getfixturevalue("company_a")
        period = ReportingPeriodFactory(year=2026, quarter=2)
        assessment = Assessment.objects.create(company=company, period=period, rulebook=Rulebook.objects.get(version=1),
                                               status=status, computed_at=dt.datetime(2026, 8, 1, tzinfo=dt.UTC))
        return {"pk": assessment.pk}

    return build


def _result(overridden: bool):
    def build(request) -> dict:
        from decimal import Decimal

        from regulator.models import Assessment, MetricResult
        from tests.companies.factories import UserFactory

        assessment = Assessment.objects.get(pk=_assessment("draft")(request)["pk"])
        fields = {"override_value": Decimal("0.5"), "override_justification": "Late orders were test orders.",
                  "override_by": UserFactory(username="other-analyst@regulator.test"),
                  "override_status": "pending"} if overridden else {}
        result = MetricResult.objects.create(assessment=assessment, metric="order_1h_rate", kind="core",
                                             value=Decimal("0.4"), numerator=4, denominator=10, comparator="gte",
                                             threshold=Decimal("0.95"), weight=Decimal(3), **fields)
        return {"pk": result.pk}

    return build


def _viewer_membership(request) -> dict:
    return {"pk": Membership.objects.get(user=request.getfixturevalue("company_a_viewer")).pk}


MATRIX: dict[str, Row] = {
    "home": Row(everyone(200)),
    "healthz": Row(everyone(200)),
    "registration-create": Row(everyone(200)),
    "registration-thanks": Row(everyone(200)),
    "invitation-accept": Row(everyone(410), kwargs=lambda r: {"token": "no-such-token"}),
    "member-list": Row({**signed_in(200), "analyst": 404, "supervisor": 404}),
    "member-remove": Row(
        {**signed_in(403), "company_a_officer": 302, "company_b_officer": 404, "analyst": 404, "supervisor": 404},
        method="post", kwargs=_viewer_membership, data={"confirmed": "yes"},
    ),
    "registration-list": Row(staff_only()),
    "registration-detail": Row(staff_only(), kwargs=_registration),
    "registration-approve": Row({**staff_only(403), "supervisor": 302}, method="post", kwargs=_registration,
                                data={"confirmed": "yes"}),
    "registration-reject": Row(
        {**staff_only(403), "supervisor": 302}, method="post", kwargs=_registration,
        data={"reason": "Out of scope.", "confirmed": "yes"}
    ),
    "staff-company-list": Row(staff_only()),
    "staff-list": Row({**staff_only(), "analyst": 403}),
    "staff-authenticator-reset": Row({**staff_only(302), "analyst": 403}, method="post", kwargs=_enrolled_analyst,
                                     data={"reason": "Lost phone."}),
    "methodology": Row(everyone(200)),
    # Staff in this matrix have given their code already, and company users are never asked: all move on.
    "two-factor": Row(everyone(302)),
    "staff-company-detail": Row(staff_only(), kwargs=lambda r: {"slug": r.getfixturevalue("company_b").slug}),
    "staff-company-metrics-csv": Row(staff_only(), kwargs=lambda r: {"slug": r.getfixturevalue("company_b").slug}),
    "login": Row(everyone(200)),
    "logout": Row(everyone(302), method="post"),
    "password_change": Row(signed_in(200)),
    "password_change_done": Row(signed_in(200)),
    "password_reset": Row(everyone(200)),
    "password_reset_done": Row(everyone(200)),
    "password_reset_confirm": Row(everyone(200), kwargs=lambda r: {"uidb64": "MQ", "token": "bad-token"}),
    "password_reset_complete": Row(everyone(200)),
    "data-dictionary": Row(everyone(200)),
    "filing-template": Row(everyone(200)),
    "filing-list": Row({**signed_in(200), "analyst": 404, "supervisor": 404}),
    "filing-detail": Row(company_a_page(), kwargs=_draft),
    "filing-upload": Row(company_a_page(403, 302), method="post", kwargs=_draft),
    "filing-narrative": Row(company_a_page(403, 302), method="post", kwargs=_draft,
                            data={"measures_taken": "x", "areas_for_improvement": "y"}),
    "filing-submit": Row(company_a_page(403, 403, 302), method="post", kwargs=_draft, data={"attest": "on"}),
    "filing-abandon": Row(company_a_page(403, 302), method="post", kwargs=_draft, data={"confirmed": "yes"}),
    "upload-progress": Row({**company_a_page(), "anonymous": 404, "analyst": 200, "supervisor": 200},
                           kwargs=_rejected_upload),
    "upload-errors": Row({**company_a_page(), "anonymous": 404, "analyst": 200, "supervisor": 200},
                         kwargs=_rejected_upload),
    "staff-filing-queue": Row(staff_only()),
    "staff-filing-detail": Row(staff_only(), kwargs=_submitted),
    "staff-filing-accept": Row(staff_only(302), method="post", kwargs=_submitted),
    "staff-filing-return": Row(staff_only(302), method="post", kwargs=_submitted, data={"reason": "Incomplete."}),
    # The integration API (session clients here; keys are tested in tests/companies/test_api*.py).
    # Anonymous callers get 401 naming the Api-Key scheme; staff read everything and write nothing;
    # B's officer passes the role check and then gets 404 for A's objects. The matrix posts form data,
    # so JSON-only endpoints answer 415 to whoever got past the role check.
    "api:filing-list": Row(signed_in(200, anonymous=401)),
    "api:filing-detail": Row(api_company_a(), kwargs=_draft),
    "api:filing-uploads": Row(api_company_a(403, 400), method="post", kwargs=_draft),
    "api:filing-items": Row(api_company_a(403, 415), method="post", kwargs=_draft),
    "api:filing-item": Row(api_company_a(), kwargs=_draft_with_item),
    "api:filing-submit": Row(api_company_a(403, 403, 415), method="post", kwargs=_draft),
    "api:upload-list": Row(signed_in(200, anonymous=401)),
    "api:upload-detail": Row(api_company_a(), kwargs=_rejected_upload),
    "api:upload-errors-csv": Row(api_company_a(), kwargs=_rejected_upload),
    "api-schema": Row(everyone(200)),
    "api-docs": Row(everyone(200)),
    "api-key-list": Row({**signed_in(403), "company_a_officer": 200, "company_b_officer": 200,
                         "analyst": 404, "supervisor": 404}),
    "api-key-rotate": Row(company_a_page(403, 403, 200), method="post", kwargs=_company_a_key,
                          data={"confirmed": "yes"}),
    "api-key-revoke": Row(company_a_page(403, 403, 302), method="post", kwargs=_company_a_key,
                          data={"confirmed": "yes"}),
    "assessment-overview": Row(staff_only()),
    "rulebook-list": Row(staff_only()),
    "rulebook-detail": Row(staff_only(), kwargs=lambda r: {"version": 1}),
    "rulebook-new": Row({**staff_only(403), "supervisor": 200}),
    "assessment-overview-csv": Row(staff_only(), kwargs=lambda r: ReportingPeriodFactory(year=2026, quarter=2) and {},
                                   data={"period": "2026-Q2"}),
    "assessment-run": Row({**staff_only(403), "analyst": 302, "supervisor": 302}, method="post",
                          kwargs=lambda r: ReportingPeriodFactory(year=2026, quarter=2) and {},
                          data={"period": "2026-Q2", "confirmed": "yes"}),
    "assessment-finalise": Row(staff_only(302), method="post", kwargs=_assessment("draft"),
                               data={"confirmed": "yes"}),
    "assessment-note-add": Row(staff_only(302), method="post", kwargs=_assessment("final"),
                               data={"text": "Checked against the source file."}),
    # A company sees its own assessment once final; another company gets 404.
    "assessment-detail": Row({**signed_in(200), "company_b_officer": 404}, kwargs=_assessment("final")),
    "assessment-pdf": Row({**signed_in(200), "company_b_officer": 404}, kwargs=_assessment("final")),
    "company-assessments": Row({**signed_in(200), "analyst": 404, "supervisor": 404}),
    "result-override": Row(staff_only(302), method="post", kwargs=_result(False),
                           data={"value": "0.96", "justification": "Counted twice."}),
    "result-override-confirm": Row({**staff_only(403), "supervisor": 302}, method="post", kwargs=_result(True)),
    "result-override-reject": Row({**staff_only(403), "supervisor": 302}, method="post", kwargs=_result(True),
                                  data={"reason": "The late orders were real ones."}),
    "override-queue": Row(staff_only()),
    "regulator-api:rulebook-list": Row(signed_in(200, anonymous=401)),
    "regulator-api:metric-list": Row(signed_in(200, anonymous=401)),
    "regulator-api:result-list": Row(signed_in(200, anonymous=401)),
    "regulator-api:metric-detail": Row(signed_in(200, anonymous=401), kwargs=lambda r: {"key": "order_1h_rate"}),
    "regulator-api:rulebook-detail": Row(signed_in(200, anonymous=401), kwargs=lambda r: {"version": 1}),
    "regulator-api:assessment-list": Row(signed_in(200, anonymous=401)),
    "regulator-api:assessment-detail": Row(api_company_a(), kwargs=_assessment("final")),
    # Django's admin: one row stands for its namespace; none of the named actors is staff.
    "admin:index": Row(everyone(302)),
}


def _url_names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_has_a_row():
    names = {name for name in _url_names(get_resolver()) if not name.startswith("admin:")}
    missing = names - set(MATRIX)
    assert not missing, f"add rows to tests/test_url_matrix.py for: {sorted(missing)}"
    stale = set(MATRIX) - names - {"admin:index"}
    assert not stale, f"rows for URLs that no longer exist: {sorted(stale)}"


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_role_url_matrix(name, actor, request, client_as, company_a_viewer, company_b):
    row = MATRIX[name]
    url = reverse(name, kwargs=row.kwargs(request))
    client = client_as(actor)
    response = getattr(client, row.method)(url, row.data)
    assert response.status_code == row.expected[actor], f"{row.method.upper()} {url} as {actor}"



@pytest.mark.parametrize("where", ["path", "query", "form"])
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_a_nul_in_any_url_or_form_is_a_400_in_words_never_a_server_error(name, where, request, client_as,
                                                                           company_a_viewer, company_b):
    row = MATRIX[name]
    if where == "form" and row.method != "post":
        pytest.skip("only posts carry a form")
    url = reverse(name, kwargs=row.kwargs(request))
    client = client_as("company_a_officer")
    client.raise_request_exception = False
    if where == "path":
        response = getattr(client, row.method)(f"{url[:-1]}%00/" if url.endswith("/") else f"{url}%00", row.data)
    elif where == "query" and row.method == "get":
        response = client.get(url, {**row.data, "q": "\x00"})
    elif where == "query":
        response = client.post(f"{url}?q=%00", row.data)
    else:
        response = client.post(url, urlencode({**row.data, "reason": "\x00"}),
                               content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400, f"{row.method.upper()} {url} with a NUL in the {where}"
    body = response.json()["detail"] if url.startswith("/api/") else response.content.decode()
    assert "NUL character" in body
