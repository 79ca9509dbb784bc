"""What every browser test does on each page it opens: sign in as a real person would, and check that the page
fits its window (nothing scrolls sideways) before looking at anything else."""

from __future__ import annotations

from tests.companies.factories import PASSWORD

# The elements that stick out of the window, for the failure message (those inside a box that scrolls are fine).
_OVERFLOW = """() => {
    const width = document.documentElement.clientWidth, out = [];
    for (const el of document.querySelectorAll('body *')) {
        if (el.parentElement && el.parentElement.closest('.table-scroll, form > table')) continue;
        const box = el.getBoundingClientRect();
        if (box.right > width + 0.5) out.push(`${el.tagName.toLowerCase()}.${el.className} (${Math.round(box.right)} px)`);
    }
    return out.slice(0, 5);
}"""

# Every chart label as drawn on the screen: its font size times the scale the SVG is shown at.
CHART_TEXT_SIZES = """() => [...document.querySelectorAll('svg text')].map(t => ({
    text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * Math.abs(t.getScreenCTM().a),
    family: getComputedStyle(t).fontFamily, page: getComputedStyle(document.body).fontFamily}))"""


def assert_fits(page) -> None:
    """The page is no wider than its window: ``document.documentElement.scrollWidth <= the window's width``."""
    width = page.viewport_size["width"]
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} scrolls sideways: {scroll_width} px in {width}; {page.evaluate(_OVERFLOW)}"


def visit(page, url: str):
    """Open ``url`` and check that it fits its window; the response, for its status."""
    response = page.goto(url)
    assert_fits(page)
    return response


def sign_in(page, live_server, email: str) -> None:
    """E-mail address and password, then for the regulator's staff the code of their authenticator app (enrolled
    here if need be)."""
    from django.contrib.auth import get_user_model
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from core.two_factor import second_factor_required

    user = get_user_model().objects.get(username=email)
    device = None
    if second_factor_required(user):
        device = (TOTPDevice.objects.filter(user=user, confirmed=True).first()
                  or TOTPDevice.objects.create(user=user, name="Browser test", confirmed=True))
    visit(page, f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if device is not None:
        page.wait_for_url("**/accounts/two-factor/**")
        assert_fits(page)
        page.get_by_label("6-digit code").fill(f"{TOTP(device.bin_key).token():06d}")
        page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server.url}/")
    assert_fits(page)
