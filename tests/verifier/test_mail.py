"""Password-reset mail: through a real SMTP exchange (aiosmtpd), and into the outbox folder
when no server is configured."""

from __future__ import annotations

import dataclasses
import email
import re
import socket
from collections.abc import Iterator
from email.message import Message
from email.policy import default as default_policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient

from tests.verifier.conftest import form_token, make_account, sign_in
from verifier import Settings, create_app, db
from verifier.models import Role, User
from verifier.worker import wait_for_jobs

NEW_PASSWORD = "a password from the mail 5"
LINK = re.compile(r"http://127\.0\.0\.1:8000/password/reset\?code=[A-Z2-7-]+")


class Collector:
    """An aiosmtpd handler keeping every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        content = envelope.content if isinstance(envelope.content, bytes) else b""
        message = email.message_from_bytes(content, policy=default_policy)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def smtp() -> Iterator[tuple[Collector, int]]:
    collector = Collector()
    port = free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield collector, port
    finally:
        controller.stop()


def ready(settings: Settings) -> Flask:
    settings.instance_path.mkdir(parents=True, exist_ok=True)
    app = create_app(settings)
    app.config["TESTING"] = True
    result = app.test_cli_runner().invoke(args=["init"])
    assert result.exit_code == 0, result.output
    return app


def mailing_to(settings: Settings, port: int, **changes: object) -> Settings:
    """``settings`` sending mail to a test's SMTP server on 127.0.0.1:``port`` (no TLS)."""
    return dataclasses.replace(
        settings, smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False, **changes
    )


def request_reset(client: FlaskClient, address: str) -> str:
    token = form_token(client, "/password/forgot")
    response = client.post("/password/forgot", data={"email": address, "csrf_token": token})
    assert response.status_code == 200
    wait_for_jobs(client.application, timeout=30)  # the mail is queued, sent by a worker
    return response.get_data(as_text=True)


def body_of(message: Message) -> str:
    part = message.get_body(preferencelist=("plain",))  # type: ignore[attr-defined]
    assert part is not None
    text: str = part.get_content()
    return text


def use_link(app: Flask, link: str) -> int:
    client = app.test_client()
    path = link.removeprefix("http://127.0.0.1:8000")
    page = client.get(path)
    if page.status_code != 200:
        return page.status_code
    response = client.post(
        "/password/reset",
        data={
            "code": path.split("code=", 1)[1],
            "password": NEW_PASSWORD,
            "password_again": NEW_PASSWORD,
            "csrf_token": form_token(client, path),
        },
    )
    return response.status_code


def test_a_reset_link_travels_by_smtp_and_works(
    settings: Settings, smtp: tuple[Collector, int]
) -> None:
    collector, port = smtp
    app = ready(mailing_to(settings, port))
    try:
        account = make_account(app, Role.LAWYER, email="maitre@example.org")
        answer_known = request_reset(app.test_client(), "Maitre@Example.org")
        answer_unknown = request_reset(app.test_client(), "nobody@example.org")
        assert answer_known == answer_unknown  # nothing tells who has an account

        assert len(collector.messages) == 1
        recipients, message = collector.messages[0]
        assert recipients == ["maitre@example.org"]
        assert message["Subject"] == "Sceau : choisir un nouveau mot de passe"
        links = LINK.findall(body_of(message))
        assert len(links) == 1
        assert use_link(app, links[0]) == 200
        assert use_link(app, links[0]) == 410  # once only

        account.password = NEW_PASSWORD
        sign_in(app.test_client(), account)
        assert not (settings.instance_path / "outbox").exists()
    finally:
        app.extensions["sceau.engine"].dispose()


def test_without_a_server_mail_goes_to_the_outbox(ready_app: Flask, settings: Settings) -> None:
    account = make_account(ready_app, Role.MIGRANT, email="amina@example.org")
    request_reset(ready_app.test_client(), account.email)
    request_reset(ready_app.test_client(), "nobody@example.org")
    files = sorted((settings.instance_path / "outbox").glob("*.eml"))
    assert len(files) == 1
    message = email.message_from_bytes(files[0].read_bytes(), policy=default_policy)
    assert message["To"] == "amina@example.org"
    (link,) = LINK.findall(body_of(message))
    assert use_link(ready_app, link) == 200


def test_the_mail_is_in_the_account_language(ready_app: Flask, settings: Settings) -> None:
    account = make_account(ready_app, Role.MIGRANT, email="layla@example.org")
    with ready_app.app_context():
        user = db.session().get(User, account.id)
        assert user is not None
        user.preferred_language = "ar"
        db.session().commit()
    request_reset(ready_app.test_client(), account.email)
    (path,) = (settings.instance_path / "outbox").glob("*.eml")
    message = email.message_from_bytes(path.read_bytes(), policy=default_policy)
    assert "كلمة مرور" in str(message["Subject"])
    assert LINK.search(body_of(message)) is not None
