"""A prefecture agent scans a printed certificate with the desk's camera, against a real server.

Chromium's fake capture device plays a YUV4MPEG2 file as the webcam: a few grey frames (the
camera finding its exposure), then a QR code that is not Sceau's (a poster on the wall), then
the certificate's printed page held up, slightly tilted, on a grey desk. The page's script
must skip the foreign code, read the seal, stop the camera and land on the verdict. Chromium on
Linux has no BarcodeDetector, so what decodes here is the vendored jsQR (checked below, from
the script's own report). The same desk's USB barcode reader is the keyboard-wedge test.
"""

from __future__ import annotations

import json
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pypdfium2  # type: ignore[import-untyped]
import qrcode
import zxingcpp
from PIL import Image
from playwright.sync_api import ConsoleMessage, Page, Playwright

from tests.e2e.browser import account, launch, new_context, screenshot, sign_in
from tests.e2e.conftest import Server
from tests.verifier.conftest import issue_body
from verifier.models import Role
from verifier.tokens import Scope
from verifier.wedge import US_ON_AZERTY

WIDTH, HEIGHT = 640, 480
FPS = 5
DESK_GREY = 128
FOREIGN_TEXT = "https://example.org/menu-de-la-cantine"

# ----------------------------------------------------------------------------- the fake camera


def write_y4m(path: Path, frames: list[Image.Image], fps: int = FPS) -> None:
    """A YUV4MPEG2 file (4:2:0, full-range "jpeg" chroma), the format Chromium's fake capture
    device plays: a header line, then per frame ``FRAME``, the Y plane, then Cb and Cr at half
    resolution in both directions."""
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        for frame in frames:
            luma, blue, red = frame.convert("RGB").resize((WIDTH, HEIGHT)).convert("YCbCr").split()
            half = (WIDTH // 2, HEIGHT // 2)
            out.write(b"FRAME\n")
            out.write(luma.tobytes())
            out.write(blue.resize(half, Image.Resampling.BOX).tobytes())
            out.write(red.resize(half, Image.Resampling.BOX).tobytes())


def _desk() -> Image.Image:
    return Image.new("RGB", (WIDTH, HEIGHT), (DESK_GREY,) * 3)


def _held_up(paper: Image.Image, height: int, angle: float) -> Image.Image:
    """``paper`` scaled to ``height`` pixels, tilted by ``angle`` degrees, on the grey desk."""
    scaled = paper.resize(
        (round(paper.width * height / paper.height), height), Image.Resampling.LANCZOS
    )
    tilted = scaled.convert("RGBA").rotate(angle, Image.Resampling.BICUBIC, expand=True)
    frame = _desk()
    frame.paste(tilted, ((WIDTH - tilted.width) // 2, (HEIGHT - tilted.height) // 2), tilted)
    return frame


def printed_page_frames(pdf: bytes) -> list[Image.Image]:
    """The certificate's page near the lens: the QR code and some of the page around it, as a
    phone or webcam sees a paper held 20 cm away (about 1.5 pixels a module: jsQR's range)."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0].render(scale=200 / 72).to_pil().convert("RGB")
    finally:
        document.close()
    found = [c for c in zxingcpp.read_barcodes(page) if c.format == zxingcpp.BarcodeFormat.QRCode]
    assert len(found) == 1
    corners = found[0].position
    xs = [corners.top_left.x, corners.top_right.x, corners.bottom_left.x, corners.bottom_right.x]
    ys = [corners.top_left.y, corners.top_right.y, corners.bottom_left.y, corners.bottom_right.y]
    side = max(xs) - min(xs)
    margin = side // 2  # some of the page's text and edge around the code
    crop = page.crop(
        (
            max(0, min(xs) - margin),
            max(0, min(ys) - margin),
            min(page.width, max(xs) + margin),
            min(page.height, max(ys) + margin),
        )
    )
    # The hand is not quite still: a few positions, tilted a little.
    return [_held_up(crop, 400 - 8 * i, angle) for i, angle in enumerate((4, 3, -2, -3, 2))] * 2


def foreign_qr_frames() -> list[Image.Image]:
    """A QR code that is not a certificate's (the canteen's menu on the wall)."""
    symbol = qrcode.make(FOREIGN_TEXT, border=4).get_image().convert("RGB")
    return [_held_up(symbol, 300, 0)] * 5


def camera_file(tmp_path: Path, frames: list[Image.Image]) -> Path:
    target = tmp_path / "camera.y4m"
    write_y4m(target, frames)
    return target


def camera_args(video: Path) -> list[str]:
    return [
        "--use-fake-ui-for-media-stream",  # the permission prompt answered "allow"
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    ]


# ----------------------------------------------------------------------------- the API


def _api(server: Server, method: str, path: str, body: Any, scope: Scope, **headers: str) -> Any:
    request = urllib.request.Request(  # noqa: S310
        server.base_url + path,
        data=json.dumps(body).encode() if body is not None else None,
        method=method,
        headers={"Content-Type": "application/json", **server.auth(scope), **headers},
    )
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        return response.read() if path.endswith("/pdf") else json.loads(response.read())


def issue_certificate(server: Server, key: str) -> tuple[dict[str, Any], bytes]:
    made = _api(
        server,
        "POST",
        "/api/v1/certificates",
        issue_body(),
        Scope.ISSUE,
        **{"Idempotency-Key": key},
    )
    pdf = _api(server, "GET", f"/api/v1/certificates/{made['id']}/pdf", None, Scope.VERIFY)
    assert pdf.startswith(b"%PDF-")
    return made, pdf


# ----------------------------------------------------------------------------- the page


@dataclass
class ScannerWatch:
    """What the scanner block went through (its data-state) and what the script reported."""

    states: list[str] = field(default_factory=list)
    reports: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        page.on("console", self._console)
        # Called from the page; the binding survives the navigation to the verdict.
        page.expose_function("sceauScannerState", self._state)

    def observe(self, page: Page) -> None:
        """Report every change of the block's data-state (Playwright's evaluate is not page
        script, so the Content-Security-Policy does not stand in its way)."""
        page.evaluate(
            """() => {
                const block = document.querySelector("[data-scanner]");
                new MutationObserver(() => window.sceauScannerState(block.dataset.state))
                    .observe(block, { attributes: true, attributeFilter: ["data-state"] });
            }"""
        )

    def _state(self, state: str) -> None:
        self.states.append(state)

    def _console(self, message: ConsoleMessage) -> None:
        if message.text.startswith("sceau-scan:"):
            self.reports.append(message.text)


def scan_at_the_desk(page: Page, server: Server, watch: ScannerWatch, name: str) -> float:
    """Open /prefecture, start the camera from the keyboard, wait for the verdict page;
    the seconds from the key press to the verdict."""
    page.goto(f"{server.base_url}/prefecture")
    watch.observe(page)
    start = page.get_by_role("button", name="Allumer la caméra")
    start.focus()
    began = time.monotonic()
    page.keyboard.press("Enter")
    page.wait_for_url("**/V/**", timeout=30_000)
    page.wait_for_selector("[data-status]")
    elapsed = time.monotonic() - began
    screenshot(page, name)
    return elapsed


# ----------------------------------------------------------------------------- the tests


def test_a_prefecture_agent_scans_the_printed_certificate_with_the_camera(
    server: Server, playwright: Playwright, tmp_path: Path
) -> None:
    made, pdf = issue_certificate(server, "camera-1")
    grey = [_desk()] * 2
    video = camera_file(tmp_path, grey + foreign_qr_frames() + printed_page_frames(pdf))
    browser = launch(playwright, *camera_args(video))
    try:
        context = new_context(browser, "fr")
        page = context.new_page()
        watch = ScannerWatch()
        watch.attach(page)
        sign_in(page, server, account(server, Role.PREFECTURE_AGENT))
        page.goto(f"{server.base_url}/prefecture")
        # Nothing starts by itself: the field has the focus, the camera is off.
        assert page.evaluate("document.activeElement.id") == "seal"
        assert page.locator("[data-scanner-video]").is_hidden()
        assert page.locator("[data-scanner]").get_attribute("data-state") is None
        screenshot(page, "prefecture-scanner-fr")

        seconds = scan_at_the_desk(page, server, watch, "camera-scan-valid-fr")
        assert page.locator("[data-status]").first.get_attribute("data-status") == "valid"
        assert page.url.endswith(made["seal_url"].rsplit("/", 1)[-1])
        assert "data-history" in page.content()  # the agent's view: the status history
        # The foreign code was announced and skipped; jsQR read the seal, not BarcodeDetector.
        assert watch.states[0] == "starting"
        assert "scanning" in watch.states
        assert "not-sceau" in watch.states
        assert watch.states[-1] == "found"
        assert len(watch.reports) == 1, watch.reports
        assert watch.reports[0].endswith("by jsqr"), watch.reports
        print(f"\nfirst scan: {watch.reports[0]} in {seconds:.2f} s")

        _api(
            server,
            "POST",
            f"/api/v1/certificates/{made['id']}/revoke",
            {"reason": "fraud"},
            Scope.REVOKE,
        )
        watch.states.clear()
        seconds = scan_at_the_desk(page, server, watch, "camera-scan-revoked-fr")
        assert page.locator("[data-status]").first.get_attribute("data-status") == "revoked"
        assert watch.reports[-1].endswith("by jsqr")
        print(f"second scan: {watch.reports[-1]} in {seconds:.2f} s")
        context.close()
    finally:
        browser.close()


def test_a_visitor_stops_the_camera_from_the_keyboard_on_the_home_page(
    server: Server, playwright: Playwright, tmp_path: Path
) -> None:
    """Only a foreign QR code in view, in Arabic: the visitor hears it is not Sceau's, scanning
    goes on, and Escape (or the Stop button) turns the camera off and gives focus back."""
    video = camera_file(tmp_path, [_desk(), *foreign_qr_frames()])
    browser = launch(playwright, *camera_args(video))
    try:
        context = new_context(browser, "ar")
        page = context.new_page()
        page.goto(f"{server.base_url}/")
        block = page.locator("[data-scanner]")
        page.get_by_role("button", name="تشغيل الكاميرا").click()
        page.wait_for_selector('[data-scanner][data-state="not-sceau"]')
        status = page.locator("[data-scanner-status]")
        assert status.inner_text() == block.get_attribute("data-text-not-sceau")
        assert page.locator("[data-scanner-video]").is_visible()
        assert page.evaluate("document.activeElement.hasAttribute('data-scanner-stop')")
        screenshot(page, "home-scanner-not-sceau-ar")
        page.keyboard.press("Escape")
        assert block.get_attribute("data-state") == "stopped"
        assert page.locator("[data-scanner-video]").is_hidden()
        assert page.evaluate("document.activeElement.hasAttribute('data-scanner-start')")
        # The camera's light is off: no live track is left on the page.
        assert page.evaluate("document.querySelector('[data-scanner-video]').srcObject === null")
        context.close()
    finally:
        browser.close()


def test_without_a_camera_the_scanner_says_so_and_the_field_still_works(
    server: Server, playwright: Playwright
) -> None:
    """A desk computer with no webcam (no fake device here): the visitor is told, in words."""
    browser = launch(playwright, "--use-fake-ui-for-media-stream")
    try:
        context = new_context(browser, "en")
        page = context.new_page()
        page.goto(f"{server.base_url}/")
        page.get_by_role("button", name="Start the camera").click()
        page.wait_for_selector('[data-scanner][data-state="no-camera"]')
        block = page.locator("[data-scanner]")
        text = page.locator("[data-scanner-status]").inner_text()
        assert text == block.get_attribute("data-text-no-camera")
        assert "No camera found" in text
        screenshot(page, "home-scanner-no-camera-en")
        context.close()
    finally:
        browser.close()


def test_a_barcode_reader_types_the_url_and_enter(server: Server, browser_page: Page) -> None:
    """The keyboard wedge: the field has the focus on arrival, the reader types and presses
    Enter; through a US-layout reader on an AZERTY computer as well."""
    made, _ = issue_certificate(server, "wedge-1")
    sign_in(browser_page, server, account(server, Role.PREFECTURE_AGENT))
    for typed in (made["seal_url"], "".join(US_ON_AZERTY.get(c, c) for c in made["seal_url"])):
        browser_page.goto(f"{server.base_url}/prefecture")
        browser_page.keyboard.type(typed)  # no click: the field is focused already
        browser_page.keyboard.press("Enter")
        browser_page.wait_for_url("**/V/**")
        assert browser_page.locator("[data-status]").first.get_attribute("data-status") == "valid"
    screenshot(browser_page, "prefecture-wedge-valid-fr")
    browser_page.goto(f"{server.base_url}/prefecture")
    browser_page.keyboard.type("bonjour")
    browser_page.keyboard.press("Enter")
    browser_page.wait_for_selector("[data-error]")
    assert browser_page.evaluate("document.activeElement.id") == "seal"  # ready for a rescan
    screenshot(browser_page, "prefecture-wedge-error-fr")
