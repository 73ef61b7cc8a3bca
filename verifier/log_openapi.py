"""The OpenAPI description of /api/v1/log/ (verifier/log_api.py), merged into the document of
verifier/openapi.py; schemathesis runs against it with the rest."""

from __future__ import annotations

from typing import Any

from verifier.openapi_parts import error_response, json_response, ref
from verifier.transparency import MAX_LEAVES

__all__ = ["LOG_SCHEMAS", "log_paths"]

_HEX32 = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
_HEX = {"type": "string", "pattern": "^([0-9a-f]{2})*$"}
_TIME = {"type": "string", "format": "date-time"}
_COUNT = {"type": "integer", "minimum": 0}


def _size_parameter(name: str, description: str, *, required: bool = False) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "schema": {"type": "integer", "minimum": 0},
        "description": description,
    }


_LEAF: dict[str, Any] = {
    "type": "object",
    "required": ["leaf_index", "event", "certificate_id", "leaf_data", "leaf_hash", "logged_at"],
    "properties": {
        "leaf_index": _COUNT,
        "event": {"type": "string", "enum": ["issue", "revoke"]},
        "certificate_id": {"type": "string", "pattern": "^[0-9a-f]{24}$"},
        "certificate_type": {"type": ["string", "null"]},
        "seal_sha256": {"type": ["string", "null"]},
        "leaf_data": {**_HEX, "description": "The canonical entry (docs/transparency-log.md)"},
        "leaf_hash": {**_HEX32, "description": "SHA-256(0x00 || leaf_data)"},
        "logged_at": {**_TIME, "description": "When it was logged (not hashed)"},
    },
}

LOG_SCHEMAS: dict[str, Any] = {
    "SignedTreeHead": {
        "type": "object",
        "required": ["tree_size", "timestamp", "root_hash", "key_id", "signature"],
        "properties": {
            "tree_size": _COUNT,
            "timestamp": {**_COUNT, "description": "Milliseconds since the epoch (signed)"},
            "root_hash": _HEX32,
            "key_id": {"type": "string", "pattern": "^[0-9a-f]{16}$"},
            "signature": {
                "type": "string",
                "description": "base64 DER ECDSA P-256 over RFC 6962's TreeHeadSignature",
            },
            "time": {**_TIME, "description": "timestamp, for people (not signed)"},
        },
    },
    "LogLeaf": _LEAF,
    "LogProofs": {
        "type": "object",
        "required": ["tree_head", "entries"],
        "properties": {
            "tree_head": ref("SignedTreeHead"),
            "entries": {
                "type": "array",
                "items": {
                    "allOf": [
                        ref("LogLeaf"),
                        {
                            "type": "object",
                            "required": ["audit_path"],
                            "properties": {"audit_path": {"type": "array", "items": _HEX32}},
                        },
                    ]
                },
            },
        },
    },
}

_BAD_SIZE = error_response("A size that is not a whole number, out of range or out of order")
_EMPTY = error_response("Nothing logged yet")


def log_paths() -> dict[str, Any]:
    public: list[dict[str, list[str]]] = [{}]
    return {
        "/api/v1/log/head": {
            "get": {
                "operationId": "logTreeHead",
                "summary": "The latest signed tree head, or the one of tree_size (anyone)",
                "security": public,
                "parameters": [_size_parameter("tree_size", "A size from 1 to the log's")],
                "responses": {
                    "200": json_response(ref("SignedTreeHead"), "The signed tree head"),
                    "400": _BAD_SIZE,
                    "404": _EMPTY,
                },
            }
        },
        "/api/v1/log/certificates/{certificate_id}": {
            "get": {
                "operationId": "logCertificateProof",
                "summary": "A certificate's issuance (and revocation) leaves with their audit "
                "paths to a signed tree head (anyone)",
                "security": public,
                "parameters": [
                    {
                        "name": "certificate_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    },
                    _size_parameter("tree_size", "Prove against this earlier tree (default: now)"),
                ],
                "responses": {
                    "200": json_response(
                        {
                            "allOf": [
                                ref("LogProofs"),
                                {
                                    "type": "object",
                                    "required": ["certificate_id"],
                                    "properties": {"certificate_id": {"type": "string"}},
                                },
                            ]
                        },
                        "The leaves and their inclusion proofs",
                    ),
                    "400": _BAD_SIZE,
                    "404": error_response(
                        "No such certificate, nothing logged, or not in that tree"
                    ),
                },
            }
        },
        "/api/v1/log/consistency": {
            "get": {
                "operationId": "logConsistencyProof",
                "summary": "RFC 6962 consistency proof between the trees of first and second "
                "leaves (anyone)",
                "security": public,
                "parameters": [
                    _size_parameter("first", "The older tree's size", required=True),
                    _size_parameter("second", "The newer tree's size (default: now)"),
                ],
                "responses": {
                    "200": json_response(
                        {
                            "type": "object",
                            "required": ["first", "second", "proof", "first_head", "second_head"],
                            "properties": {
                                "first": _COUNT,
                                "second": _COUNT,
                                "proof": {"type": "array", "items": _HEX32},
                                "first_head": {"anyOf": [ref("SignedTreeHead"), {"type": "null"}]},
                                "second_head": {"anyOf": [ref("SignedTreeHead"), {"type": "null"}]},
                            },
                        },
                        "The proof, and the signed heads of both sizes",
                    ),
                    "400": _BAD_SIZE,
                    "404": _EMPTY,
                },
            }
        },
        "/api/v1/log/leaves": {
            "get": {
                "operationId": "logLeaves",
                "summary": f"Leaves [start, end), at most {MAX_LEAVES} (anyone)",
                "security": public,
                "parameters": [
                    _size_parameter("start", "First leaf index (default 0)"),
                    _size_parameter("end", "After the last (cut to the tree size)"),
                ],
                "responses": {
                    "200": json_response(
                        {
                            "type": "object",
                            "required": ["start", "end", "tree_size", "leaves"],
                            "properties": {
                                "start": _COUNT,
                                "end": _COUNT,
                                "tree_size": _COUNT,
                                "leaves": {
                                    "type": "array",
                                    "maxItems": MAX_LEAVES,
                                    "items": ref("LogLeaf"),
                                },
                            },
                        },
                        "The leaves",
                    ),
                    "400": _BAD_SIZE,
                },
            }
        },
        "/api/v1/log/keys": {
            "get": {
                "operationId": "logKeys",
                "summary": "The public keys that sign tree heads (anyone)",
                "security": public,
                "responses": {
                    "200": json_response(
                        {
                            "type": "object",
                            "required": ["keys"],
                            "properties": {"keys": {"type": "array", "items": {"type": "object"}}},
                        },
                        "JWK and PEM of each log key, with its status",
                    )
                },
            }
        },
    }
