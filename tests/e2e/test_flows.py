"""What people do on the site, through the browser against a real server, end to end:

- an OFII agent opens a file and prints the activation letter; the migrant activates the
  account with the letter's code and gives a lawyer access; the lawyer opens the client,
  builds a pack and downloads the ZIP (inventory, e-bundle, the piece);
- an OFII agent issues a certificate and revokes it from the person's page, and the public
  seal page a phone opens says valid, then revoked.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pypdfium2
from playwright.sync_api import Browser, Page, expect

from tests.e2e.browser import account, new_context, new_page, screenshot, sign_in
from tests.e2e.conftest import Server
from tests.verifier.conftest import PASSWORD, make_person
from verifier.models import Role

_CODE = re.compile(r"\b[A-Z2-7]{4}(?:-[A-Z2-7]{4}){3}\b")


def _pdf_text(path: Path) -> str:
    document = pypdfium2.PdfDocument(path.read_bytes())
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def _new_file(page: Page, server: Server) -> int:
    """The agent's form for a new person; the activation page it leads to names the file."""
    page.goto(f"{server.base_url}/agent")
    page.goto(f"{server.base_url}/agent/persons/new")
    page.fill("#family_name", "Benali")
    page.fill("#given_names", "Nour")
    page.fill("#birth_date", "1991-04-12")
    page.fill("#nationality", "DZA")
    page.select_option("#preferred_language", "ar")  # the account's pages will be in Arabic
    page.locator("form:has(input[name=action][value=create]) button[type=submit]").click()
    page.wait_for_url(re.compile(r"/agent/persons/\d+/activation$"))
    return int(urlsplit(page.url).path.split("/")[3])


def _activation_code(page: Page, tmp_path: Path) -> str:
    """Prints the letter (a PDF download) and reads the code on it, as the migrant will."""
    with page.expect_download() as download:
        page.locator("form[action$=activation-letter] button[type=submit]").click()
    letter = tmp_path / "letter.pdf"
    download.value.save_as(letter)
    assert letter.read_bytes().startswith(b"%PDF")
    codes = set(_CODE.findall(_pdf_text(letter)))
    assert len(codes) == 1, codes
    return codes.pop()


def _issue_medical_visit(page: Page, server: Server, person_id: int) -> str:
    """From the person's page: type, then fields; back on the person's page with a notice."""
    page.goto(f"{server.base_url}/agent/persons/{person_id}")
    page.locator("a[data-issue]").click()
    page.select_option("#type", "medical-visit")
    page.locator("form[method=get] button[type=submit]").click()
    page.fill("#detail-visit_date", "2026-11-02")
    page.fill("#detail-place", "OFII, Paris 11e")
    page.locator("form[data-issue-form] button[type=submit]").click()
    page.wait_for_url(re.compile(r"issued=[0-9a-f]+"))
    issued = re.search(r"issued=([0-9a-f]+)", page.url)
    assert issued is not None
    expect(page.locator("[data-notice=ok]")).to_be_visible()
    return issued.group(1)


def test_a_migrant_activates_gives_a_lawyer_access_and_the_lawyer_downloads_a_pack(
    server: Server, chromium: Browser, tmp_path: Path
) -> None:
    base = server.base_url
    agent = account(server, Role.OFII_AGENT)
    lawyer = account(server, Role.LAWYER)

    # The OFII agent: a new file, its activation letter, a certificate for the pack.
    office = new_page(chromium, "fr")
    sign_in(office, server, agent)
    person_id = _new_file(office, server)
    code = _activation_code(office, tmp_path)
    certificate_id = _issue_medical_visit(office, server, person_id)
    office.context.close()

    # The migrant, in Arabic: the code from the letter, an e-mail address, a password.
    migrant = new_page(chromium, "ar")
    migrant.goto(f"{base}/activate")
    migrant.fill("#code", code.lower().replace("-", " "))  # as typed from paper
    migrant.fill("#email", "nour.benali@example.org")
    migrant.fill("#password", PASSWORD)
    migrant.fill("#password_again", PASSWORD)
    migrant.locator("form.form button[type=submit]").click()
    migrant.wait_for_url(f"{base}/my")
    expect(migrant.locator("html")).to_have_attribute("dir", "rtl")
    expect(migrant.locator("main")).to_contain_text("Benali")
    # The same code does not open a second account.
    again = new_page(chromium, "fr")
    again.goto(f"{base}/activate")
    again.fill("#code", code)
    again.fill("#email", "someone.else@example.org")
    again.fill("#password", PASSWORD)
    again.fill("#password_again", PASSWORD)
    again.locator("form.form button[type=submit]").click()
    assert "/my" not in again.url
    again.context.close()

    # ...then gives the lawyer access, with the right to build packs, for a month.
    migrant.goto(f"{base}/my/mandates")
    migrant.fill("#lawyer_email", lawyer.email)
    migrant.check("#scope-packs")
    migrant.fill("#ends_on", (date.today() + timedelta(days=30)).isoformat())
    migrant.locator("form[action$='/my/mandates'] button[type=submit]").click()
    expect(migrant.locator("[data-mandate]")).to_have_count(1)
    expect(migrant.locator("[data-mandate] dt")).to_contain_text("Test lawyer")
    screenshot(migrant, "flow-mandate-granted-ar")
    migrant.context.close()

    # The lawyer: the client in the list, the client's page, the pack builder.
    desk = new_page(chromium, "fr")
    sign_in(desk, server, lawyer)
    desk.goto(f"{base}/lawyer")
    desk.get_by_role("link", name=re.compile("Benali")).click()
    desk.wait_for_url(f"{base}/lawyer/clients/{person_id}")
    desk.locator(f"a[href$='/lawyer/clients/{person_id}/packs']").click()
    desk.check("input[name=purpose][value=renewal]")
    piece = desk.locator(f"input[name=piece][value='certificate:{certificate_id}']")
    piece.check()
    desk.fill("#addressee", "Préfecture de police")
    desk.locator("button[name=action][value=build]").click()
    desk.wait_for_url(re.compile(rf"/lawyer/clients/{person_id}/packs/\d+$"))
    # The build runs in the background; the page refreshes itself until the ZIP is ready.
    download_link = desk.locator("[data-download]")
    expect(download_link).to_be_visible(timeout=120_000)
    expect(desk.locator("[data-build]")).to_have_attribute("data-status", "done")
    screenshot(desk, "flow-pack-ready-fr")
    with desk.expect_download() as download:
        download_link.click()
    archive = tmp_path / "pack.zip"
    download.value.save_as(archive)
    desk.context.close()

    with zipfile.ZipFile(io.BytesIO(archive.read_bytes())) as pack:
        names = pack.namelist()
        folder = names[0].split("/", 1)[0] + "/" if "/" in names[0] else ""
        inventory = pack.read(f"{folder}data/Bordereau_des_pieces.pdf")
        bundle = pack.read(f"{folder}data/Dossier_complet.pdf")
        pieces = [n for n in names if "/pieces/PJ" in n or n.startswith("data/pieces/PJ")]
    assert inventory.startswith(b"%PDF")
    assert bundle.startswith(b"%PDF")
    assert len(pieces) == 1, names
    with pypdfium2.PdfDocument(inventory) as document:
        text = document[0].get_textpage().get_text_range()
    assert "BENALI" in text.upper()


def test_an_agent_issues_and_revokes_a_certificate_and_the_seal_page_follows(
    server: Server, chromium: Browser
) -> None:
    base = server.base_url
    person_id = make_person(server.app, "Okafor", "Chidi")
    server.app.extensions["sceau.engine"].dispose()
    agent = account(server, Role.OFII_AGENT)
    office = new_page(chromium, "fr")
    sign_in(office, server, agent)
    certificate_id = _issue_medical_visit(office, server, person_id)
    row = office.locator(f"a[data-revoke='{certificate_id}']")
    expect(row).to_be_visible()

    # The seal page, as the agent's link opens it and as a phone opens the QR code's URL.
    with office.expect_navigation():
        office.locator(f"a[href$='/certificates/{certificate_id}/seal']").click()
    seal_url = office.url
    assert urlsplit(seal_url).path.startswith("/V/")
    phone = new_context(chromium, "fr", viewport={"width": 390, "height": 844}, is_mobile=True)
    visitor = phone.new_page()
    visitor.goto(seal_url)
    expect(visitor.locator(".verdict[data-status]")).to_have_attribute("data-status", "valid")
    expect(visitor.locator("h1")).to_be_in_viewport()

    # The revocation: a reason, a confirmation box, then the person's page says it is done.
    office.goto(f"{base}/agent/persons/{person_id}")
    office.locator(f"a[data-revoke='{certificate_id}']").click()
    office.select_option("#reason", "issued-in-error")
    office.fill("#text", "Visite médicale enregistrée deux fois")
    submit = office.locator("form button.button--danger[type=submit]")
    submit.click()  # without the box ticked, the browser keeps the form on the page
    assert "/revoke" in office.url
    office.check("#confirm")
    submit.click()
    office.wait_for_url(re.compile(rf"/agent/persons/{person_id}\?revoked={certificate_id}"))
    expect(office.locator("[data-notice=ok]")).to_be_visible()
    expect(office.locator(f"a[data-revoke='{certificate_id}']")).to_have_count(0)
    office.context.close()

    visitor.goto(seal_url)
    expect(visitor.locator(".verdict[data-status]")).to_have_attribute("data-status", "revoked")
    # The reason's category is public; the agent's own words are not.
    expect(visitor.locator(".verdict")).to_contain_text("délivrée par erreur")
    expect(visitor.locator("main")).not_to_contain_text("enregistrée deux fois")
    screenshot(visitor, "flow-revoked-phone-fr")
    phone.close()
