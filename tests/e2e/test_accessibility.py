"""axe-core on every page people see, in French, English and Arabic, against a real server.

The pages come from the application's URL map: every GET route outside the JSON API and the
file downloads must be visited here (or be listed in ``EXCLUDED`` with a reason), so a page
added without an accessibility check fails this test. Each page is visited as the role that
sees it, on demo data (`sceau demo`) so that lists, verdicts and timelines are filled in.
A violation of impact serious or critical fails, named by rule, impact, selectors and page.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from tests.e2e.browser import account, new_context, screenshot, sign_in
from tests.e2e.conftest import Server
from tests.verifier.conftest import Account
from verifier import db
from verifier.codes import CodePurpose, issue_code
from verifier.instance import blob_store
from verifier.models import (
    Certificate,
    Correspondence,
    CorrespondenceChannel,
    CorrespondenceDirection,
    Mandate,
    Person,
    Role,
    Training,
)

LANGUAGES = ("fr", "en", "ar")
# Full-page screenshots (build/screenshots/NAME-LANG.png, 1280 wide) of the main pages, in
# French and Arabic, keyed by endpoint or by the label of a page reached through a form.
SHOTS = {
    "pages.home": "home",
    "seal page, valid": "seal-valid",
    "seal page, revoked": "seal-revoked",
    "seal page, not genuine": "seal-not-genuine",
    "upload result, exact match": "upload-result",
    "auth.sign_in": "sign-in",
    "sign-in, code": "sign-in-code",
    "portal.home": "my",
    "portal.mandates": "my-mandates",
    "lawyer.client": "lawyer-client",
    "packs.client": "pack-builder",
    "packs.client_build": "pack-build",
    "agent.person": "agent-person",
    "timeline.person": "agent-timeline",
    "issue.issue_form": "agent-issue",
    "issue.revoke_form": "agent-revoke",
    "agent.prefecture": "prefecture",
    "admin.users": "admin",
    "404": "not-found",
}
PHONE = {"width": 390, "height": 844}
BLOCKING = {"serious", "critical"}

# Blueprints that serve no HTML page (the JSON API, files, health checks).
NOT_HTML_BLUEPRINTS = {
    "api": "JSON API",
    "log_api": "JSON API of the transparency log",
    "packs_api": "JSON API",
    "journey_api": "JSON API",
    "wellknown": "the trust list (JSON)",
    "health": "health check for the orchestrator (JSON)",
    "tsa": "RFC 3161 timestamping (binary, POST)",
    "metrics": "Prometheus metrics (text for the monitoring)",
}
# Endpoints of the HTML blueprints that are not pages: files to download.
FILE_SUFFIXES = ("_pdf", "_download", "_original")
EXCLUDED = {
    "static": "style sheets and icons",
    "issue.seal_page": "a redirect to the public seal page (pages.seal), checked there",
}


def page_endpoints(server: Server) -> dict[str, str]:
    """Every GET endpoint that answers a page a person sees, with one of its rules."""
    found: dict[str, str] = {}
    for rule in server.app.url_map.iter_rules():
        endpoint = rule.endpoint
        blueprint = endpoint.partition(".")[0] if "." in endpoint else ""
        if "GET" not in (rule.methods or set()):
            continue
        if blueprint in NOT_HTML_BLUEPRINTS or endpoint in EXCLUDED:
            continue
        if endpoint.endswith(FILE_SUFFIXES):
            continue
        found.setdefault(endpoint, rule.rule)
    return found


def endpoint_of(server: Server, url: str) -> str:
    parts = urlsplit(url)
    adapter = server.app.url_map.bind("localhost")
    try:
        endpoint, _ = adapter.match(parts.path, method="GET")
    except HTTPException:
        return "404"
    return str(endpoint)


# ----------------------------------------------------------------------------- the data


@dataclass
class Site:
    """Demo data and an account of each role, the migrant and lawyer on one demo person."""

    seals: dict[str, str]  # status -> seal URL
    person_id: int  # the agent's and lawyer's person, the migrant's own file
    training_id: int
    reset_code: str
    certificate_id: str  # a valid certificate of the person
    certificate_type: str
    accounts: dict[Role, Account] = field(default_factory=dict)


def _in_app(server: Server, work: Callable[[], Any]) -> Any:
    try:
        with server.app.app_context():
            return work()
    finally:
        server.app.extensions["sceau.engine"].dispose()


def populate(server: Server) -> Site:
    """`sceau demo`, an account of each role, a mandate and a password-reset code."""
    # In a thread of its own: signing runs asyncio, and Playwright's loop holds this one.
    runner = server.app.test_cli_runner()
    with ThreadPoolExecutor(1) as pool:
        result = pool.submit(runner.invoke, args=["demo", "--json"]).result()
    server.app.extensions["sceau.engine"].dispose()
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    seals: dict[str, str] = {}
    for entry in report["certificates"]:
        seals.setdefault(entry["status"], entry["seal_url"])

    # The person with a training is the one with the most to show (an appointment, a
    # certificate, the training with an absence): everyone looks at that file.
    def rows() -> tuple[int, int, str, str, str]:
        session = db.session()
        training = session.scalars(select(Training).order_by(Training.id)).first()
        assert training is not None
        person = session.get(Person, training.person_id)
        assert person is not None
        assert person.office is not None
        # A letter from the person, so that the correspondence pages list one.
        if (
            session.scalar(select(Correspondence.id).where(Correspondence.person_id == person.id))
            is None
        ):
            session.add(
                Correspondence(
                    person_id=person.id,
                    on=date.today() - timedelta(days=3),
                    direction=CorrespondenceDirection.SENT,
                    sender=f"{person.given_names} {person.family_name}",
                    recipient="OFII",
                    channel=CorrespondenceChannel.REGISTERED_MAIL,
                    tracking_number="1A 000 000 0000 0",
                    subject="Attestation d'hébergement",
                    added_by_role=Role.MIGRANT,
                )
            )
            session.commit()
        certificate = session.scalars(
            select(Certificate).where(
                Certificate.person_id == person.id, Certificate.status == "valid"
            )
        ).first()
        assert certificate is not None
        return training.id, person.id, person.office.code, certificate.id, certificate.type

    training_id, person_id, office, certificate_id, kind = _in_app(server, rows)
    site = Site(
        seals=seals,
        person_id=person_id,
        training_id=training_id,
        reset_code="",
        certificate_id=certificate_id,
        certificate_type=kind,
    )
    site.accounts[Role.MIGRANT] = account(server, Role.MIGRANT, person_id=person_id)
    site.accounts[Role.LAWYER] = account(server, Role.LAWYER)
    site.accounts[Role.OFII_AGENT] = account(server, Role.OFII_AGENT, office=office)
    site.accounts[Role.PREFECTURE_AGENT] = account(server, Role.PREFECTURE_AGENT)
    site.accounts[Role.ADMINISTRATOR] = account(server, Role.ADMINISTRATOR)

    def mandate_and_code() -> str:
        session = db.session()
        session.add(
            Mandate(
                person_id=person_id,
                lawyer_id=site.accounts[Role.LAWYER].id,
                scopes="read packs upload",
                ends_on=date.today() + timedelta(days=60),
            )
        )
        _, code = issue_code(
            session, CodePurpose.PASSWORD_RESET, user_id=site.accounts[Role.MIGRANT].id
        )
        session.commit()
        return code

    site.reset_code = _in_app(server, mandate_and_code)
    return site


def certificate_pdf(server: Server, certificate_id: str) -> bytes:
    def read() -> bytes:
        found = db.session().get(Certificate, certificate_id)
        assert found is not None
        return blob_store().get(found.pdf_sha256)

    data: bytes = _in_app(server, read)
    return data


# ----------------------------------------------------------------------------- axe


@dataclass
class Audit:
    server: Server
    axe: Axe = field(default_factory=Axe)
    violations: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    visited: set[str] = field(default_factory=set)
    pages: int = 0
    running: list[tuple[Page, str]] = field(default_factory=list)

    def start(self, page: Page, language: str, what: str = "") -> None:
        """Checks what needs no axe, then sets axe running in the page without waiting."""
        page.wait_for_load_state()
        where = f"[{language}] {what or urlsplit(page.url).path}"
        assert page.locator("html").get_attribute("lang") == language, where
        assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
        endpoint = endpoint_of(self.server, page.url)
        self.visited.add(endpoint)
        shot = SHOTS.get(what) or (SHOTS.get(endpoint) if not what else None)
        if shot and language in ("fr", "ar"):
            screenshot(page, f"{shot}-{language}")
        self.pages += 1
        # What axe does not check: a title that names the page, and nothing else.
        title = page.title()
        if "<" in title or not title.endswith(" — Sceau") or len(title) < len("x — Sceau"):
            self.counts["page-title"] = self.counts.get("page-title", 0) + 1
            self.violations.append(f"{where}: page-title (serious) — the title is {title!r}")
        page.evaluate(self.axe.axe_script)
        page.evaluate(_START_AXE)
        self.running.append((page, where))

    def finish(self) -> None:
        """The results of every page axe runs in (one tab per language: they run at once)."""
        for page, where in self.running:
            results = page.evaluate("() => window.__sceauAxe")
            for violation in results["violations"]:
                if violation.get("impact") not in BLOCKING:
                    continue
                rule = violation["id"]
                self.counts[rule] = self.counts.get(rule, 0) + len(violation["nodes"])
                nodes = violation["nodes"][:6]
                targets = "; ".join(" ".join(map(str, n["target"])) for n in nodes)
                self.violations.append(
                    f"{where}: {rule} ({violation['impact']}) on {targets} — {violation['help']}"
                )
        self.running.clear()

    def check(self, page: Page, language: str, what: str = "") -> None:
        self.start(page, language, what)
        self.finish()

    def visit(self, tabs: dict[str, Page], url: str, what: str = "") -> None:
        """``url`` in each language, a tab each (``?lang=`` wins over cookie and account)."""
        for language, page in tabs.items():
            page.goto(url + ("&" if "?" in url else "?") + f"lang={language}")
            self.start(page, language, what)
        self.finish()


_START_AXE = """() => {
    window.__sceauAxe = axe.run(document, {resultTypes: ['violations']});
}"""


# ----------------------------------------------------------------------------- the walk


def _tabs(context: BrowserContext) -> dict[str, Page]:
    return {language: context.new_page() for language in LANGUAGES}


def _public(audit: Audit, browser: Browser, site: Site) -> None:
    base = audit.server.base_url
    context = new_context(browser, "fr")
    tabs = _tabs(context)
    for path in (
        "/",
        "/verifier",
        "/sign-in",
        "/password/forgot",
        "/password/reset?code=NOT-A-CODE",
        f"/password/reset?code={site.reset_code}",
        "/activate",
        "/packs/verify",
        "/no-such-page",
    ):
        audit.visit(tabs, base + path)
    for status in ("valid", "revoked", "superseded", "expired"):
        audit.visit(tabs, site.seals[status], f"seal page, {status}")
    audit.visit(tabs, site.seals["valid"][:-12] + "AAAAAAAAAAAA", "seal page, not genuine")
    context.close()
    # The seal page as a phone shows it after a scan.
    phone = new_context(browser, "fr", viewport=PHONE, is_mobile=True, has_touch=True)
    tabs = _tabs(phone)
    for status in ("valid", "revoked"):
        audit.visit(tabs, site.seals[status], f"seal page on a phone, {status}")
        for language, small in tabs.items():
            _readable_at_arms_length(small, f"[{language}] seal page on a phone, {status}")
            if language != "en":
                screenshot(small, f"seal-{status}-phone-{language}")
    phone.close()


def _public_forms(audit: Audit, browser: Browser, language: str, pdf: bytes) -> None:
    """Pages reached by sending a form (their language is the context's)."""
    base = audit.server.base_url
    context = new_context(browser, language)
    page = context.new_page()
    # The home page's scanner form, given text that is no seal: the page with its error.
    page.goto(base + "/")
    page.fill("#seal", "not a seal")
    page.locator("form[data-scanner-form] button[type=submit]").click()
    audit.start(page, language, "home, scanned text refused")
    # The upload page's result for the certificate as issued.
    upload = context.new_page()
    upload.goto(base + "/verifier")
    upload.set_input_files("input[type=file]", files=[_file("c.pdf", pdf)])
    upload.locator("form.upload button[type=submit], form.upload .button").first.click()
    audit.start(upload, language, "upload result, exact match")
    pack = context.new_page()
    pack.goto(base + "/packs/verify")
    pack.set_input_files("input[type=file]", files=[_file("pack.zip", b"PK not a zip")])
    pack.locator("form button[type=submit]").first.click()
    audit.start(pack, language, "pack verify result, refused")
    audit.finish()
    context.close()


def _readable_at_arms_length(page: Page, where: str) -> None:
    """The verdict of a scan, all of it in the first screen, its word and icon large."""
    found = page.evaluate(
        """() => {
        const verdict = document.querySelector('.verdict').getBoundingClientRect();
        const title = document.querySelector('.verdict__title');
        const icon = document.querySelector('.verdict__icon').getBoundingClientRect();
        const style = getComputedStyle(document.querySelector('.verdict'));
        return {
            bottom: verdict.bottom, left: verdict.left, right: verdict.right,
            ruleLeft: parseFloat(style.borderLeftWidth),
            ruleRight: parseFloat(style.borderRightWidth),
            iconLeft: icon.left, titleLeft: title.getBoundingClientRect().left,
            title: parseFloat(getComputedStyle(title).fontSize),
            icon: Math.min(icon.width, icon.height),
        };
    }"""
    )
    assert found["bottom"] <= PHONE["height"], f"{where}: the verdict ends below the screen"
    assert found["left"] >= 0, f"{where}: the verdict overflows the screen"
    assert found["right"] <= PHONE["width"], f"{where}: the verdict overflows the screen"
    assert found["title"] >= 32, f"{where}: status word in {found['title']} px"
    assert found["icon"] >= 64, f"{where}: icon of {found['icon']} px"
    # The thick rule and the icon on the reading side: left in French, right in Arabic.
    rtl = page.locator("html").get_attribute("dir") == "rtl"
    assert (found["ruleRight"] > found["ruleLeft"]) == rtl, f"{where}: rule on the wrong side"
    assert (found["iconLeft"] > found["titleLeft"]) == rtl, f"{where}: icon on the wrong side"


def _file(name: str, data: bytes) -> dict[str, Any]:
    mime = "application/pdf" if name.endswith(".pdf") else "application/zip"
    return {"name": name, "mimeType": mime, "buffer": data}


def _signed_in(audit: Audit, browser: Browser, who: Account, paths: list[str]) -> None:
    base = audit.server.base_url
    context = new_context(browser, "fr")
    tabs = _tabs(context)
    sign_in(tabs["fr"], audit.server, who)
    for path in paths:
        audit.visit(tabs, base + path)
    context.close()


def _staff_sign_in_pages(audit: Audit, browser: Browser, language: str) -> None:
    """The code page of a staff sign-in and the enrolment page of staff without a factor."""
    server = audit.server
    agent = account(server, Role.OFII_AGENT)
    newcomer = account(server, Role.OFII_AGENT, totp=False)
    for who, step in ((agent, "code"), (newcomer, "enrol")):
        context = new_context(browser, language)
        page = context.new_page()
        page.goto(f"{server.base_url}/sign-in")
        page.fill("#email", who.email)
        page.fill("#password", who.password)
        page.locator("form.form button[type=submit]").click()
        page.wait_for_url(f"**/sign-in/{step}**")
        audit.check(page, language, f"sign-in, {step}")
        context.close()


def _pack_build(browser: Browser, server: Server, lawyer: Account, person_id: int) -> str:
    """A renewal pack asked for through the lawyer's form: the build page's path."""
    context = new_context(browser, "fr")
    page = context.new_page()
    sign_in(page, server, lawyer)
    page.goto(f"{server.base_url}/lawyer/clients/{person_id}/packs")
    page.check("input[name=purpose][value=renewal]")
    page.locator("button[name=action][value=build]").click()
    page.wait_for_url("**/packs/*")
    path = urlsplit(page.url).path
    context.close()
    return path


def test_every_page_in_every_language_has_no_serious_axe_violation(
    server: Server, chromium: Browser
) -> None:
    started = time.monotonic()
    site = populate(server)
    pdf = certificate_pdf(server, site.certificate_id)
    audit = Audit(server)
    person, client = f"/agent/persons/{site.person_id}", f"/lawyer/clients/{site.person_id}"
    lawyer_build = _pack_build(chromium, server, site.accounts[Role.LAWYER], site.person_id)
    my_build = "/my/packs/" + lawyer_build.rsplit("/", 1)[1]

    _public(audit, chromium, site)
    for language in LANGUAGES:
        _public_forms(audit, chromium, language, pdf)
        _staff_sign_in_pages(audit, chromium, language)
    accounts = site.accounts
    _signed_in(
        audit,
        chromium,
        accounts[Role.MIGRANT],
        [
            "/my",
            "/my/accesses",
            "/my/mandates",
            "/my/correspondence",
            "/my/timeline",
            "/my/packs",
            my_build,
            "/account/second-factor",
        ],
    )
    _signed_in(
        audit,
        chromium,
        accounts[Role.LAWYER],
        [
            "/lawyer",
            client,
            f"{client}/correspondence",
            f"{client}/timeline",
            f"{client}/packs",
            lawyer_build,
        ],
    )
    _signed_in(
        audit,
        chromium,
        accounts[Role.OFII_AGENT],
        [
            "/agent",
            "/agent?q=a",
            person,
            f"{person}/activation",
            f"{person}/trainings",
            f"{person}/trainings/{site.training_id}",
            f"{person}/appointments",
            f"{person}/correspondence",
            f"{person}/timeline",
            "/agent/persons/new",
            f"{person}/issue",
            f"{person}/issue?type={site.certificate_type}",
            f"{person}/certificates/{site.certificate_id}/revoke",
            "/account/second-factor",
        ],
    )
    _signed_in(audit, chromium, accounts[Role.PREFECTURE_AGENT], ["/prefecture"])
    _signed_in(
        audit, chromium, accounts[Role.ADMINISTRATOR], ["/admin", "/admin/keys", "/admin/audit"]
    )

    endpoints = {rule.endpoint for rule in server.app.url_map.iter_rules()}
    stale = sorted(set(EXCLUDED) - endpoints)
    assert not stale, f"EXCLUDED names endpoints that no longer exist: {stale}"
    missing = sorted(set(page_endpoints(server)) - audit.visited)
    elapsed = time.monotonic() - started
    print(f"\naxe: {audit.pages} pages in {elapsed:.0f} s; serious or critical: {audit.counts}")
    assert not missing, (
        "pages no accessibility check visits (visit them here or add them to EXCLUDED "
        f"with a reason): {missing}"
    )
    assert not audit.violations, f"{len(audit.violations)} violations:\n" + "\n".join(
        audit.violations
    )


def test_the_check_fails_on_a_page_with_a_serious_violation(
    server: Server, chromium: Browser
) -> None:
    """The walk above can fail: grey text on white and an unlabelled field are reported."""
    context = new_context(chromium, "fr")
    page = context.new_page()
    page.goto(server.base_url + "/sign-in")
    page.evaluate(
        """() => {
        document.querySelector('h1').style.color = '#b0b0b0';
        document.querySelector('label[for=email]').remove();
    }"""
    )
    audit = Audit(server)
    audit.check(page, "fr", "sign-in, spoiled")
    context.close()
    assert audit.counts.get("color-contrast", 0) >= 1, audit.violations
    assert audit.counts.get("label", 0) >= 1, audit.violations
    assert any(
        line.startswith("[fr] sign-in, spoiled: label (critical) on #email")
        for line in audit.violations
    ), audit.violations
