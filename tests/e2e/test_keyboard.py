"""The keyboard alone, against a real server: from the top of a page, Tab reaches the skip link
first (visible, and it works), then every interactive element in the order of the page, each
with a focus indicator one can see."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.e2e.browser import new_context, sign_in
from tests.e2e.conftest import Server
from tests.e2e.test_accessibility import populate
from verifier.models import Role

# Every element Tab should stop at, in the order of the page, each given a data-kb number:
# visible, enabled, not taken out of the order; one stop per group of radio buttons.
_NUMBER_THE_STOPS = """() => {
  const selector = 'a[href], button, input, select, textarea, summary, [tabindex]';
  const stops = [];
  const radios = new Set();
  for (const el of document.querySelectorAll(selector)) {
    if (el.disabled || el.getAttribute('tabindex') === '-1') continue;
    if (el.type === 'hidden' || el.closest('[hidden], [inert]')) continue;
    if (el.getClientRects().length === 0) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    if (el.type === 'radio') {
      if (radios.has(el.name)) continue;
      const group = [...document.querySelectorAll(`input[type=radio][name="${el.name}"]`)];
      const checked = group.find((r) => r.checked);
      if (checked && checked !== el) continue;
      radios.add(el.name);
    }
    el.dataset.kb = String(stops.length);
    stops.push(el.outerHTML.slice(0, 120));
  }
  return stops;
}"""

_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    kb: el.dataset.kb ?? null,
    html: el.outerHTML.slice(0, 120),
    skip: el.classList.contains('skip-link'),
    ring: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2)
      || (style.boxShadow !== 'none'),
    visible: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight,
  };
}"""


def _tab_through(page: Page) -> tuple[list[str], list[dict[str, Any]]]:
    """The page's stops, and where Tab goes from the top until it leaves the page."""
    stops: list[str] = page.evaluate(_NUMBER_THE_STOPS)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    seen: list[dict[str, Any]] = []
    for _ in range(2 * len(stops) + 6):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED)
        if focused is None or (seen and focused["kb"] == seen[0]["kb"]):
            break  # back to the browser's own controls, or round to the start
        if seen and focused["kb"] is not None and focused["kb"] == seen[-1]["kb"]:
            continue  # a date field's day, month and year: one control, three stops
        seen.append(focused)
    return stops, seen


def _check_page(page: Page, url: str, name: str) -> None:
    page.goto(url)
    page.wait_for_load_state()
    stops, seen = _tab_through(page)
    assert seen, f"{name}: Tab reaches nothing"
    assert seen[0]["skip"], f"{name}: the first Tab stop is {seen[0]['html']}, not the skip link"
    assert seen[0]["visible"], f"{name}: the skip link stays off screen when focused"
    order = [int(s["kb"]) if s["kb"] is not None else None for s in seen]
    assert order == list(range(len(stops))), (
        f"{name}: Tab order {order} differs from the page's {len(stops)} interactive "
        "elements:\n" + "\n".join(f"{i}: {s}" for i, s in enumerate(stops))
    )
    no_ring = [s["html"] for s in seen if not s["ring"]]
    assert not no_ring, f"{name}: no visible focus indicator on {no_ring}"
    hidden = [s["html"] for s in seen if not s["visible"]]
    assert not hidden, f"{name}: focus lands on something not in view: {hidden}"

    # The skip link: Enter on it, and the next Tab is the first control of the page's content.
    page.goto(url)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "content", name
    page.keyboard.press("Tab")
    inside = page.evaluate("() => document.activeElement.closest('main') !== null")
    assert inside, f"{name}: after the skip link, Tab does not go into the page's content"


def test_tab_reaches_every_control_in_order_with_a_visible_focus(
    server: Server, chromium: Browser
) -> None:
    site = populate(server)
    base = server.base_url
    context = new_context(chromium, "fr")
    page = context.new_page()
    _check_page(page, f"{base}/", "home")
    _check_page(page, f"{base}/sign-in", "sign-in")
    context.close()

    for who, path, name in (
        (Role.MIGRANT, "/my/mandates", "mandates form"),
        (Role.LAWYER, f"/lawyer/clients/{site.person_id}/packs", "pack builder"),
    ):
        context = new_context(chromium, "ar")
        page = context.new_page()
        sign_in(page, server, site.accounts[who])
        _check_page(page, base + path, f"{name} (ar)")
        context.close()


def test_the_check_fails_without_a_focus_ring_or_with_a_jumbled_order(
    server: Server, chromium: Browser
) -> None:
    context = new_context(chromium, "fr", bypass_csp=True)
    page = context.new_page()
    spoilt = "*:focus-visible { outline: none !important; box-shadow: none !important }"
    page.route(
        "**/static/sceau.css*",
        lambda route: route.fulfill(
            body=route.fetch().text() + spoilt, headers={"Content-Type": "text/css"}
        ),
    )
    with pytest.raises(AssertionError, match="no visible focus indicator"):
        _check_page(page, f"{server.base_url}/sign-in", "sign-in, no ring")
    page.unroute("**/static/sceau.css*")
    # A positive tabindex on the password field: it jumps ahead of everything.
    page.add_init_script(
        "document.addEventListener('DOMContentLoaded', () => "
        "{ document.querySelector('#password').tabIndex = 1; })"
    )
    with pytest.raises(AssertionError, match="not the skip link"):
        _check_page(page, f"{server.base_url}/sign-in", "sign-in, jumbled")
    context.close()
