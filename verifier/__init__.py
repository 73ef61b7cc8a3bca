"""The Sceau web service: pages, JSON API, database, CLI. The only package that imports flask,
sqlalchemy or reads the environment (through verifier.config)."""

from __future__ import annotations

import logging
import secrets
import threading
from pathlib import Path

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

from verifier import (
    accounts,
    admin_pages,
    agent_pages,
    api,
    auth_pages,
    cli,
    db,
    errors,
    health,
    i18n,
    issue_pages,
    journey_api,
    journey_pages,
    lawyer_pages,
    limits,
    log_api,
    logs,
    metrics,
    onboarding_pages,
    pack_pages,
    pages,
    portal_pages,
    seal_cache,
    security,
    timeline_pages,
    tsa,
    verification_log,
    wellknown,
)
from verifier.config import Settings, settings_of
from verifier.db import MAX_DATABASE_ID
from verifier.keys import uses_development_passphrase

__all__ = ["Settings", "close_app", "create_app", "live_apps", "settings_of"]

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
log = logging.getLogger(__name__)

# The applications of this process not yet closed: a server has one, a test run many. Held
# strongly: an app dropped unclosed would leave its timers and connections to the collector.
_apps: set[Flask] = set()
_apps_lock = threading.Lock()


class DatabaseId(IntegerConverter):
    """``<int:...>`` bounded to a 32-bit signed integer (PostgreSQL's INTEGER)."""

    def __init__(self, url_map: Map, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("max", MAX_DATABASE_ID)
        super().__init__(url_map, *args, **kwargs)  # type: ignore[arg-type]


def create_app(settings: Settings | None = None) -> Flask:
    """Build an application; without settings, they are read from the environment."""
    settings = settings or Settings.from_env()
    app = Flask(
        __name__,
        instance_path=str(settings.instance_path),
        template_folder=str(settings.templates_path or TEMPLATES),
    )
    # Ids in paths fit the database's integer columns: a larger one is a 404, not a 500.
    app.url_map.converters["int"] = DatabaseId
    app.config["SECRET_KEY"] = settings.secret_key or secrets.token_hex(32)
    app.extensions["sceau.settings"] = settings
    # Werkzeug refuses a larger body with 413 before any view reads it (errors.py words it).
    app.config["MAX_CONTENT_LENGTH"] = settings.max_upload_bytes
    app.config["MAX_FORM_MEMORY_SIZE"] = settings.max_upload_bytes
    db.init_app(app, settings.database_url)
    verification_log.init_app(app, app.extensions["sceau.engine"])
    seal_cache.init_app(app, app.extensions["sceau.engine"])
    from verifier import worker  # after db: it listens to the sessions' commits

    worker.init_app(app)
    # First, so that every request has its id before any other hook may answer it.
    logs.init_app(app)
    errors.init_app(app)
    i18n.init_app(app)
    limits.init_app(app)
    accounts.init_app(app)
    security.init_app(app)
    # The API authenticates with bearer tokens, never cookies: no cross-site request can
    # carry its credentials, so its JSON bodies need no CSRF token.
    security.csrf.exempt(api.bp)
    security.csrf.exempt(journey_api.bp)
    security.csrf.exempt(tsa.bp)  # RFC 3161 over HTTP: no cookies, no forms
    security.csrf.exempt(pack_pages.bp_api)
    app.register_blueprint(health.bp)
    app.register_blueprint(metrics.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(journey_api.bp)
    app.register_blueprint(log_api.bp)
    app.register_blueprint(tsa.bp)
    app.register_blueprint(pack_pages.bp)
    app.register_blueprint(pack_pages.bp_api)
    app.register_blueprint(wellknown.bp)
    app.register_blueprint(pages.bp)
    for area in (
        auth_pages,
        onboarding_pages,
        portal_pages,
        lawyer_pages,
        agent_pages,
        issue_pages,
        admin_pages,
        journey_pages,
        timeline_pages,
    ):
        app.register_blueprint(area.bp)
    cli.init_app(app)
    with _apps_lock:
        _apps.add(app)
    if uses_development_passphrase(settings):
        log.warning(
            "WARNING: development passphrase: the keys are protected by a passphrase stored "
            "beside them in %s; "
            "set SCEAU_KEY_PASSPHRASE in production",
            settings.passphrase_file,
        )
    return app


def live_apps() -> list[Flask]:
    """This process's applications not yet closed (a worker's one; a test's)."""
    with _apps_lock:
        return list(_apps)


def close_app(app: Flask, *, timeout: float = 30.0) -> None:
    """Release what ``app`` holds, in the order that loses nothing: its in-process jobs
    finish, its buffered verification events are written, its seal-cache listener stops, and
    its pooled connections close. For a worker process about to exit (verifier/
    gunicorn_conf.py) and for a test done with its app; closing twice does nothing more."""
    from verifier import worker

    worker.shut_down(app, timeout=timeout)
    verification_log.of(app).close()
    seal_cache.of(app).close()
    app.extensions["sceau.engine"].dispose()
    with _apps_lock:
        _apps.discard(app)
