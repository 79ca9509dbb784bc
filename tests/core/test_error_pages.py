"""The portal's own 403, 404 and 500 pages (core/views.py handlers, templates/403.html, 404.html, 500.html), as
shown with DEBUG off: its look, why in plain words, and the way back."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import path

from config.urls import urlpatterns as portal_urls
from core.views import server_error


def broken_view(request):
    raise RuntimeError("something inside broke")


urlpatterns = [*portal_urls, path("broken/", broken_view)]
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"


@pytest.fixture(autouse=True)
def debug_off(settings):
    settings.DEBUG = False


def test_403_says_the_refusal_the_code_raised_and_links_back(client_as):
    response = client_as("analyst").get("/regulator/rulebooks/new/",
                                        HTTP_REFERER="http://testserver/regulator/rulebooks/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "<h1>You cannot see or do this</h1>" in page and "Only a supervisor edits the rulebook." in page
    assert '<a href="http://testserver/regulator/rulebooks/">Go back to the page you came from</a>' in page
    assert '<a href="/">Go to your home page</a>' in page
    # The portal's own page: its header and navigation for the signed-in analyst.
    assert 'class="site-header"' in page and "Sign out" in page


def test_403_never_links_back_to_another_site(client_as):
    page = client_as("company_a_officer").get("/regulator/filings/",
                                              HTTP_REFERER="https://evil.example/phish").content.decode()
    assert "This page is for the regulator&#x27;s staff." in page
    assert "evil.example" not in page and "Go back to the page you came from" not in page


def test_404_is_branded_and_does_not_say_whether_the_thing_exists(client_as, company_b):
    response = client_as("company_a_officer").get("/no-such-page/", HTTP_REFERER="http://testserver/company/filings/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in page and 'class="site-header"' in page
    assert '<a href="http://testserver/company/filings/">Go back to the page you came from</a>' in page
    assert "matches the given query" not in page


def test_500_is_branded_and_says_sorry_in_plain_words(db, settings):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    response = client.get("/broken/", HTTP_REFERER="http://testserver/methodology/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Sorry, something went wrong on our side</h1>" in page
    assert "Takedown Compliance Portal" in page and "Online Safety Regulator" in page
    assert '<a href="http://testserver/methodology/">Go back to the page you came from</a>' in page
    assert "something inside broke" not in page and "Traceback" not in page


def test_500_needs_no_database_and_no_context_processors():
    """No ``db`` fixture: pytest-django refuses any query, so this proves the page makes none."""
    request = RequestFactory().get("/anything/")
    response = server_error(request)
    page = response.content.decode()
    assert response.status_code == 500 and "Sorry, something went wrong" in page
    assert '<a href="/">Home</a>' in page and "Sign in" not in page
