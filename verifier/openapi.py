"""The OpenAPI 3.1 description of /api/v1/, written by hand beside the routes it describes.

tests/verifier/test_openapi.py runs schemathesis against it, so a route and its description
cannot drift apart unnoticed.
"""

from __future__ import annotations

from typing import Any

from signing.seal import CertificateType
from verifier.db import MAX_DATABASE_ID
from verifier.log_openapi import LOG_SCHEMAS, log_paths
from verifier.models import (
    AppointmentPurpose,
    AppointmentStatus,
    Attendance,
    CorrespondenceChannel,
    CorrespondenceDirection,
    RevocationReason,
    TrainingKind,
)
from verifier.openapi_parts import error_response, json_response, ref

__all__ = ["openapi_document"]

_ID = {"type": "string", "pattern": "^[0-9a-f]{24}$", "description": "Certificate id"}
_DATE = {"type": "string", "format": "date"}
_NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
_STATUS = {
    "type": "string",
    "enum": ["valid", "revoked", "superseded", "expired", "not-trusted"],
    "description": "The register's status; 'not-trusted' when the seal key was since revoked.",
}


_ERRORS_AUTH = {
    "401": error_response("No valid token"),
    "403": error_response("The token lacks the scope"),
}

_SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error", "message"],
        "properties": {
            "error": {"type": "string", "description": "Stable error code"},
            "message": {"type": "string", "description": "In the language asked for"},
            "field": {"type": "string", "description": "The request field at fault"},
        },
    },
    "Holder": {
        "type": "object",
        "required": ["family_name", "given_names", "birth_date"],
        "properties": {
            "family_name": {"type": "string", "maxLength": 200},
            "given_names": {"type": "string", "maxLength": 200},
            "birth_date": {
                "type": "string",
                "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$",
                "description": "YYYY-MM-DD, or YYYY-MM or YYYY when not known",
            },
            "nationality": {"type": "string", "pattern": "^[A-Z]{3}$"},
            "foreigner_number": {
                "type": "string",
                "maxLength": 20,
                "description": "Stored for the office; never in a seal, a URL or an answer",
            },
            "email": {"type": "string", "maxLength": 254},
            "preferred_language": {"type": "string", "enum": ["fr", "en", "ar"]},
        },
    },
    "IssueRequest": {
        "type": "object",
        "required": ["type"],
        "properties": {
            "type": {"type": "string", "enum": [str(t) for t in CertificateType]},
            "holder": ref("Holder"),
            "person_id": {"type": "integer", "minimum": 1, "maximum": MAX_DATABASE_ID},
            "details": {
                "type": "object",
                "maxProperties": 40,
                "description": "The type's own fields (see the wording table); ISO dates "
                "(YYYY-MM-DD) and date-times are printed as dates",
                "additionalProperties": {
                    "anyOf": [
                        {"type": "string", "maxLength": 2000},
                        {"type": "integer", "minimum": 0, "maximum": 100000},
                        {
                            "type": "array",
                            "maxItems": 60,
                            "items": {"type": "string", "maxLength": 200},
                        },
                    ]
                },
            },
            "issued_on": _DATE,
            "valid_until": _DATE,
            "supersedes": _ID,
        },
        "description": "Give exactly one of holder and person_id.",
    },
    "RevokeRequest": {
        "type": "object",
        "required": ["reason"],
        "properties": {
            "reason": {"type": "string", "enum": [str(r) for r in RevocationReason]},
            "text": {"type": "string", "maxLength": 2000},
        },
    },
    "VerifyRequest": {
        "type": "object",
        "required": ["seal"],
        "properties": {
            "seal": {"type": "string", "description": "The seal URL or its payload"},
        },
    },
    "PublicHolder": {
        "type": "object",
        "required": ["family_name", "given_names", "birth_date"],
        "properties": {
            "family_name": {"type": "string"},
            "given_names": {"type": "string"},
            "birth_date": {"type": "string"},
        },
    },
    "Revocation": {
        "type": ["object", "null"],
        "required": ["reason", "revoked_at"],
        "properties": {
            "reason": {"type": "string", "enum": [str(r) for r in RevocationReason]},
            "revoked_at": {"type": "string", "format": "date-time"},
            "text": {"type": "string"},
            "revoked_by": {"type": "string"},
        },
    },
    "PublicCertificate": {
        "type": "object",
        "required": [
            "id",
            "type",
            "holder",
            "office",
            "office_name",
            "issued_on",
            "valid_until",
            "status",
            "revocation",
            "superseded_by",
        ],
        "properties": {
            "id": _ID,
            "type": {"type": "string"},
            "holder": ref("PublicHolder"),
            "office": {"type": "string"},
            "office_name": {"type": "string"},
            "issued_on": _DATE,
            "valid_until": _NULLABLE_DATE,
            "status": _STATUS,
            "revocation": ref("Revocation"),
            "superseded_by": {"type": ["string", "null"]},
        },
    },
    "Certificate": {
        "allOf": [
            ref("PublicCertificate"),
            {
                "type": "object",
                "required": ["person_id", "details", "issued_at", "key_id", "seal_url"],
                "properties": {
                    "person_id": {"type": "integer"},
                    "details": {"type": "object"},
                    "issued_at": {"type": "string", "format": "date-time"},
                    "key_id": {"type": "string"},
                    "seal_url": {"type": "string"},
                    "pdf_sha256": {"type": "string"},
                    "pdf_url": {"type": "string"},
                    "supersedes": {"type": ["string", "null"]},
                },
            },
        ]
    },
    "SealCheck": {
        "type": "object",
        "required": ["status", "genuine", "reasons", "signature", "certificate"],
        "properties": {
            "status": {
                "type": "string",
                "enum": [
                    "valid",
                    "revoked",
                    "superseded",
                    "expired",
                    "not-genuine",
                    "not-trusted",
                    "unregistered",
                ],
            },
            "genuine": {"type": "boolean"},
            "reasons": {"type": "array", "items": {"type": "string"}},
            "signature": {
                "type": "object",
                "properties": {
                    "valid": {"type": "boolean"},
                    "key_known": {"type": "boolean"},
                    "key_usable": {"type": "boolean"},
                    "key_id": {"type": "string"},
                    "key_status": {
                        "type": ["string", "null"],
                        "enum": ["active", "retired", "revoked", None],
                        "description": "The seal key's status in the trust list (null: unknown).",
                    },
                    "key_reason": {
                        "type": ["string", "null"],
                        "description": (
                            "Why OFII retired or revoked the seal key, in its words; a seal "
                            "under a revoked key is 'not-trusted'."
                        ),
                    },
                },
            },
            "verification_code": {"type": "string"},
            "seal_claims": {"type": ["object", "null"]},
            "transparency": {"anyOf": [ref("LogProofs"), {"type": "null"}]},
            "certificate": {"anyOf": [ref("PublicCertificate"), {"type": "null"}]},
        },
    },
    "DocumentCheck": {
        "type": "object",
        "required": ["match", "reasons", "status", "certificate", "signature"],
        "properties": {
            "match": {"type": "string", "enum": ["exact-match", "modified", "unknown"]},
            "reasons": {"type": "array", "items": {"type": "string"}},
            "status": {"anyOf": [_STATUS, {"type": "null"}]},
            "certificate": {"anyOf": [ref("PublicCertificate"), {"type": "null"}]},
            "signature": {"type": ["object", "null"]},
        },
    },
}


def _values(kind: type[Any]) -> list[str]:
    return [str(value) for value in kind]


_TEXT = {"type": "string", "maxLength": 200}
_NULLABLE_TEXT = {"type": ["string", "null"]}

# Issue 6: the integration journey (verifier/journey_api.py).
_SCHEMAS.update(
    {
        "TrainingDay": {
            "type": "object",
            "required": ["day"],
            "properties": {
                "day": _DATE,
                "hours": {"type": "integer", "minimum": 1, "maximum": 12, "default": 6},
                "attendance": {"type": "string", "enum": _values(Attendance)},
            },
        },
        "TrainingRequest": {
            "type": "object",
            "required": ["kind"],
            "description": "Language training: hours_prescribed (100, 200, 400 or 600) and "
            "hours_attended, or exempt with exemption_reason.",
            "properties": {
                "kind": {"type": "string", "enum": _values(TrainingKind)},
                "title": _TEXT,
                "provider": _TEXT,
                "place": _TEXT,
                "days": {"type": "array", "maxItems": 30, "items": ref("TrainingDay")},
                "assessment_result": _TEXT,
                "hours_prescribed": {"type": "integer", "enum": [100, 200, 400, 600]},
                "hours_attended": {"type": "integer", "minimum": 0, "maximum": 600},
                "level_reached": {"type": "string", "maxLength": 40},
                "exempt": {"type": "boolean"},
                "exemption_reason": _TEXT,
            },
        },
        "Training": {
            "type": "object",
            "required": ["id", "person_id", "kind", "days", "exempt"],
            "properties": {
                "id": {"type": "integer"},
                "person_id": {"type": "integer"},
                "kind": {"type": "string", "enum": _values(TrainingKind)},
                "title": {"type": "string"},
                "provider": {"type": "string"},
                "place": {"type": "string"},
                "days": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["id", "day", "hours", "attendance"],
                        "properties": {
                            "id": {"type": "integer"},
                            "day": _DATE,
                            "hours": {"type": "integer"},
                            "attendance": {"type": "string", "enum": _values(Attendance)},
                        },
                    },
                },
                "assessment_result": _NULLABLE_TEXT,
                "hours_prescribed": {"type": ["integer", "null"]},
                "hours_attended": {"type": ["integer", "null"]},
                "level_reached": _NULLABLE_TEXT,
                "exempt": {"type": "boolean"},
                "exemption_reason": _NULLABLE_TEXT,
                "created_at": {"type": "string", "format": "date-time"},
            },
        },
        "AppointmentRequest": {
            "type": "object",
            "required": ["purpose", "at", "place"],
            "properties": {
                "purpose": {"type": "string", "enum": _values(AppointmentPurpose)},
                "at": {
                    "type": "string",
                    "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z)?$",
                    "description": "ISO 8601; without an offset, Paris time",
                },
                "place": {"type": "string", "minLength": 1, "maxLength": 300},
                "note": {"type": "string", "maxLength": 2000},
                "bring": {
                    "type": "array",
                    "maxItems": 20,
                    "items": {"type": "string", "minLength": 1, "maxLength": 200},
                },
                "send_mail": {"type": "boolean"},
            },
        },
        "Appointment": {
            "type": "object",
            "required": ["id", "person_id", "purpose", "at", "place", "status"],
            "properties": {
                "id": {"type": "integer"},
                "person_id": {"type": "integer"},
                "purpose": {"type": "string", "enum": _values(AppointmentPurpose)},
                "at": {"type": "string", "format": "date-time"},
                "place": {"type": "string"},
                "status": {"type": "string", "enum": _values(AppointmentStatus)},
                "note": {"type": "string"},
                "convocation_id": {"type": ["string", "null"]},
                "rescheduled_to_id": {"type": ["integer", "null"]},
                "mailed": {
                    "type": "boolean",
                    "description": "the mail server took the convocation e-mail; it is sent "
                    "in the background, so false in the scheduling answer even with send_mail",
                },
                "mail_queued": {
                    "type": "boolean",
                    "description": "in the scheduling answer only: the convocation e-mail "
                    "was queued (send_mail and the person has an address)",
                },
            },
        },
        "StoredFile": {
            "type": "object",
            "required": ["id", "kind", "title", "pages", "original_sha256", "pdf_sha256"],
            "properties": {
                "id": {"type": "integer"},
                "parent_id": {"type": ["integer", "null"]},
                "kind": {"type": "string"},
                "title": {"type": "string"},
                "pages": {"type": "integer"},
                "size": {"type": "integer"},
                "original_sha256": {"type": "string"},
                "pdf_sha256": {"type": "string"},
                "removed": {"type": "array", "items": {"type": "string"}},
            },
        },
        "Correspondence": {
            "type": "object",
            "required": ["id", "on", "direction", "channel", "subject", "added_by_role", "files"],
            "properties": {
                "id": {"type": "integer"},
                "on": _DATE,
                "direction": {"type": "string", "enum": _values(CorrespondenceDirection)},
                "sender": {"type": "string"},
                "recipient": {"type": "string"},
                "channel": {"type": "string", "enum": _values(CorrespondenceChannel)},
                "tracking_number": _NULLABLE_TEXT,
                "acknowledged_on": _NULLABLE_DATE,
                "subject": {"type": "string"},
                "added_by_role": {"type": "string"},
                "files": {"type": "array", "items": ref("StoredFile")},
            },
        },
        "Journey": {
            "type": "object",
            "required": ["person_id", "trainings", "appointments", "correspondence"],
            "properties": {
                "person_id": {"type": "integer"},
                "trainings": {"type": "array", "items": ref("Training")},
                "appointments": {"type": "array", "items": ref("Appointment")},
                "correspondence": {"type": "array", "items": ref("Correspondence")},
            },
        },
    }
)


def _id_parameter(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": {"type": "string"},
        "description": description,
    }


_PERSON_ID = _id_parameter("person_id", "A person of the token's office (else 404)")
_JSON_ERRORS = {
    "400": error_response("Malformed request"),
    **_ERRORS_AUTH,
    "404": error_response("No such person in the token's office"),
    "413": error_response("Body too large"),
    "415": error_response("Not JSON"),
    "422": error_response("A field is invalid"),
}


def _journey_paths() -> dict[str, Any]:
    return {
        "/api/v1/persons/{person_id}/trainings": {
            "post": {
                "operationId": "recordTraining",
                "summary": "Record a training with its days (scope issue)",
                "security": [{"token": []}],
                "parameters": [_PERSON_ID],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": ref("TrainingRequest")}},
                },
                "responses": {"201": json_response(ref("Training"), "Recorded"), **_JSON_ERRORS},
            }
        },
        "/api/v1/persons/{person_id}/appointments": {
            "post": {
                "operationId": "scheduleAppointment",
                "summary": "Schedule an appointment and issue its sealed convocation (scope "
                "issue); send_mail also queues its e-mail, sent in the background",
                "security": [{"token": []}],
                "parameters": [_PERSON_ID],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": ref("AppointmentRequest")}},
                },
                "responses": {
                    "201": json_response(ref("Appointment"), "Scheduled; convocation issued"),
                    **_JSON_ERRORS,
                },
            }
        },
        "/api/v1/trainings/{training_id}/certificate": {
            "post": {
                "operationId": "issueTrainingCertificate",
                "summary": "Issue the certificate a training record supports (scope issue)",
                "security": [{"token": []}],
                "parameters": [
                    _id_parameter("training_id", "A training of the token's office"),
                    {
                        "name": "Idempotency-Key",
                        "in": "header",
                        "required": False,
                        "schema": {"type": "string", "minLength": 1, "maxLength": 200},
                        "description": "Optional: a retry with the same key returns the first "
                        "certificate",
                    },
                ],
                "responses": {
                    "201": json_response(ref("Certificate"), "Issued from the record"),
                    "200": json_response(ref("Certificate"), "A replay of an earlier request"),
                    "400": error_response("Malformed Idempotency-Key"),
                    **_ERRORS_AUTH,
                    "404": error_response("No such training in the token's office"),
                    "409": error_response("Idempotency-Key used for another request"),
                    "422": error_response(
                        "The record supports no certificate (e.g. no day attended)"
                    ),
                },
            }
        },
        "/api/v1/persons/{person_id}/journey": {
            "get": {
                "operationId": "readJourney",
                "summary": "Trainings, appointments and correspondence of a person (any "
                "scope; recorded in the person's access log)",
                "security": [{"token": []}],
                "parameters": [_PERSON_ID],
                "responses": {
                    "200": json_response(ref("Journey"), "The journey"),
                    **_ERRORS_AUTH,
                    "404": error_response("No such person in the token's office"),
                },
            }
        },
    }


_CERTIFICATE_ID_PARAMETER = {
    "name": "certificate_id",
    "in": "path",
    "required": True,
    "schema": {"type": "string"},
}

_RATE_LIMITED = error_response("Too many anonymous verifications from this address")

_NULLABLE_BOOL = {"type": ["boolean", "null"]}
_NULLABLE_TIME = {"type": ["string", "null"], "format": "date-time"}
_PACK_REPORT: dict[str, Any] = {
    "type": "object",
    "required": ["ok", "kind", "timestamp_ok", "files", "signatures", "changed", "problems"],
    "properties": {
        "ok": {"type": "boolean", "description": "Every hash, the timestamp and signatures"},
        "kind": {"type": "string", "enum": ["zip", "pdf"]},
        "timestamp_ok": _NULLABLE_BOOL,
        "timestamp_trusted": _NULLABLE_BOOL,
        "timestamped_at": _NULLABLE_TIME,
        "changed": {"type": "array", "items": {"type": "string"}},
        "problems": {"type": "array", "items": {"type": "string"}},
        "files": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "status", "detail"],
                "properties": {
                    "name": {"type": "string"},
                    "status": {
                        "type": "string",
                        "enum": ["ok", "changed", "missing", "unexpected"],
                    },
                    "detail": {"type": "string"},
                },
            },
        },
        "signatures": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "ok"],
                "properties": {
                    "name": {"type": "string"},
                    "ok": {"type": "boolean"},
                    "intact": {"type": "boolean"},
                    "valid": {"type": "boolean"},
                    "trusted": {"type": "boolean"},
                    "timestamped": {"type": "boolean"},
                    "signer": {"type": "string"},
                    "signed_at": _NULLABLE_TIME,
                    "detail": {"type": "string"},
                },
            },
        },
    },
}


def _pack_paths() -> dict[str, Any]:
    return {
        "/api/v1/packs/verify": {
            "post": {
                "operationId": "verifyPack",
                "summary": "Check an evidence pack (its ZIP or combined PDF), file by file "
                "(anonymous, rate-limited)",
                "security": [{}, {"token": []}],
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "required": ["file"],
                                "properties": {"file": {"type": "string", "format": "binary"}},
                            },
                        }
                    },
                },
                "responses": {
                    "200": json_response(_PACK_REPORT, "The per-file report"),
                    "400": error_response("No file, not a pack, or an archive refused unopened"),
                    "413": error_response("File too large"),
                    "429": _RATE_LIMITED,
                },
            }
        },
    }


def openapi_document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Sceau",
            "version": "1",
            "description": "Sealed OFII certificates: issue, revoke and verify. Messages follow "
            "Accept-Language (fr, en, ar).",
        },
        "servers": [{"url": "/"}],
        "components": {
            "schemas": {**_SCHEMAS, **LOG_SCHEMAS},
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
        },
        "paths": {
            "/api/v1/certificates": {
                "post": {
                    "operationId": "issueCertificate",
                    "summary": "Issue a certificate (scope issue)",
                    "security": [{"token": []}],
                    "parameters": [
                        {
                            "name": "Idempotency-Key",
                            "in": "header",
                            "required": True,
                            "schema": {"type": "string", "minLength": 1, "maxLength": 200},
                            "description": "A retried request with the same key and body "
                            "returns the first certificate instead of issuing again",
                        }
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": ref("IssueRequest")}},
                    },
                    "responses": {
                        "201": json_response(ref("Certificate"), "Issued"),
                        "200": json_response(ref("Certificate"), "A replay of an earlier request"),
                        "400": error_response("Malformed request"),
                        **_ERRORS_AUTH,
                        "409": error_response("Idempotency-Key used for another request"),
                        "413": error_response("Body too large"),
                        "415": error_response("Not JSON"),
                        "422": error_response(
                            "A field is invalid, or the certificate cannot be issued"
                        ),
                    },
                }
            },
            "/api/v1/certificates/{certificate_id}": {
                "get": {
                    "operationId": "readCertificate",
                    "summary": "A certificate's metadata (any scope)",
                    "security": [{"token": []}],
                    "parameters": [_CERTIFICATE_ID_PARAMETER],
                    "responses": {
                        "200": json_response(ref("Certificate"), "The certificate"),
                        **_ERRORS_AUTH,
                        "404": error_response("No such certificate"),
                    },
                }
            },
            "/api/v1/certificates/{certificate_id}/pdf": {
                "get": {
                    "operationId": "downloadCertificate",
                    "summary": "The signed PDF (any scope)",
                    "security": [{"token": []}],
                    "parameters": [_CERTIFICATE_ID_PARAMETER],
                    "responses": {
                        "200": {
                            "description": "The PDF as issued",
                            "content": {"application/pdf": {"schema": {"type": "string"}}},
                        },
                        **_ERRORS_AUTH,
                        "404": error_response("No such certificate"),
                    },
                }
            },
            "/api/v1/certificates/{certificate_id}/revoke": {
                "post": {
                    "operationId": "revokeCertificate",
                    "summary": "Revoke a certificate (scope revoke)",
                    "security": [{"token": []}],
                    "parameters": [_CERTIFICATE_ID_PARAMETER],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": ref("RevokeRequest")}},
                    },
                    "responses": {
                        "200": json_response(ref("Certificate"), "Revoked"),
                        "400": error_response("Malformed request"),
                        **_ERRORS_AUTH,
                        "404": error_response("No such certificate"),
                        "409": error_response("Already revoked"),
                        "413": error_response("Body too large"),
                        "415": error_response("Not JSON"),
                        "422": error_response("Invalid reason or text"),
                    },
                }
            },
            "/api/v1/verify": {
                "post": {
                    "operationId": "verifySeal",
                    "summary": "Verify a seal (anonymous, rate-limited; a verify token lifts "
                    "the limit)",
                    "security": [{}, {"token": []}],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": ref("VerifyRequest")}},
                    },
                    "responses": {
                        "200": json_response(ref("SealCheck"), "The verdict"),
                        "400": error_response("Malformed request"),
                        "413": error_response("Body too large"),
                        "415": error_response("Not JSON"),
                        "422": error_response("Not a seal"),
                        "429": _RATE_LIMITED,
                    },
                }
            },
            "/api/v1/verify/batch": {
                "post": {
                    "operationId": "verifyBatch",
                    "summary": "Verify up to 100 seals (scope verify)",
                    "security": [{"token": []}],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["seals"],
                                    "properties": {
                                        "seals": {
                                            "type": "array",
                                            "minItems": 1,
                                            "maxItems": 100,
                                            "items": {"type": "string"},
                                        }
                                    },
                                }
                            }
                        },
                    },
                    "responses": {
                        "200": json_response(
                            {
                                "type": "object",
                                "required": ["results"],
                                "properties": {
                                    "results": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "required": ["index"],
                                            "properties": {
                                                "index": {"type": "integer"},
                                                "status": {"type": "string"},
                                                "error": {"type": "string"},
                                                "message": {"type": "string"},
                                            },
                                        },
                                    }
                                },
                            },
                            "One result per seal, in order: a verdict or an error",
                        ),
                        "400": error_response("Malformed request"),
                        **_ERRORS_AUTH,
                        "413": error_response("Body too large"),
                        "415": error_response("Not JSON"),
                        "422": error_response("Not a list of 1 to 100 seals"),
                    },
                }
            },
            "/api/v1/verify/document": {
                "post": {
                    "operationId": "verifyDocument",
                    "summary": "Compare a PDF with the issued documents (anonymous, rate-limited)",
                    "security": [{}, {"token": []}],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "multipart/form-data": {
                                "schema": {
                                    "type": "object",
                                    "required": ["file"],
                                    "properties": {"file": {"type": "string", "format": "binary"}},
                                },
                                "encoding": {"file": {"contentType": "application/pdf"}},
                            }
                        },
                    },
                    "responses": {
                        "200": json_response(ref("DocumentCheck"), "The verdict"),
                        "400": error_response("No file, or an empty one"),
                        "413": error_response("File too large"),
                        "415": error_response("Not a PDF"),
                        "429": _RATE_LIMITED,
                    },
                }
            },
            **_journey_paths(),
            **_pack_paths(),
            **log_paths(),
        },
    }
