"""Screenshots of the portal as each of its users sees it, at a desktop and a phone width.

Run against a portal started with `make run` (demo data):

    .venv/bin/python scripts/screenshots.py --base http://127.0.0.1:8000 --out .data/screenshots

For every page it saves ``<out>/<role>-<page>-<width>.png`` and prints what a reviewer should look
at first: a page wider than the window (it scrolls sideways), text under 12 px, and internal codes
on screen (upper-case enumeration values such as REMOVAL_ORDER, comparators such as gte).
Drives Debian's Chromium (/usr/bin/chromium), never a downloaded browser. Loopback only.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

PASSWORD = "demo-portal-2026"  # noqa: S105 (the demo accounts' published password)
WIDTHS = (1280, 375)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
# Internal spellings a person should never read on a page (the filing format's own page excepted).
INTERNAL = re.compile(r"\b(REMOVAL_ORDER|USER_NOTICE|TRUSTED_FLAGGER|OWN_INITIATIVE|NO_ACTION|TERRORIST_CONTENT|"
                      r"gte|lte|[a-z]+\.[a-z_]+ed)\b")

# (role, sign-in, pages); a page is (name, path) and a path may name a link to follow: "link:<css selector>".
JOURNEYS: list[tuple[str, str | None, list[tuple[str, str]]]] = [
    ("public", None, [("home", "/"), ("methodology", "/methodology/"), ("register", "/register/"),
                      ("sign-in", "/accounts/login/")]),
    ("officer", "officer@agora-forums.example", [
        ("desk", "/"), ("filings", "/company/filings/"), ("members", "/company/members/"),
        ("api-keys", "/company/api-keys/"), ("assessments", "/company/assessments/"),
    ]),
    ("officer-streamly", "officer@streamly.example", [
        ("filings", "/company/filings/"), ("filing", "link:table a[href^='/company/filings/']"),
        ("assessments", "/company/assessments/"), ("assessment", "link:table a[href^='/assessments/']"),
    ]),
    ("analyst", "analyst@regulator.example", [
        ("home", "/"), ("filing-queue", "/regulator/filings/"), ("filing", "link:table a[href^='/regulator/filings/']"),
        ("overview", "/regulator/assessments/"), ("assessment", "link:table a[href^='/assessments/']"),
        ("companies", "/regulator/companies/"), ("company", "link:table a[href^='/regulator/companies/']"),
        ("rulebooks", "/regulator/rulebooks/"), ("registrations", "/regulator/registrations/"),
    ]),
    ("supervisor", "supervisor@regulator.example", [
        ("home", "/"), ("staff", "/regulator/staff/"), ("rulebook-new", "/regulator/rulebooks/new/"),
    ]),
]


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def findings(page: Page, width: int) -> list[str]:
    """What a reviewer should look at on the page as shown now."""
    problems = []
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width:
        problems.append(f"scrolls sideways ({scroll_width} px wide in a {width} px window)")
    small = page.evaluate("""() => {
        const texts = [];
        for (const el of document.querySelectorAll('body *')) {
            if (!el.childNodes.length || ![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
                continue;
            const size = parseFloat(getComputedStyle(el).fontSize);
            if (size < 12) texts.push(`${size}px: ${el.textContent.trim().slice(0, 40)}`);
        }
        for (const t of document.querySelectorAll('svg text')) {
            const size = t.getBoundingClientRect().height;
            if (size > 0 && size < 11) texts.push(`chart ${size.toFixed(1)}px: ${t.textContent.slice(0, 40)}`);
        }
        return texts.slice(0, 5);
    }""")
    problems += [f"small text {text}" for text in small]
    body = page.inner_text("main") if page.query_selector("main") else page.inner_text("body")
    codes = sorted(set(INTERNAL.findall(body)))
    if codes and "/filing-format/" not in page.url:
        problems.append(f"internal words on screen: {', '.join(codes[:8])}")
    return problems


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default=".data/screenshots")
    parser.add_argument("--only", default="", help="Comma-separated roles to visit (default: every role).")
    args = parser.parse_args(argv)
    if not re.match(r"https?://(127\.0\.0\.1|localhost)(:\d+)?$", args.base):
        parser.error("screenshots are taken of a portal on this machine only (127.0.0.1 or localhost)")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    only = {role for role in args.only.split(",") if role}
    reported = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for role, email, pages in JOURNEYS:
            if only and role not in only:
                continue
            for width in WIDTHS:
                context = browser.new_context(viewport={"width": width, "height": 900})
                page = context.new_page()
                if email:
                    sign_in(page, args.base, email)
                for name, path in pages:
                    if path.startswith("link:"):
                        link = page.query_selector(path.removeprefix("link:"))
                        if link is None:
                            print(f"{role} {name} {width}: no link to follow on {page.url}")
                            continue
                        link.click()
                    else:
                        page.goto(f"{args.base}{path}")
                    page.wait_for_load_state("networkidle")
                    file = out / f"{role}-{name}-{width}.png"
                    page.screenshot(path=str(file), full_page=True)
                    for problem in findings(page, width):
                        print(f"{role} {name} {width} ({page.url}): {problem}")
                        reported += 1
                context.close()
        browser.close()
    print(f"screenshots in {out}; {reported} finding(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
