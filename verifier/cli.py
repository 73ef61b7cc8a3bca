"""The `sceau` command (also `flask --app verifier ...`): set up, serve, export trust."""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import click
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup, with_appcontext
from sqlalchemy import select

from bundles.certificate import build_certificate
from bundles.certificate.samples import sample_document
from signing.errors import KeyStoreError
from signing.files import write_atomic
from signing.keys import KeyPurpose
from signing.seal import CertificateType
from signing.trust import key_fingerprint
from verifier import db, migrate
from verifier.cli_log import init_log
from verifier.config import Settings, settings_of
from verifier.keys import document_signer, open_key_store, open_pki
from verifier.models import Office
from verifier.trustlists import ensure_trust_list_key, trust_publisher

__all__ = ["init_app", "main"]

DEV_OFFICE = ("DT-PARIS", "OFII — Direction territoriale de Paris")


def _app() -> Flask:
    from verifier import create_app

    return create_app()


def _settings() -> Settings:
    return settings_of(current_app)


@click.command("init")
@with_appcontext
def init_command() -> None:
    """Create the instance, or complete it: folder, database, development keys, PKI and office.

    Safe to run on every start: what exists is kept.
    """
    settings = _settings()
    settings.instance_path.mkdir(parents=True, exist_ok=True)
    try:
        store = open_key_store(settings, create=True)
    except KeyStoreError as exc:  # no module, no token, wrong PIN: say so, not a traceback
        raise click.ClickException(str(exc)) from exc
    migrate.upgrade(db.engine())
    click.echo(f"database: {db.engine().url.render_as_string(hide_password=True)} (migrated)")
    seal_keys = store.keys(purpose=KeyPurpose.SEAL)
    if seal_keys:
        click.echo(f"seal key: {seal_keys[-1].key_id.hex()} (kept)")
    else:
        info = store.generate(purpose=KeyPurpose.SEAL)
        where = (
            f"token {settings.pkcs11_token!r}"
            if settings.key_store == "pkcs11"
            else str(settings.keys_path)
        )
        click.echo(f"seal key: {info.key_id.hex()} (created in {where})")
    chain = open_pki(settings, create=True).ensure(store)
    click.echo(
        f"document signing: {chain.certificate.subject.rfc4514_string()} "
        f"(key {chain.key_id.hex()}, root {settings.pki_path / 'root-ca.pem'})"
    )
    tsa = open_pki(settings).ensure_tsa(store)
    click.echo(
        f"timestamping: {tsa.certificate.subject.rfc4514_string()} (key {tsa.key_id.hex()}"
        + (f"; not used: SCEAU_TSA_URL={settings.tsa_url})" if settings.tsa_url else ")")
    )
    list_key, made = ensure_trust_list_key(store)
    published = trust_publisher(settings, store).current()
    click.echo(
        f"trust list: version {published.version}, signed by trust-list key "
        f"{list_key.key_id.hex()} ({'created' if made else 'kept'}; fingerprint "
        f"{key_fingerprint(store.public_key(list_key.key_id))})"
    )
    session = db.session()
    if session.scalar(select(Office).limit(1)) is None:
        code, name = DEV_OFFICE
        session.add(Office(code=code, name=name))
        session.commit()
        click.echo(f"office: {code} (created for development)")
    init_log(store)  # the LOG key, and what the register holds that the log lacks


@click.command("serve")
@click.option("--host", default=None, help="Address to listen on [127.0.0.1].")
@click.option("--port", type=int, default=None, help="Port [8000].")
@click.option(
    "--production",
    is_flag=True,
    help="gunicorn with verifier/gunicorn_conf.py (workers, JSON logs, metrics) instead of "
    "waitress.",
)
@with_appcontext
def serve_command(host: str | None, port: int | None, production: bool) -> None:
    """Serve the application: waitress for development, gunicorn with --production."""
    settings = _settings()
    host, port = host or settings.host, port or settings.port
    if production:
        _exec_gunicorn(settings, host, port)
    import waitress

    from verifier import logs
    from verifier.packs import resume_builds

    logs.configure()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    resumed = resume_builds(app)
    if resumed:
        click.echo(f"{len(resumed)} unfinished pack build(s) in the queue")
    if settings.inprocess_worker:  # development: no `sceau worker` needed (verifier/worker.py)
        from verifier.worker import start_poller

        start_poller(app)
        click.echo("background jobs: in this process (SCEAU_INPROCESS_WORKER=0: `sceau worker`)")
    click.echo(f"Sceau serving on http://{host}:{port}")
    waitress.serve(app, host=host, port=port, ident="sceau")


def _exec_gunicorn(settings: Settings, host: str, port: int) -> NoReturn:
    """Replace this process by gunicorn's master (same pid: a supervisor's SIGTERM reaches it).

    Exec rather than gunicorn's Python API because prometheus_client picks its multiprocess
    mode when first imported, from PROMETHEUS_MULTIPROC_DIR: this process has imported it
    already (the app is built), the new one reads the folder set here from the start. No pack
    build is resumed: each worker would resume the same ones (that is `sceau worker`'s job).
    """
    import os
    import sys
    import tempfile

    os.environ["SCEAU_HOST"], os.environ["SCEAU_PORT"] = host, str(port)
    # Web workers never run background jobs in production: `sceau worker` does (verifier/worker.py).
    os.environ.setdefault("SCEAU_INPROCESS_WORKER", "0")
    if settings.metrics_multiproc_dir is None:
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="sceau-metrics-")
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(  # noqa: S606 (our interpreter, fixed arguments)
        sys.executable,
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "python:verifier.gunicorn_conf",
            "verifier:create_app()",
        ],
    )


@click.command("demo-certificates")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def demo_certificates(folder: Path) -> None:
    """Write one signed certificate PDF per type into FOLDER, for people to look at."""
    settings = _settings()
    store = open_key_store(settings)
    seal_key = store.active_key(KeyPurpose.SEAL)
    signer, _ = document_signer(settings, store)
    folder.mkdir(parents=True, exist_ok=True)
    for kind in CertificateType:
        issued = build_certificate(
            sample_document(kind),
            key_store=store,
            seal_key_id=seal_key.key_id,
            pdf_signer=signer,
            base_url=settings.seal_base_url,
        )
        path = folder / f"{kind}.pdf"
        path.write_bytes(issued.pdf)
        click.echo(f"{path}  {issued.seal_url[:60]}...")


@click.group("trust", cls=AppGroup)
def trust_group() -> None:
    """The trust list of the seal keys."""


@trust_group.command("export")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None)
def trust_export(output: Path | None) -> None:
    """Print the signed trust list (JSON, version 2), or write it to --output.

    The same bytes as /.well-known/sceau/trust.json: the newest version, re-signed first if
    it is due. For verifiers with no network, copied to them by hand.
    """
    settings = _settings()
    try:
        published = trust_publisher(settings, open_key_store(settings)).current()
    except LookupError:  # KeyNotFoundError: an instance from before signed trust lists
        raise click.ClickException("no active trust-list key: run `sceau init`") from None
    if output is None:
        click.echo(published.document.decode("ascii"), nl=False)
    else:
        write_atomic(output, published.document, mode=0o644)
        click.echo(f"trust list version {published.version} written to {output}", err=True)


@click.group("db", cls=AppGroup)
def db_group() -> None:
    """Database migrations."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    migrate.upgrade(db.engine(), revision)


@db_group.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    migrate.downgrade(db.engine(), revision)


def init_app(app: Flask) -> None:
    from verifier import cli_accounts, cli_certificates, cli_log, cli_packs, cli_worker

    for command in (init_command, serve_command, demo_certificates, trust_group, db_group):
        app.cli.add_command(command)
    from verifier import cli_backup
    from verifier.cli_keys import keys_group

    app.cli.add_command(keys_group)
    for command in (
        *cli_certificates.COMMANDS,
        *cli_accounts.COMMANDS,
        *cli_packs.COMMANDS,
        *cli_log.COMMANDS,
        *cli_backup.COMMANDS,
        *cli_worker.COMMANDS,
    ):
        app.cli.add_command(command)


main = FlaskGroup(create_app=_app, help="Sceau: sealed OFII certificates.")
