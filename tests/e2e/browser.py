"""A real browser for the e2e tests: Debian's chromium driven by Playwright for Python.

Playwright's own browser download is never used (no network here): the tests launch
``/usr/bin/chromium``. Without it they fail in CI and skip elsewhere, naming the package.

Fixtures (registered by tests/e2e/conftest.py): ``chromium`` (one browser per worker) and
``browser_page`` (a fresh context, French unless a test asks otherwise). Helpers: ``new_page``
for a context in another language or with other permissions, ``sign_in`` through the real
forms (TOTP code included), ``screenshot`` into the artefacts folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from tests.tools import require_tool
from tests.verifier.conftest import Account, make_account
from verifier.models import Role

if TYPE_CHECKING:
    from tests.e2e.conftest import Server

CHROMIUM = Path(os.environ.get("SCEAU_CHROMIUM", "/usr/bin/chromium"))
# Screenshots and other things a person looks at after a run (CI keeps build/ as artefacts).
ARTEFACTS = Path(os.environ.get("SCEAU_ARTEFACTS", Path(__file__).resolve().parents[2] / "build"))
LOCALES = {"fr": "fr-FR", "en": "en-GB", "ar": "ar"}


def require_chromium() -> Path:
    """The browser, or a failure in CI and a skip naming the Debian package elsewhere."""
    return Path(require_tool(str(CHROMIUM), "chromium"))


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


def launch(playwright: Playwright, *args: str) -> Browser:
    """Chromium headless; ``args`` are extra command-line switches (a fake camera...)."""
    return playwright.chromium.launch(
        executable_path=str(require_chromium()), headless=True, args=list(args)
    )


@pytest.fixture(scope="module")
def chromium(playwright: Playwright) -> Iterator[Browser]:
    browser = launch(playwright)
    yield browser
    browser.close()


def new_context(browser: Browser, language: str = "fr", **options: Any) -> BrowserContext:
    """A context whose Accept-Language is ``language`` (fr, en or ar), 1280x900 by default."""
    options.setdefault("viewport", {"width": 1280, "height": 900})
    context = browser.new_context(locale=LOCALES[language], **options)
    context.set_default_timeout(15_000)
    return context


def new_page(browser: Browser, language: str = "fr", **options: Any) -> Page:
    return new_context(browser, language, **options).new_page()


@pytest.fixture
def browser_page(chromium: Browser) -> Iterator[Page]:
    context = new_context(chromium)
    yield context.new_page()
    context.close()


def account(server: Server, role: Role, **options: Any) -> Account:
    """An account made in the server's database (staff with a confirmed TOTP secret)."""
    try:
        return make_account(server.app, role, **options)
    finally:
        server.app.extensions["sceau.engine"].dispose()


def sign_in(page: Page, server: Server, who: Account) -> None:
    """E-mail and password, then the code when the account has a second factor."""
    page.goto(f"{server.base_url}/sign-in")
    page.fill("#email", who.email)
    page.fill("#password", who.password)
    page.locator("form.form button[type=submit]").click()
    if who.totp_secret is not None:
        page.wait_for_url("**/sign-in/code**")
        page.fill("#code", who.next_code())
        page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/sign-in" not in page.url, page.url


def screenshot(page: Page, name: str) -> Path:
    """A full-page PNG at ``build/screenshots/NAME.png`` (the test's artefact)."""
    target = ARTEFACTS / "screenshots" / f"{name}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target), full_page=True)
    return target
