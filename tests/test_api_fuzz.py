"""The API under generated input (schemathesis, from the app's own OpenAPI schema): no request it makes,
valid or not, signed in with a company officer's API key or with a session, is answered with a server error.

Bounded: a few examples per operation and mode, and a time budget for the whole run; `make test` runs it.
"""

from __future__ import annotations

import contextlib
import logging
import time

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.generation.modes import GenerationMode

from companies.models import FilingUpload
from companies.services.api_keys import apikey_create
from tests.companies.factories import FilingFactory, ReportingPeriodFactory
from tests.companies.filing_files import good_rows

EXAMPLES = 10  # per operation, mode and way of signing in
BUDGET_SECONDS = 100


@pytest.fixture
def in_test_transaction():
    """Requests served straight by the WSGI handler stay inside the test's transaction, as the test client's do:
    Django would otherwise close the connection at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def with_real_ids(strategy, real_ids: dict[str, object]):
    """Half the generated cases address objects that exist (the draft, its item, its upload), so the generated
    bodies and queries reach the code behind the lookup instead of stopping at a 404."""

    def apply(drawn):
        case, use_real = drawn
        if use_real and case.path_parameters:
            for name in list(case.path_parameters):
                key = "upload" if "/uploads/" in case.operation.path and name == "id" else name
                if key in real_ids:
                    case.path_parameters[name] = real_ids[key]
        return case

    return st.tuples(strategy, st.booleans()).map(apply)


def fuzz(strategy, caller: str, headers: dict[str, str], cookies: dict[str, str],
         server_errors: list[str]) -> None:
    """Send EXAMPLES generated requests of one operation; note every answer of 500 or above."""

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def call(case) -> None:
        response = case.call(headers=headers, cookies=cookies)
        if response.status_code >= 500:
            server_errors.append(f"{response.status_code} for {caller}: {case.as_curl_command()}")

    # Unsatisfiable: nothing invalid can be made for this operation (no parameters, no body).
    with contextlib.suppress(Unsatisfiable):
        call()


@pytest.mark.slow
def test_no_generated_request_gets_a_server_error(in_test_transaction, company_a, company_a_officer, client):
    from django.test import override_settings

    from companies.services.uploads import batch_add

    period = ReportingPeriodFactory(year=2026, quarter=2)
    draft = FilingFactory(company=company_a, period=period)
    items = good_rows(period, 2)
    batch_add(actor=None, company=company_a, filing=draft, items=items)
    upload = FilingUpload.objects.get(filing=draft)
    real_ids = {"id": draft.pk, "upload": upload.pk, "external_id": items[0]["external_id"], "version": 1,
                "key": "order_1h_rate"}
    _, key = apikey_create(actor=company_a_officer, company=company_a, name="Fuzzing")
    client.force_login(company_a_officer, backend="django.contrib.auth.backends.ModelBackend")
    callers = {"API key": ({"Authorization": f"Api-Key {key}"}, {}),
               "session": ({}, {"sessionid": client.cookies["sessionid"].value})}

    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", WSGIHandler())
    logging.getLogger("django.request").setLevel(logging.ERROR)  # only server errors, not every 4xx
    server_errors: list[str] = []
    ran: list[str] = []
    started = time.monotonic()
    with override_settings(PORTAL_API_RATE="1000000/min"):
        for result in schema.get_all_operations():
            operation = result.ok()
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                for caller, (headers, cookies) in callers.items():
                    if time.monotonic() - started > BUDGET_SECONDS:
                        break

                    fuzz(with_real_ids(operation.as_strategy(generation_mode=mode), real_ids), caller, headers, cookies, server_errors)
                    ran.append(f"{operation.label} {mode} {caller}")
    print(f"{len(ran)} runs in {time.monotonic() - started:.0f} s")
    assert not server_errors, "\n".join(server_errors[:20])
    assert ran
