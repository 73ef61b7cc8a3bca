"""The transparency log's public API under /api/v1/log/: heads, proofs, leaves, keys.

Open to anyone with no token: the log holds no personal data (certificate ids, types and seal
hashes), and being readable by all is what makes it a check on the issuer. Sizes and indexes
come as query parameters and are checked strictly: anything but a whole number in range is a
400 with a message in the visitor's language, never a 500.
"""

from __future__ import annotations

import re

from flask import Blueprint, Response, jsonify, request
from flask.typing import ResponseReturnValue

from signing.keys import KeyPurpose
from signing.trust import TrustList
from verifier import db, transparency
from verifier.errors import ApiError
from verifier.instance import keyring
from verifier.log_json import head_json, leaf_json, proofs_json
from verifier.models import Certificate

__all__ = ["bp"]

bp = Blueprint("log_api", __name__, url_prefix="/api/v1/log")

_NUMBER = re.compile(r"[0-9]{1,40}")
_CERTIFICATE_ID = re.compile(r"[0-9a-f]{24}")


def _number(name: str, *, default: int | None = None, minimum: int = 0) -> int:
    """Query parameter ``name`` as a whole number >= ``minimum`` (400 otherwise)."""
    given = request.args.getlist(name)
    if not given:  # absent; present but empty ("?end=") is malformed, not a default
        if default is None:
            raise ApiError(400, "log-bad-number", field=name, minimum=minimum)
        return default
    raw = given[0]
    if len(given) > 1 or not _NUMBER.fullmatch(raw) or int(raw) < minimum:
        raise ApiError(400, "log-bad-number", field=name, minimum=minimum)
    return int(raw)


def _within(name: str, value: int, size: int) -> int:
    if value > size:
        raise ApiError(400, "log-beyond-tree", field=name, value=value, size=size)
    return value


def _size() -> int:
    head = transparency.latest_head(db.session())
    if head is None:
        raise ApiError(404, "log-empty")
    return head.tree_size


def _public(response: Response) -> Response:
    # The log only grows; a minute of caching spares it a crowd of monitors.
    response.headers["Cache-Control"] = "public, max-age=60"
    return response


@bp.get("/head")
def head() -> ResponseReturnValue:
    """The latest signed tree head, or the one of ``tree_size``."""
    size = _size()
    wanted = _within("tree_size", _number("tree_size", default=size, minimum=1), size)
    found = transparency.head_of(db.session(), wanted)
    if found is None:  # pragma: no cover - one head is signed per size
        raise ApiError(404, "log-empty")
    return _public(jsonify(head_json(found)))


@bp.get("/certificates/<certificate_id>")
def certificate_proof(certificate_id: str) -> ResponseReturnValue:
    """A certificate's leaves (issuance, revocation) with audit paths to a signed head."""
    session = db.session()
    if (
        not _CERTIFICATE_ID.fullmatch(certificate_id)
        or session.get(Certificate, certificate_id) is None
    ):
        raise ApiError(404, "certificate-not-found")
    size = _size()
    wanted = _within("tree_size", _number("tree_size", default=size, minimum=1), size)
    proofs = transparency.certificate_proofs(session, certificate_id, wanted)
    if proofs is None:
        raise ApiError(404, "log-not-logged", size=wanted)
    return _public(jsonify({"certificate_id": certificate_id, **proofs_json(proofs)}))


@bp.get("/consistency")
def consistency() -> ResponseReturnValue:
    """PROOF(first, second): that the tree of ``first`` leaves is a prefix of ``second``'s."""
    size = _size()
    first = _within("first", _number("first"), size)
    second = _within("second", _number("second", default=size), size)
    if first > second:
        raise ApiError(400, "log-order", field="first", low="first", high="second")
    session = db.session()
    proof = transparency.consistency(session, first, second)
    first_head = transparency.head_of(session, first) if first else None
    second_head = transparency.head_of(session, second) if second else None
    return _public(
        jsonify(
            first=first,
            second=second,
            proof=[h.hex() for h in proof.path],
            first_head=head_json(first_head) if first_head is not None else None,
            second_head=head_json(second_head) if second_head is not None else None,
        )
    )


@bp.get("/leaves")
def leaves() -> ResponseReturnValue:
    """Leaves ``[start, end)``, at most MAX_LEAVES; ``end`` is cut to the tree's size."""
    head = transparency.latest_head(db.session())
    size = head.tree_size if head is not None else 0
    start = _within("start", _number("start", default=0), size)
    end = min(_number("end", default=size), size, start + transparency.MAX_LEAVES)
    if end < start:
        raise ApiError(400, "log-order", field="end", low="start", high="end")
    found = transparency.leaves(db.session(), start, end)
    return _public(
        jsonify(
            start=start,
            end=start + len(found),
            tree_size=size,
            leaves=[leaf_json(leaf) for leaf in found],
        )
    )


@bp.get("/keys")
def keys() -> ResponseReturnValue:
    """The keys that sign tree heads (JWK and PEM), to check a head's signature with."""
    log_keys = TrustList.from_key_store(keyring().store, purpose=KeyPurpose.LOG)
    documents = [key.to_document() for key in log_keys.keys]
    return _public(jsonify(keys=documents))
