"""The journey of a certificate as people meet it, against a real server: OFII issues it over
the API, a prefecture agent scans the printed page with a phone and opens the URL, OFII revokes
it, and someone uploads the PDF, intact or tampered with."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from typing import Any

import pypdfium2
import zxingcpp

from tests.e2e.conftest import Server
from tests.verifier.conftest import issue_body
from verifier.tokens import Scope


def _request(
    server: Server,
    method: str,
    path_or_url: str,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    url = path_or_url if "://" in path_or_url else server.base_url + path_or_url
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _json(server: Server, method: str, path: str, payload: Any, **headers: str) -> tuple[int, Any]:
    status, _, body = _request(
        server,
        method,
        path,
        body=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", **headers},
    )
    return status, json.loads(body)


def _upload(server: Server, pdf: bytes) -> dict[str, Any]:
    body = (
        b'--sceau\r\nContent-Disposition: form-data; name="file"; filename="c.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n" + pdf + b"\r\n--sceau--\r\n"
    )
    status, _, answer = _request(
        server,
        "POST",
        "/api/v1/verify/document",
        body=body,
        headers={"Content-Type": "multipart/form-data; boundary=sceau"},
    )
    assert status == 200, answer
    found: dict[str, Any] = json.loads(answer)
    return found


def _scan(pdf: bytes) -> str:
    """Rasterise page 1 at 150 dpi, as a scanner would, and decode the QR code on it."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=150 / 72).to_pil().convert("L")
    finally:
        document.close()
    codes = [c for c in zxingcpp.read_barcodes(image) if c.format == zxingcpp.BarcodeFormat.QRCode]
    assert len(codes) == 1
    return codes[0].text


def _page_status(server: Server, url: str) -> str:
    status, headers, page = _request(server, "GET", url, headers={"Accept": "text/html"})
    assert status == 200, page[:500]
    assert headers["Content-Type"].startswith("text/html")
    match = re.search(rb'data-status="([a-z-]+)"', page)
    assert match is not None, page[:500]
    return match.group(1).decode()


def test_issue_scan_revoke_and_upload(server: Server) -> None:
    status, certificate = _json(
        server,
        "POST",
        "/api/v1/certificates",
        issue_body(),
        **server.auth(Scope.ISSUE),
        **{"Idempotency-Key": "e2e-1"},
    )
    assert status == 201, certificate
    status, _, pdf = _request(
        server, "GET", certificate["pdf_url"], headers=server.auth(Scope.VERIFY)
    )
    assert status == 200
    assert pdf.startswith(b"%PDF-")

    scanned = _scan(pdf)
    assert scanned == certificate["seal_url"]
    assert scanned.lower().startswith(server.base_url)  # the camera opens this very server
    assert _page_status(server, scanned) == "valid"

    status, revoked = _json(
        server,
        "POST",
        f"/api/v1/certificates/{certificate['id']}/revoke",
        {"reason": "fraud"},
        **server.auth(Scope.REVOKE),
    )
    assert status == 200, revoked
    assert _page_status(server, scanned) == "revoked"

    exact = _upload(server, pdf)
    assert exact["match"] == "exact-match"
    assert exact["status"] == "revoked"

    appended = _upload(server, pdf + b"\n1 0 obj\n<< /Type /Annot >>\nendobj\n%%EOF\n")
    assert appended["match"] == "modified"
    assert "content-appended-after-signing" in appended["reasons"]

    changed = bytearray(pdf)
    changed[len(pdf) // 4] ^= 0x20
    altered = _upload(server, bytes(changed))
    assert altered["match"] == "modified"
    assert "signed-content-altered" in altered["reasons"]
