"""The trust list at /.well-known/sceau/trust.json, for verifiers that work offline.

Served with a strong ETag (SHA-256 of the key entries) and an hour of caching, so that a verifier
fleet revalidates cheaply with If-None-Match and gets a 304 until a key changes.
"""

from __future__ import annotations

import hashlib
import json

from flask import Blueprint, Response, request
from flask.typing import ResponseReturnValue

from signing.trust import TrustList
from verifier.instance import keyring

__all__ = ["bp"]

bp = Blueprint("wellknown", __name__, url_prefix="/.well-known/sceau")

MAX_AGE = 3600


@bp.get("/trust.json")
def trust_list() -> ResponseReturnValue:
    trust = TrustList.from_key_store(keyring().store)
    document = trust.to_json().encode("utf-8")
    # The keys, not the list's issue time, decide whether a cached copy is still good.
    keys = json.dumps([key.to_document() for key in trust.keys], sort_keys=True)
    etag = hashlib.sha256(keys.encode("utf-8")).hexdigest()
    response = Response(document, mimetype="application/json")
    response.set_etag(etag)
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response.headers["Access-Control-Allow-Origin"] = "*"  # browsers' WebCrypto verifiers
    return response.make_conditional(request)
