"""Every route of the app x every role (and anonymous) x own / other's object.

Each route of the URL map must have an entry in MATRIX, or the first test fails: a route
added without deciding who may use it cannot ship. The second test signs in one person of
each role and calls every route, with an object of their own and with someone else's, and
checks that access control lets exactly the right people through.

"Refused" means what access control answers: 401, 403, 404 (an object that is not yours is
not confirmed to exist) or, for pages, a redirect to the sign-in page. "Let through" means
anything else but a server error: a 400 for an incomplete form still passed access control.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pikepdf
import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.verifier.conftest import (
    Account,
    Staff,
    form_token,
    issue_body,
    make_account,
    make_person,
    sign_in,
)
from verifier import db
from verifier.db import utcnow
from verifier.instance import blob_store
from verifier.models import (
    Appointment,
    Correspondence,
    Mandate,
    Office,
    PackBuild,
    Person,
    Role,
    StoredFile,
    Training,
    TrainingDay,
)
from verifier.tokens import Scope, create_token

PUBLIC = "public"  # anyone, signed in or not
TOKEN = "token"  # API: bearer tokens only; a signed-in browser session grants nothing
ANY_SIGNED_IN = frozenset(Role)
ACTORS: tuple[Role | None, ...] = (None, *Role)  # None: an anonymous visitor


@dataclass
class World:
    """Two people's files in two offices, and one signed-in client per role."""

    app: Flask
    person_a: int  # the migrant actor's own file, held by DT-PARIS, mandated to the lawyer
    person_b: int  # someone else's file, held by DT-LYON, mandated to another lawyer
    certificate_a: str
    certificate_b: str
    mandate_b: int
    lawyer: Account
    other_lawyer: Account
    seal_a: str
    # Journey objects of A's file (own) and B's (other's): training, appointment, stored file.
    journey: dict[bool, dict[str, int]] = field(default_factory=dict)
    clients: dict[Role | None, FlaskClient] = field(default_factory=dict)
    tokens: dict[Role | None, str] = field(default_factory=dict)

    def throwaway_mandate(self) -> int:
        """A fresh live mandate of A's, for revocation checks that use one up."""
        with self.app.app_context():
            session = db.session()
            mandate = Mandate(
                person_id=self.person_a,
                lawyer_id=self.other_lawyer.id,
                scopes="read",
                ends_on=date.today() + timedelta(days=30),
            )
            session.add(mandate)
            session.commit()
            return mandate.id

    def throwaway_user(self) -> int:
        return make_account(self.app, Role.LAWYER).id

    def ids(self, own: bool) -> dict[str, object]:
        return {
            "person": self.person_a if own else self.person_b,
            "certificate": self.certificate_a if own else self.certificate_b,
            **self.journey[own],
        }


# What a check sends: (path, form fields) built from the world and whose object it is.
Target = Callable[[World, bool], tuple[str, dict[str, Any]]]


def _fixed(path: str, **form: Any) -> Target:
    return lambda world, own: (path, dict(form))


def _person(template: str, **form: Any) -> Target:
    return lambda world, own: (
        template.format(person=world.person_a if own else world.person_b),
        dict(form),
    )


def _certificate_of_person(template: str) -> Target:
    def target(world: World, own: bool) -> tuple[str, dict[str, Any]]:
        person, certificate = (
            (world.person_a, world.certificate_a) if own else (world.person_b, world.certificate_b)
        )
        return template.format(person=person, certificate=certificate), {}

    return target


def _my_certificate(world: World, own: bool) -> tuple[str, dict[str, Any]]:
    return f"/my/certificates/{world.certificate_a if own else world.certificate_b}/pdf", {}


def _revoke_mandate(world: World, own: bool) -> tuple[str, dict[str, Any]]:
    mandate = world.throwaway_mandate() if own else world.mandate_b
    return f"/my/mandates/{mandate}/revoke", {}


def _disable_user(world: World, own: bool) -> tuple[str, dict[str, Any]]:
    return f"/admin/users/{world.throwaway_user()}/disable", {}


def _grant(world: World, own: bool) -> tuple[str, dict[str, Any]]:
    ends = (date.today() + timedelta(days=60)).isoformat()
    return "/my/mandates", {"lawyer_email": world.other_lawyer.email, "ends_on": ends}


def _seal(world: World, own: bool) -> tuple[str, dict[str, Any]]:
    return "/V/" + world.seal_a.rsplit("/", 1)[1], {}


def _path(template: str, **form: Any) -> Target:
    """A path naming objects of A's file (own) or of B's (other's)."""
    return lambda world, own: (template.format(**world.ids(own)), dict(form))


def _api_certificate(template: str) -> Target:
    return lambda world, own: (template.format(certificate=world.certificate_a), {})


@dataclass(frozen=True)
class Entry:
    who: str | frozenset[Role]  # PUBLIC, TOKEN, or the roles let through
    target: Target
    owned: bool = False  # True: only the owner's object is let through (own vs other's)
    # Headers the request carries, when the route decides by them (a proxy's X-Forwarded-For).
    headers: tuple[tuple[str, str], ...] = ()


def _roles(*roles: Role) -> frozenset[Role]:
    return frozenset(roles)


MATRIX: dict[tuple[str, str], Entry] = {
    # Public: verification by anybody, the ways in, the machine-readable documents.
    ("static", "GET"): Entry(PUBLIC, _fixed("/static/sceau.css")),
    ("health.healthz", "GET"): Entry(PUBLIC, _fixed("/healthz")),
    ("health.readyz", "GET"): Entry(PUBLIC, _fixed("/readyz")),
    # Prometheus: from the machine itself or with SCEAU_METRICS_TOKEN, never a person's session
    # (tests/verifier/test_observability.py checks loopback and the token).
    ("metrics.metrics", "GET"): Entry(
        TOKEN, _fixed("/metrics"), headers=(("X-Forwarded-For", "203.0.113.9"),)
    ),
    ("wellknown.trust_list", "GET"): Entry(PUBLIC, _fixed("/.well-known/sceau/trust.json")),
    ("pages.home", "GET"): Entry(PUBLIC, _fixed("/")),
    ("pages.seal", "GET"): Entry(PUBLIC, _seal),
    ("pages.upload_form", "GET"): Entry(PUBLIC, _fixed("/verifier")),
    ("pages.upload_check", "POST"): Entry(PUBLIC, _fixed("/verifier")),
    ("pages.scan_check", "POST"): Entry(PUBLIC, _fixed("/scan", seal="nothing")),
    ("api.openapi", "GET"): Entry(PUBLIC, _fixed("/api/v1/openapi.json")),
    ("api.verify_seal", "POST"): Entry(PUBLIC, _fixed("/api/v1/verify")),
    ("api.verify_document", "POST"): Entry(PUBLIC, _fixed("/api/v1/verify/document")),
    ("auth.sign_in", "GET"): Entry(PUBLIC, _fixed("/sign-in")),
    ("auth.sign_in_post", "POST"): Entry(PUBLIC, _fixed("/sign-in", email="x@y.z", password="x")),
    ("auth.code", "GET"): Entry(PUBLIC, _fixed("/sign-in/code")),
    ("auth.code", "POST"): Entry(PUBLIC, _fixed("/sign-in/code", code="000000")),
    ("auth.enrol", "GET"): Entry(PUBLIC, _fixed("/sign-in/enrol")),
    ("auth.enrol", "POST"): Entry(PUBLIC, _fixed("/sign-in/enrol", code="000000")),
    ("auth.forgot", "GET"): Entry(PUBLIC, _fixed("/password/forgot")),
    ("auth.forgot", "POST"): Entry(PUBLIC, _fixed("/password/forgot", email="x@y.z")),
    ("auth.reset", "GET"): Entry(PUBLIC, _fixed("/password/reset?code=AAAA-BBBB")),
    ("auth.reset", "POST"): Entry(PUBLIC, _fixed("/password/reset?code=AAAA-BBBB")),
    ("onboarding.activate", "GET"): Entry(PUBLIC, _fixed("/activate?code=AAAA-BBBB")),
    ("onboarding.activate", "POST"): Entry(PUBLIC, _fixed("/activate", code="AAAA-BBBB")),
    ("auth.sign_out", "POST"): Entry(PUBLIC, _fixed("/sign-out")),
    # Anyone signed in.
    ("auth.second_factor", "GET"): Entry(ANY_SIGNED_IN, _fixed("/account/second-factor")),
    ("auth.second_factor", "POST"): Entry(ANY_SIGNED_IN, _fixed("/account/second-factor")),
    # The migrant: their own file only.
    ("portal.home", "GET"): Entry(_roles(Role.MIGRANT), _fixed("/my")),
    ("portal.accesses", "GET"): Entry(_roles(Role.MIGRANT), _fixed("/my/accesses")),
    ("portal.mandates", "GET"): Entry(_roles(Role.MIGRANT), _fixed("/my/mandates")),
    ("portal.grant_mandate", "POST"): Entry(_roles(Role.MIGRANT), _grant),
    ("portal.certificate_pdf", "GET"): Entry(_roles(Role.MIGRANT), _my_certificate, owned=True),
    ("portal.revoke_mandate", "POST"): Entry(_roles(Role.MIGRANT), _revoke_mandate, owned=True),
    # The lawyer: clients who mandated them only.
    ("lawyer.clients", "GET"): Entry(_roles(Role.LAWYER), _fixed("/lawyer")),
    ("lawyer.client", "GET"): Entry(
        _roles(Role.LAWYER), _person("/lawyer/clients/{person}"), owned=True
    ),
    ("lawyer.certificate_pdf", "GET"): Entry(
        _roles(Role.LAWYER),
        _certificate_of_person("/lawyer/clients/{person}/certificates/{certificate}/pdf"),
        owned=True,
    ),
    ("timeline.mine", "GET"): Entry(_roles(Role.MIGRANT), _fixed("/my/timeline")),
    ("timeline.mine_pdf", "GET"): Entry(_roles(Role.MIGRANT), _fixed("/my/timeline.pdf")),
    ("timeline.client", "GET"): Entry(
        _roles(Role.LAWYER), _person("/lawyer/clients/{person}/timeline"), owned=True
    ),
    ("timeline.client_pdf", "GET"): Entry(
        _roles(Role.LAWYER), _person("/lawyer/clients/{person}/timeline.pdf"), owned=True
    ),
    ("timeline.person", "GET"): Entry(
        _roles(Role.OFII_AGENT), _person("/agent/persons/{person}/timeline"), owned=True
    ),
    ("timeline.person_pdf", "GET"): Entry(
        _roles(Role.OFII_AGENT), _person("/agent/persons/{person}/timeline.pdf"), owned=True
    ),
    # The OFII agent: files held by their office only.
    ("agent.search", "GET"): Entry(_roles(Role.OFII_AGENT), _fixed("/agent?q=haddad")),
    ("agent.person", "GET"): Entry(
        _roles(Role.OFII_AGENT), _person("/agent/persons/{person}"), owned=True
    ),
    ("agent.certificate_pdf", "GET"): Entry(
        _roles(Role.OFII_AGENT),
        _certificate_of_person("/agent/persons/{person}/certificates/{certificate}/pdf"),
        owned=True,
    ),
    # The back office on the web (verifier/issue_pages.py): issue and revoke.
    ("issue.issue_form", "GET"): Entry(
        _roles(Role.OFII_AGENT), _person("/agent/persons/{person}/issue"), owned=True
    ),
    ("issue.issue_post", "POST"): Entry(
        _roles(Role.OFII_AGENT), _person("/agent/persons/{person}/issue"), owned=True
    ),
    ("issue.seal_page", "GET"): Entry(
        _roles(Role.OFII_AGENT),
        _certificate_of_person("/agent/persons/{person}/certificates/{certificate}/seal"),
        owned=True,
    ),
    ("issue.revoke_form", "GET"): Entry(
        _roles(Role.OFII_AGENT),
        _certificate_of_person("/agent/persons/{person}/certificates/{certificate}/revoke"),
        owned=True,
    ),
    # Without a reason or the confirmation: refused in the page (400), nothing revoked.
    ("issue.revoke_post", "POST"): Entry(
        _roles(Role.OFII_AGENT),
        _certificate_of_person("/agent/persons/{person}/certificates/{certificate}/revoke"),
        owned=True,
    ),
    ("onboarding.new_person", "GET"): Entry(_roles(Role.OFII_AGENT), _fixed("/agent/persons/new")),
    ("onboarding.new_person", "POST"): Entry(
        _roles(Role.OFII_AGENT), _fixed("/agent/persons/new", action="create")
    ),
    ("onboarding.activation", "GET"): Entry(
        _roles(Role.OFII_AGENT), _person("/agent/persons/{person}/activation"), owned=True
    ),
    ("onboarding.activation_letter", "POST"): Entry(
        _roles(Role.OFII_AGENT), _person("/agent/persons/{person}/activation-letter"), owned=True
    ),
    # The prefecture agent: verification, with the history.
    ("agent.prefecture", "GET"): Entry(_roles(Role.PREFECTURE_AGENT), _fixed("/prefecture")),
    ("agent.prefecture_check", "POST"): Entry(
        _roles(Role.PREFECTURE_AGENT), _fixed("/prefecture", seal="nothing")
    ),
    # The administrator: accounts, not files.
    ("admin.users", "GET"): Entry(_roles(Role.ADMINISTRATOR), _fixed("/admin")),
    ("admin.disable", "POST"): Entry(_roles(Role.ADMINISTRATOR), _disable_user),
    ("admin.keys", "GET"): Entry(_roles(Role.ADMINISTRATOR), _fixed("/admin/keys")),
    ("admin.audit_log", "GET"): Entry(_roles(Role.ADMINISTRATOR), _fixed("/admin/audit")),
    # The API: tokens only (tests/verifier/test_access.py walks tokens and scopes).
    ("api.issue_certificate", "POST"): Entry(TOKEN, _fixed("/api/v1/certificates")),
    ("api.read_certificate", "GET"): Entry(
        TOKEN, _api_certificate("/api/v1/certificates/{certificate}")
    ),
    ("api.certificate_pdf", "GET"): Entry(
        TOKEN, _api_certificate("/api/v1/certificates/{certificate}/pdf")
    ),
    ("api.revoke_certificate", "POST"): Entry(
        TOKEN, _api_certificate("/api/v1/certificates/{certificate}/revoke")
    ),
    ("api.verify_batch", "POST"): Entry(TOKEN, _fixed("/api/v1/verify/batch")),
    # Journey records (issue 6): agents of the office holding the file.
    ("journey.trainings", "GET"): Entry(
        _roles(Role.OFII_AGENT), _path("/agent/persons/{person}/trainings"), owned=True
    ),
    ("journey.add_training", "POST"): Entry(
        _roles(Role.OFII_AGENT),
        _path("/agent/persons/{person}/trainings", kind="civic"),
        owned=True,
    ),
    ("journey.training", "GET"): Entry(
        _roles(Role.OFII_AGENT),
        _path("/agent/persons/{person}/trainings/{training}"),
        owned=True,
    ),
    ("journey.update_training", "POST"): Entry(
        _roles(Role.OFII_AGENT),
        _path("/agent/persons/{person}/trainings/{training}"),
        owned=True,
    ),
    ("journey.training_certificate", "POST"): Entry(
        _roles(Role.OFII_AGENT),
        _path("/agent/persons/{person}/trainings/{training}/certificate"),
        owned=True,
    ),
    ("journey.appointments", "GET"): Entry(
        _roles(Role.OFII_AGENT), _path("/agent/persons/{person}/appointments"), owned=True
    ),
    ("journey.schedule", "POST"): Entry(
        _roles(Role.OFII_AGENT), _path("/agent/persons/{person}/appointments"), owned=True
    ),
    ("journey.appointment_status", "POST"): Entry(
        _roles(Role.OFII_AGENT),
        _path("/agent/persons/{person}/appointments/{appointment}/status", status="attended"),
        owned=True,
    ),
    ("journey.agent_correspondence", "GET"): Entry(
        _roles(Role.OFII_AGENT), _path("/agent/persons/{person}/correspondence"), owned=True
    ),
    ("journey.agent_add_correspondence", "POST"): Entry(
        _roles(Role.OFII_AGENT), _path("/agent/persons/{person}/correspondence"), owned=True
    ),
    ("journey.agent_file_pdf", "GET"): Entry(
        _roles(Role.OFII_AGENT), _path("/agent/persons/{person}/files/{file}/pdf"), owned=True
    ),
    ("journey.agent_file_original", "GET"): Entry(
        _roles(Role.OFII_AGENT),
        _path("/agent/persons/{person}/files/{file}/original"),
        owned=True,
    ),
    # The migrant's correspondence and files.
    ("journey.my_correspondence", "GET"): Entry(_roles(Role.MIGRANT), _fixed("/my/correspondence")),
    ("journey.my_add_correspondence", "POST"): Entry(
        _roles(Role.MIGRANT), _fixed("/my/correspondence")
    ),
    ("journey.my_file_pdf", "GET"): Entry(
        _roles(Role.MIGRANT), _path("/my/files/{file}/pdf"), owned=True
    ),
    ("journey.my_file_original", "GET"): Entry(
        _roles(Role.MIGRANT), _path("/my/files/{file}/original"), owned=True
    ),
    # The mandated lawyer's (A's mandate covers read, packs and upload).
    ("journey.lawyer_correspondence", "GET"): Entry(
        _roles(Role.LAWYER), _path("/lawyer/clients/{person}/correspondence"), owned=True
    ),
    ("journey.lawyer_add_correspondence", "POST"): Entry(
        _roles(Role.LAWYER), _path("/lawyer/clients/{person}/correspondence"), owned=True
    ),
    ("journey.lawyer_file_pdf", "GET"): Entry(
        _roles(Role.LAWYER), _path("/lawyer/clients/{person}/files/{file}/pdf"), owned=True
    ),
    ("journey_api.add_training", "POST"): Entry(TOKEN, _path("/api/v1/persons/{person}/trainings")),
    ("journey_api.add_appointment", "POST"): Entry(
        TOKEN, _path("/api/v1/persons/{person}/appointments")
    ),
    ("journey_api.training_certificate", "POST"): Entry(
        TOKEN, _path("/api/v1/trainings/{training}/certificate")
    ),
    ("journey_api.journey", "GET"): Entry(TOKEN, _path("/api/v1/persons/{person}/journey")),
    # Evidence packs (issue 7): the migrant's own file, the lawyer with a "packs" mandate.
    ("packs.mine", "GET"): Entry(_roles(Role.MIGRANT), _fixed("/my/packs")),
    ("packs.mine", "POST"): Entry(_roles(Role.MIGRANT), _fixed("/my/packs")),
    ("packs.mine_build", "GET"): Entry(
        _roles(Role.MIGRANT), _path("/my/packs/{build}"), owned=True
    ),
    ("packs.mine_download", "GET"): Entry(
        _roles(Role.MIGRANT), _path("/my/packs/{build}/download"), owned=True
    ),
    ("packs.client", "GET"): Entry(
        _roles(Role.LAWYER), _path("/lawyer/clients/{person}/packs"), owned=True
    ),
    ("packs.client", "POST"): Entry(
        _roles(Role.LAWYER), _path("/lawyer/clients/{person}/packs"), owned=True
    ),
    ("packs.client_build", "GET"): Entry(
        _roles(Role.LAWYER), _path("/lawyer/clients/{person}/packs/{build}"), owned=True
    ),
    ("packs.client_download", "GET"): Entry(
        _roles(Role.LAWYER), _path("/lawyer/clients/{person}/packs/{build}/download"), owned=True
    ),
    ("packs.verify_form", "GET"): Entry(PUBLIC, _fixed("/packs/verify")),
    ("packs.verify_upload", "POST"): Entry(PUBLIC, _fixed("/packs/verify")),
    ("packs_api.verify_api", "POST"): Entry(PUBLIC, _fixed("/api/v1/packs/verify")),
    # The embedded timestamp authority: a protocol endpoint for anyone.
    ("tsa.timestamp", "POST"): Entry(PUBLIC, _fixed("/tsa")),
    # The transparency log: public by design (no personal data in it).
    ("log_api.head", "GET"): Entry(PUBLIC, _fixed("/api/v1/log/head")),
    ("log_api.certificate_proof", "GET"): Entry(
        PUBLIC, _api_certificate("/api/v1/log/certificates/{certificate}")
    ),
    ("log_api.consistency", "GET"): Entry(PUBLIC, _fixed("/api/v1/log/consistency?first=1")),
    ("log_api.leaves", "GET"): Entry(PUBLIC, _fixed("/api/v1/log/leaves")),
    ("log_api.keys", "GET"): Entry(PUBLIC, _fixed("/api/v1/log/keys")),
}


def _routes(app: Flask) -> set[tuple[str, str]]:
    return {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }


def test_every_route_has_an_entry_in_the_matrix(app: Flask) -> None:
    routes = _routes(app)
    missing = sorted(routes - MATRIX.keys())
    assert not missing, f"routes without a decision on who may use them: {missing}"
    stale = sorted(MATRIX.keys() - routes)
    assert not stale, f"matrix entries for routes that no longer exist: {stale}"


def _world(app: Flask, staff: Staff) -> World:
    client = app.test_client()
    person_a = make_person(app, "Haddad", "Amina")
    person_b = make_person(app, "Tesfaye", "Mekdes")
    with app.app_context():
        session = db.session()
        lyon = Office(code="DT-LYON", name="OFII — Direction territoriale de Lyon")
        session.add(lyon)
        session.flush()
        session.get(Person, person_b).office_id = lyon.id  # type: ignore[union-attr]
        _, lyon_secret = create_token(session, office=lyon, scopes={Scope.ISSUE}, label="lyon")
        session.commit()

    def issue(person: int, secret: str) -> dict[str, Any]:
        made = client.post(
            "/api/v1/certificates",
            json=issue_body(holder=None, person_id=person),
            headers={"Authorization": f"Bearer {secret}", "Idempotency-Key": secrets.token_hex(8)},
        )
        assert made.status_code == 201, made.get_json()
        return made.get_json()  # type: ignore[no-any-return]

    certificate_a = issue(person_a, staff.secrets[Scope.ISSUE])
    certificate_b = issue(person_b, lyon_secret)
    lawyer = make_account(app, Role.LAWYER)
    other_lawyer = make_account(app, Role.LAWYER)
    with app.app_context():
        session = db.session()
        ends = date.today() + timedelta(days=90)
        session.add(
            Mandate(
                person_id=person_a, lawyer_id=lawyer.id, scopes="read packs upload", ends_on=ends
            )
        )
        mandate_b = Mandate(
            person_id=person_b, lawyer_id=other_lawyer.id, scopes="read", ends_on=ends
        )
        session.add(mandate_b)
        session.commit()
        mandate_b_id = mandate_b.id
    journey = {True: _journey_of(app, person_a), False: _journey_of(app, person_b)}
    journey[True]["build"] = _finished_build(app, person_a, lawyer.id, journey[True])
    journey[False]["build"] = _finished_build(app, person_b, other_lawyer.id, journey[False])
    world = World(
        journey=journey,
        app=app,
        person_a=person_a,
        person_b=person_b,
        certificate_a=certificate_a["id"],
        certificate_b=certificate_b["id"],
        mandate_b=mandate_b_id,
        lawyer=lawyer,
        other_lawyer=other_lawyer,
        seal_a=certificate_a["seal_url"],
    )
    accounts = {
        Role.MIGRANT: make_account(app, Role.MIGRANT, person_id=person_a),
        Role.LAWYER: lawyer,
        Role.OFII_AGENT: make_account(app, Role.OFII_AGENT),
        Role.PREFECTURE_AGENT: make_account(app, Role.PREFECTURE_AGENT),
        Role.ADMINISTRATOR: make_account(app, Role.ADMINISTRATOR),
    }
    for actor in ACTORS:
        actor_client = app.test_client()
        if actor is not None:
            sign_in(actor_client, accounts[actor])
        world.clients[actor] = actor_client
        world.tokens[actor] = form_token(actor_client, "/verifier")
    return world


def _journey_of(app: Flask, person_id: int) -> dict[str, int]:
    """A training, an appointment and a stored file (with its blob) in this person's file."""
    with app.app_context():
        session = db.session()
        person = session.get(Person, person_id)
        assert person is not None
        assert person.office_id is not None
        training = Training(
            person_id=person_id, office_id=person.office_id, kind="civic", title="Session 1"
        )
        training.days.append(TrainingDay(day=date.today(), hours=6, attendance="present"))
        appointment = Appointment(
            person_id=person_id,
            office_id=person.office_id,
            purpose="reception-interview",
            at=utcnow() + timedelta(days=10),
            place="OFII",
        )
        letter = Correspondence(
            person_id=person_id,
            on=date.today(),
            direction="received",
            sender="OFII",
            recipient="Migrant",
            channel="post",
            subject="Convocation",
            added_by_role="ofii-agent",
        )
        pdf = _blank_pdf()
        key = blob_store().put(pdf)
        stored = StoredFile(
            person_id=person_id,
            correspondence=letter,
            kind="pdf",
            title="Letter",
            original_sha256=key,
            pdf_sha256=key,
            pages=1,
            size=len(pdf),
        )
        session.add_all([training, appointment, letter, stored])
        session.commit()
        return {"training": training.id, "appointment": appointment.id, "file": stored.id}


def _finished_build(app: Flask, person_id: int, lawyer_id: int, journey: dict[str, int]) -> int:
    """A finished pack of this person's file, built by their lawyer (its ZIP: any blob)."""
    with app.app_context():
        session = db.session()
        stored = session.get(StoredFile, journey["file"])
        assert stored is not None
        build = PackBuild(
            person_id=person_id,
            purpose="renewal",
            status="done",
            zip_sha256=stored.pdf_sha256,
            created_by_id=lawyer_id,
            finished_at=utcnow(),
        )
        session.add(build)
        session.commit()
        return build.id


def _blank_pdf() -> bytes:
    out = io.BytesIO()
    with pikepdf.new() as document:
        document.add_blank_page()
        document.save(out)
    return out.getvalue()


def _refused(status: int, location: str) -> bool:
    return status in (401, 403, 404) or (status in (301, 302, 303) and "/sign-in" in location)


def _expected(entry: Entry, actor: Role | None, own: bool) -> str:
    if entry.who == PUBLIC:
        return "through"
    if entry.who == TOKEN or actor is None:
        return "refused"
    assert isinstance(entry.who, frozenset)
    if actor not in entry.who:
        return "refused"
    return "through" if own or not entry.owned else "refused"


def _call(
    world: World, actor: Role | None, method: str, entry: Entry, own: bool
) -> tuple[int, str]:
    path, form = entry.target(world, own)
    client = world.clients[actor]
    if method == "GET":
        response = client.get(path, headers=dict(entry.headers))
    else:
        response = client.post(path, data={**form, "csrf_token": world.tokens[actor]})
    response.close()  # static files are streamed from an open file
    return response.status_code, response.headers.get("Location", "")


@pytest.mark.slow
def test_each_role_reaches_exactly_what_is_theirs(ready_app: Flask, staff: Staff) -> None:
    world = _world(ready_app, staff)
    failures = []
    checks = 0
    # Signing out ends the session the later checks need: it goes last. A request from
    # another address (X-Forwarded-For) ends it too (Flask-Login's session protection): those
    # go just before.
    order = sorted(
        MATRIX.items(), key=lambda item: (item[0][0] == "auth.sign_out", bool(item[1].headers))
    )
    for (endpoint, method), entry in order:
        for actor in ACTORS:
            for own in (True, False) if entry.owned else (True,):
                status, location = _call(world, actor, method, entry, own)
                checks += 1
                if status >= 500:
                    failures.append(f"{endpoint} {method} as {actor} own={own}: {status}")
                    continue
                outcome = "refused" if _refused(status, location) else "through"
                wanted = _expected(entry, actor, own)
                if entry.who == PUBLIC:
                    continue  # public routes may refuse bad input in their own ways
                if outcome != wanted:
                    failures.append(
                        f"{endpoint} {method} as {actor or 'anonymous'} "
                        f"({'own' if own else 'other'}'s): {status} {location} -> {outcome}, "
                        f"wanted {wanted}"
                    )
    assert checks > 300
    assert not failures, "\n".join(failures)
