"""The embedded RFC 3161 timestamp authority over HTTP: ``POST /tsa`` (RFC 3161 section 3.4).

A protocol endpoint: the body is a DER TimeStampReq (``application/timestamp-query``), the
answer a DER TimeStampResp (``application/timestamp-reply``), granted or a rejection that says
why, with status 200 either way as the RFC has it. No cookies, no CSRF token (the blueprint is
exempt). Bodies over 64 KiB get 413 (a request is about a hundred bytes), another media type
415. When SCEAU_TSA_URL names an external authority the embedded one is off and ``/tsa``
answers 404: Sceau then never signs timestamps itself.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, request
from flask.typing import ResponseReturnValue

from signing.timestamps import QUERY_MEDIA_TYPE, REPLY_MEDIA_TYPE
from verifier.config import settings_of
from verifier.instance import keyring

__all__ = ["MAX_QUERY_BYTES", "bp"]

bp = Blueprint("tsa", __name__)

MAX_QUERY_BYTES = 64 * 1024


@bp.post("/tsa")
def timestamp() -> ResponseReturnValue:
    if settings_of(current_app).tsa_url is not None:
        abort(404)
    if request.mimetype != QUERY_MEDIA_TYPE:
        abort(415)
    if request.content_length is not None and request.content_length > MAX_QUERY_BYTES:
        abort(413)
    body = request.stream.read(MAX_QUERY_BYTES + 1)  # also bounds a body without a length
    if len(body) > MAX_QUERY_BYTES:
        abort(413)
    authority = keyring().authority
    if authority is None:  # pragma: no cover (tsa_url is None means the authority is loaded)
        abort(404)
    response = Response(authority.respond(body), mimetype=REPLY_MEDIA_TYPE)
    response.headers["Cache-Control"] = "no-store"
    return response
