"""Whatever arrives from outside, the verification routes answer 2xx or 4xx, never 500."""

from __future__ import annotations

import io
import random

from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.verifier.conftest import Staff, issue_body
from verifier.tokens import Scope

HOSTILE = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


@HOSTILE
@given(
    seal=st.one_of(
        st.text(max_size=400),
        st.text(alphabet=BASE32, min_size=0, max_size=400).map(lambda t: f"HTTP://X/V/{t}"),
    )
)
def test_any_seal_text_gets_a_verdict_or_a_4xx(ready_app: Flask, seal: str) -> None:
    response = ready_app.test_client().post("/api/v1/verify", json={"seal": seal})
    assert response.status_code in (200, 422), response.get_json()
    assert response.get_json()["message" if response.status_code == 422 else "status"]


@HOSTILE
@given(data=st.binary(max_size=3000), pdf_header=st.booleans())
def test_any_upload_gets_a_verdict_or_a_4xx(
    ready_app: Flask, data: bytes, pdf_header: bool
) -> None:
    body = (b"%PDF-1.7\n" + data) if pdf_header else data
    response = ready_app.test_client().post(
        "/api/v1/verify/document", data={"file": (io.BytesIO(body), "x.pdf")}
    )
    assert response.status_code in (200, 400, 415), response.get_json()


def test_mutations_of_a_signed_certificate_never_give_a_500(ready_app: Flask, staff: Staff) -> None:
    client = ready_app.test_client()
    made = client.post(
        "/api/v1/certificates",
        json=issue_body(),
        headers=staff.headers(Scope.ISSUE, **{"Idempotency-Key": "mutate"}),
    ).get_json()
    pdf = client.get(made["pdf_url"], headers=staff.headers(Scope.VERIFY)).data
    rng = random.Random(4)
    for _ in range(60):
        damaged = bytearray(pdf[: rng.randrange(len(pdf))] if rng.random() < 0.2 else pdf)
        for _ in range(rng.randint(1, 8)):
            damaged[rng.randrange(len(damaged))] ^= rng.randrange(1, 256)
        if bytes(damaged) == pdf:  # two flips of one byte can cancel out: not a damaged file
            continue
        response = client.post(
            "/api/v1/verify/document", data={"file": (io.BytesIO(bytes(damaged)), "x.pdf")}
        )
        assert response.status_code in (200, 400, 415)
        if response.status_code == 200:
            assert response.get_json()["match"] in ("modified", "unknown")
