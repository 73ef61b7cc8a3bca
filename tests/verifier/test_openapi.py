"""The API does what its OpenAPI document says, for whatever schemathesis sends it."""

from __future__ import annotations

import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, settings
from schemathesis.generation.case import Case
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.verifier.conftest import Staff
from verifier.openapi import openapi_document
from verifier.tokens import Scope

_SCOPE_OF = {
    "issueCertificate": Scope.ISSUE,
    "revokeCertificate": Scope.REVOKE,
    "recordTraining": Scope.ISSUE,
    "scheduleAppointment": Scope.ISSUE,
    "issueTrainingCertificate": Scope.ISSUE,
}


# The document as the app serves it (test_the_served_document_is_this_one checks they agree);
# loaded at import so that schemathesis can make one test per operation.
schema = schemathesis.openapi.from_dict(openapi_document())


@schema.parametrize()
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_conforms_to_the_document(
    case: Case, ready_app: Flask, staff: Staff
) -> None:
    scope = _SCOPE_OF.get(case.operation.definition.raw.get("operationId", ""), Scope.VERIFY)
    # Every check but "schema-valid data is accepted": whether a request can succeed depends on
    # the register (does person 7 exist?), the type's own fields and the seal's signature, which
    # no JSON Schema states; such requests get a 4xx with a reason, which the other checks see.
    # Send through WSGI to this test's app, also for the probes some checks make (e.g. the
    # same request without credentials, which must then be refused).
    case.operation.schema.app = ready_app
    case.call_and_validate(
        app=ready_app,
        headers=staff.headers(scope),
        excluded_checks=[positive_data_acceptance],
    )


def test_the_served_document_is_openapi_3_1_and_this_one(client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    assert document == openapi_document()
