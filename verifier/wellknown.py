"""The signed trust list at /.well-known/sceau/trust.json, for verifiers that work offline.

The newest version is served byte for byte as signed (signing/trust_publisher.py); asking for
it re-signs it first when it is due (keys changed, or its refresh hint passed), so the list
served is never close to its expiry and no timer is needed. The ETag is the SHA-256 of those
bytes, so a verifier fleet revalidates cheaply with If-None-Match and gets a 304 until a new
version exists; caching lasts an hour, and never beyond the list's refresh hint.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, Response, current_app, request
from flask.typing import ResponseReturnValue

from signing.errors import KeyNotFoundError
from verifier.config import settings_of
from verifier.errors import ApiError
from verifier.instance import keyring
from verifier.trustlists import trust_publisher

__all__ = ["bp"]

bp = Blueprint("wellknown", __name__, url_prefix="/.well-known/sceau")

MAX_AGE = 3600


@bp.get("/trust.json")
def trust_list() -> ResponseReturnValue:
    publisher = trust_publisher(settings_of(current_app), keyring().store)
    try:
        published = publisher.current()
    except KeyNotFoundError:  # an instance from before signed lists: `sceau init` adds the key
        raise ApiError(503, "trust-list-unavailable") from None
    response = Response(published.document, mimetype="application/json")
    response.set_etag(published.etag)
    trust = published.trust
    assert trust.refresh_after is not None
    until_refresh = int((trust.refresh_after - datetime.now(UTC)).total_seconds())
    response.headers["Cache-Control"] = f"public, max-age={max(0, min(MAX_AGE, until_refresh))}"
    response.last_modified = trust.issued_at
    response.headers["Access-Control-Allow-Origin"] = "*"  # browsers' WebCrypto verifiers
    return response.make_conditional(request)
