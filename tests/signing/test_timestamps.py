"""The embedded RFC 3161 authority, its clients and token verification, checked with OpenSSL
and with rfc3161-client (trailofbits: Rust parsing, OpenSSL's PKCS#7 verification)."""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from asn1crypto import algos, cms, tsp
from asn1crypto import crl as asn1_crl
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import ExtendedKeyUsageOID
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rfc3161_client import (
    HashAlgorithm,
    TimestampRequestBuilder,
    VerificationError,
    VerifierBuilder,
    decode_timestamp_response,
)

from signing.errors import KeyStoreError, TimestampError
from signing.keys import FileKeyStore
from signing.pki import CertificateChain, DevelopmentPki
from signing.timestamps import (
    POLICY_OID,
    QUERY_MEDIA_TYPE,
    REPLY_MEDIA_TYPE,
    HttpTimestampClient,
    InProcessTimestampClient,
    TimestampAuthority,
    TimestampClient,
    check_reply,
    request_for,
    token_of_reply,
    verify_reply,
    verify_token,
)
from signing.timestamps._asn1 import TimeStampResp
from tests.tools import require_tool

DATA = b"tagmanifest-sha256.txt would be here\n"


@dataclass(frozen=True)
class Tsa:
    store: FileKeyStore
    authority: TimestampAuthority
    client: InProcessTimestampClient
    chain: CertificateChain
    pki_folder: Path


@pytest.fixture(scope="module")
def tsa(tmp_path_factory: pytest.TempPathFactory) -> Tsa:
    folder = tmp_path_factory.mktemp("tsa")
    store = FileKeyStore(folder / "keys", passphrase=b"test")
    chain = DevelopmentPki(
        folder / "pki", passphrase=b"test", organisation="OFII (test)"
    ).ensure_tsa(store)
    authority = TimestampAuthority(key_store=store, key_id=chain.key_id, chain=chain)
    return Tsa(store, authority, InProcessTimestampClient(authority), chain, folder / "pki")


def _reply(der: bytes) -> TimeStampResp:
    return TimeStampResp.load(der)


def _tst_info(token_der: bytes) -> tsp.TSTInfo:
    return cms.ContentInfo.load(token_der)["content"]["encap_content_info"]["content"].parsed


def _openssl_verify(folder: Path, data: bytes, tsr: bytes, chain: bytes) -> str:
    openssl = require_tool("openssl", "openssl")
    (folder / "data.txt").write_bytes(data)
    (folder / "timestamp.tsr").write_bytes(tsr)
    (folder / "tsa-chain.pem").write_bytes(chain)
    done = subprocess.run(
        [
            openssl,
            "ts",
            "-verify",
            "-data",
            "data.txt",
            "-in",
            "timestamp.tsr",
            "-CAfile",
            "tsa-chain.pem",
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout + done.stderr


# --------------------------------------------------------------------------- the certificate


def test_the_tsa_certificate_is_for_timestamping_only_and_not_a_ca(tsa: Tsa) -> None:
    certificate = tsa.chain.certificate
    eku = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert eku.critical
    assert list(eku.value) == [ExtendedKeyUsageOID.TIME_STAMPING]
    constraints = certificate.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.critical
    assert not constraints.value.ca
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature
    assert not usage.key_cert_sign
    assert certificate.issuer == tsa.chain.root.subject
    tsa.chain.certificate.verify_directly_issued_by(tsa.chain.root)


def test_ensure_tsa_keeps_what_exists_and_the_document_chain_is_apart(tsa: Tsa) -> None:
    store = FileKeyStore(tsa.pki_folder.parent / "keys", passphrase=b"test")
    pki = DevelopmentPki(tsa.pki_folder, passphrase=b"test", organisation="OFII (test)")
    assert pki.ensure_tsa(store) == tsa.chain
    assert pki.tsa_chain(store) == tsa.chain
    document = pki.ensure(store)
    assert document.key_id != tsa.chain.key_id
    assert document.root == tsa.chain.root


def test_tsa_chain_before_ensure_tsa_says_to_run_init(tmp_path: Path) -> None:
    store = FileKeyStore(tmp_path / "keys", passphrase=b"pw")
    pki = DevelopmentPki(tmp_path / "pki", passphrase=b"pw", organisation="T")
    pki.ensure(store)
    with pytest.raises(KeyStoreError, match="sceau init"):
        pki.tsa_chain(store)


# --------------------------------------------------------------------------- openssl agrees


def test_openssl_verifies_the_reply_a_pack_ships(tsa: Tsa, tmp_path: Path) -> None:
    output = _openssl_verify(tmp_path, DATA, tsa.client.stamp_reply(DATA), tsa.client.chain_pem())
    assert "Verification: OK" in output, output


def test_openssl_verifies_a_bare_token_from_stamp(tsa: Tsa, tmp_path: Path) -> None:
    openssl = require_tool("openssl", "openssl")
    (tmp_path / "data.txt").write_bytes(DATA)
    (tmp_path / "token.der").write_bytes(tsa.authority.stamp(DATA))
    (tmp_path / "chain.pem").write_bytes(tsa.authority.chain_pem())
    done = subprocess.run(
        [
            openssl,
            "ts",
            "-verify",
            "-data",
            "data.txt",
            "-in",
            "token.der",
            "-token_in",
            "-CAfile",
            "chain.pem",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Verification: OK" in done.stdout, done.stdout + done.stderr


def test_openssl_fails_the_reply_when_one_data_byte_changed(tsa: Tsa, tmp_path: Path) -> None:
    tsr = tsa.client.stamp_reply(DATA)
    changed = bytes([DATA[0] ^ 1]) + DATA[1:]
    output = _openssl_verify(tmp_path, changed, tsr, tsa.client.chain_pem())
    assert "Verification: FAILED" in output
    assert "Verification: OK" not in output


def test_openssl_queries_are_answered_and_verify(tsa: Tsa, tmp_path: Path) -> None:
    openssl = require_tool("openssl", "openssl")
    (tmp_path / "data.txt").write_bytes(DATA)
    subprocess.run(
        [openssl, "ts", "-query", "-data", "data.txt", "-sha256", "-cert", "-out", "q.tsq"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    (tmp_path / "r.tsr").write_bytes(tsa.authority.respond((tmp_path / "q.tsq").read_bytes()))
    (tmp_path / "chain.pem").write_bytes(tsa.authority.chain_pem())
    done = subprocess.run(
        [openssl, "ts", "-verify", "-queryfile", "q.tsq", "-in", "r.tsr", "-CAfile", "chain.pem"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Verification: OK" in done.stdout, done.stdout + done.stderr


# --------------------------------------------------------------------------- independent verifiers

CERT_REQ = pytest.mark.parametrize("cert_req", [True, False], ids=["certReq", "no-certReq"])


def _pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


@CERT_REQ
def test_openssl_verifies_tokens_against_the_root_alone(
    tsa: Tsa, tmp_path: Path, cert_req: bool
) -> None:
    """What a verifier holding only our root sees; without certReq it brings the TSA certificate
    (``-untrusted``), as the token then carries none."""
    openssl = require_tool("openssl", "openssl")
    request, _ = request_for(DATA, cert_req=cert_req)
    (tmp_path / "data.txt").write_bytes(DATA)
    (tmp_path / "changed.txt").write_bytes(DATA[:-1] + bytes([DATA[-1] ^ 1]))
    (tmp_path / "q.tsq").write_bytes(request)
    (tmp_path / "r.tsr").write_bytes(tsa.authority.respond(request))
    (tmp_path / "root.pem").write_bytes(_pem(tsa.chain.root))
    (tmp_path / "tsa.pem").write_bytes(_pem(tsa.chain.certificate))
    holder = [] if cert_req else ["-untrusted", "tsa.pem"]

    def verify(*arguments: str) -> str:
        done = subprocess.run(
            [openssl, "ts", "-verify", "-in", "r.tsr", "-CAfile", "root.pem", *arguments],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        return done.stdout + done.stderr

    assert "Verification: OK" in verify("-data", "data.txt", *holder)
    assert "Verification: OK" in verify("-queryfile", "q.tsq", *holder)  # nonce and imprint
    changed = verify("-data", "changed.txt", *holder)
    assert "Verification: FAILED" in changed
    assert "Verification: OK" not in changed
    if not cert_req:  # the token really carries no certificate
        assert "signer certificate not found" in verify("-data", "data.txt")


@CERT_REQ
def test_rfc3161_client_verifies_tokens_for_its_own_requests(tsa: Tsa, cert_req: bool) -> None:
    request = (
        TimestampRequestBuilder()
        .data(DATA)
        .hash_algorithm(HashAlgorithm.SHA512)
        .cert_request(cert_request=cert_req)
        .build()
    )
    response = decode_timestamp_response(tsa.authority.respond(request.as_bytes()))
    info = response.tst_info
    assert info.nonce == request.nonce
    assert info.policy == x509.ObjectIdentifier(POLICY_OID)
    assert (info.accuracy.seconds, info.accuracy.millis, info.accuracy.micros) == (1, None, None)
    assert info.ordering is False
    assert info.name.value == tsa.chain.certificate.subject
    carried = {x509.load_der_x509_certificate(c) for c in response.signed_data.certificates}
    assert carried == ({tsa.chain.certificate, tsa.chain.root} if cert_req else set())

    builder = (
        VerifierBuilder.from_request(request)  # checks the nonce echoed
        .policy_id(x509.ObjectIdentifier(POLICY_OID))
        .add_root_certificate(tsa.chain.root)
    )
    if not cert_req:
        builder = builder.tsa_certificate(tsa.chain.certificate)
    verifier = builder.build()
    assert verifier.verify_message(response, DATA)
    with pytest.raises(VerificationError, match="Mismatch between messages"):
        verifier.verify_message(response, DATA[:-1] + bytes([DATA[-1] ^ 1]))


@CERT_REQ
def test_rfc3161_client_verifies_tokens_for_our_requests(tsa: Tsa, cert_req: bool) -> None:
    request, nonce = request_for(DATA, cert_req=cert_req)
    assert nonce is not None
    response = decode_timestamp_response(tsa.authority.respond(request))
    builder = VerifierBuilder(
        roots=[tsa.chain.root],
        nonce=nonce,
        policy_id=x509.ObjectIdentifier(POLICY_OID),
        tsa_certificate=None if cert_req else tsa.chain.certificate,
    )
    assert builder.build().verify_message(response, DATA)
    with pytest.raises(VerificationError, match="Mismatch between messages"):
        builder.build().verify_message(response, bytes([DATA[0] ^ 1]) + DATA[1:])
    other_nonce = VerifierBuilder(
        roots=[tsa.chain.root],
        nonce=nonce ^ 1,
        tsa_certificate=None if cert_req else tsa.chain.certificate,
    )
    with pytest.raises(VerificationError, match="Nonce mismatch"):
        other_nonce.build().verify_message(response, DATA)


def test_rfc3161_client_refuses_a_token_under_another_root(tsa: Tsa, tmp_path: Path) -> None:
    stranger = DevelopmentPki(tmp_path / "pki", passphrase=b"pw", organisation="Other")
    stranger_root = stranger.ensure(FileKeyStore(tmp_path / "keys", passphrase=b"pw")).root
    response = decode_timestamp_response(tsa.client.stamp_reply(DATA))
    with pytest.raises(VerificationError, match="certificates"):
        VerifierBuilder(roots=[stranger_root]).build().verify_message(response, DATA)


# --------------------------------------------------------------------------- the tokens


def test_the_nonce_is_echoed_and_the_token_says_what_was_asked(tsa: Tsa) -> None:
    request, nonce = request_for(DATA)
    reply = tsa.authority.respond(request)
    check_reply(reply, request)
    info = _tst_info(token_of_reply(reply))
    assert nonce is not None
    assert info["nonce"].native == nonce
    assert info["policy"].native == POLICY_OID
    assert info["accuracy"]["seconds"].native == 1
    assert (
        info["message_imprint"].dump() == tsp.TimeStampReq.load(request)["message_imprint"].dump()
    )


def test_a_reply_to_another_request_is_refused_by_the_client(tsa: Tsa) -> None:
    request, _ = request_for(DATA)
    other, _ = request_for(DATA)  # same imprint, another nonce
    with pytest.raises(TimestampError, match="nonce"):
        check_reply(tsa.authority.respond(other), request)
    with pytest.raises(TimestampError, match="imprint"):
        check_reply(tsa.authority.respond(request_for(b"other", nonce=False)[0]), request)


def test_certificates_only_when_asked(tsa: Tsa) -> None:
    without, _ = request_for(DATA, cert_req=False)
    token = cms.ContentInfo.load(token_of_reply(tsa.authority.respond(without)))
    assert not token["content"]["certificates"].native
    with_certs = cms.ContentInfo.load(tsa.authority.stamp(DATA))
    carried = [c.chosen.dump() for c in with_certs["content"]["certificates"]]
    assert sorted(carried) == sorted(  # the TSA certificate and its chain, root included
        c.public_bytes(serialization.Encoding.DER) for c in (tsa.chain.certificate, tsa.chain.root)
    )


def test_serial_numbers_are_unique_over_ten_thousand_tokens(tsa: Tsa) -> None:
    request, _ = request_for(DATA, cert_req=False)
    serials = {
        _tst_info(token_of_reply(tsa.authority.respond(request)))["serial_number"].native
        for _ in range(10_000)
    }
    assert len(serials) == 10_000
    assert min(serials) > 0
    assert max(serials).bit_length() <= 160  # RFC 3161 2.4.2: clients handle up to 160 bits


@pytest.mark.parametrize(
    "nonce",
    [
        0x0123_4567_89AB_CDEF,  # 64 bits, what our clients send
        (1 << 64) - 1,  # 64 bits, top bit set: DER adds a leading zero octet
        (1 << 159) | 0x1234_5678_9ABC_DEF0_1122_3344_5566_7788_99AA_BBCC,  # 160 bits
        (1 << 160) - 1,
    ],
)
def test_the_nonce_is_echoed_exactly(tsa: Tsa, nonce: int) -> None:
    request = _request(nonce=nonce, cert_req=True)
    reply = tsa.authority.respond(request)
    check_reply(reply, request)
    info = _tst_info(token_of_reply(reply))
    assert info["nonce"].native == nonce
    assert info["nonce"].dump() == tsp.TimeStampReq.load(request)["nonce"].dump()


@pytest.mark.parametrize(
    ("microsecond", "second"), [(0, 15), (499_999, 15), (500_000, 16), (987_654, 16)]
)
def test_gen_time_is_the_clock_rounded_to_the_second(
    tsa: Tsa, microsecond: int, second: int
) -> None:
    moment = datetime(2026, 3, 1, 9, 30, 15, microsecond, tzinfo=UTC)
    authority = TimestampAuthority(
        key_store=tsa.store,
        key_id=tsa.chain.key_id,
        chain=tsa.chain,
        clock=lambda: moment,
    )
    info = _tst_info(authority.stamp(DATA))
    assert info["gen_time"].native == moment.replace(second=second, microsecond=0)


def test_accuracy_is_a_setting_of_whole_seconds(tsa: Tsa) -> None:
    def authority(seconds: int) -> TimestampAuthority:
        return TimestampAuthority(
            key_store=tsa.store, key_id=tsa.chain.key_id, chain=tsa.chain, accuracy_seconds=seconds
        )

    assert _tst_info(authority(3).stamp(DATA))["accuracy"].native == {
        "seconds": 3,
        "millis": None,
        "micros": None,
    }
    with pytest.raises(ValueError, match="whole seconds"):
        authority(0)


def test_tst_info_is_unordered_and_names_the_tsa(tsa: Tsa) -> None:
    info = _tst_info(tsa.authority.stamp(DATA))
    der = info.dump()
    assert info["ordering"].native is False
    # DER: asn1crypto's canonical encoding (which leaves DEFAULT values out) is the one we sent
    assert tsp.TSTInfo.load(der).dump(force=True) == der
    assert info["tsa"].name == "directory_name"
    assert info["tsa"].chosen.untag().dump() == tsa.chain.certificate.subject.public_bytes()


@pytest.mark.parametrize("algorithm", ["sha256", "sha384", "sha512"])
def test_sha2_imprints_are_granted(tsa: Tsa, algorithm: str) -> None:
    request, _ = request_for(DATA, algorithm=algorithm)
    check_reply(tsa.authority.respond(request), request)


# --------------------------------------------------------------------------- refusals


def _fail_info(reply: bytes) -> set[str]:
    status = _reply(reply)["status"]
    assert status["status"].native == "rejection"
    assert not _reply(reply)["time_stamp_token"].native
    return set(status["fail_info"].native)


def _request(**changes: object) -> bytes:
    fields: dict[str, object] = {
        "version": "v1",
        "message_imprint": {
            "hash_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
            "hashed_message": bytes(32),
        },
    }
    fields.update(changes)
    return tsp.TimeStampReq(fields).dump()


def test_weak_or_unknown_imprint_algorithms_get_bad_alg(tsa: Tsa) -> None:
    for algorithm, size in (("sha1", 20), ("md5", 16)):
        imprint = {
            "hash_algorithm": algos.DigestAlgorithm({"algorithm": algorithm}),
            "hashed_message": bytes(size),
        }
        assert _fail_info(tsa.authority.respond(_request(message_imprint=imprint))) == {"bad_alg"}


def test_refusals_say_why(tsa: Tsa) -> None:
    short = {
        "hash_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
        "hashed_message": bytes(31),
    }
    respond = tsa.authority.respond
    assert _fail_info(respond(_request(message_imprint=short))) == {"bad_data_format"}
    assert _fail_info(respond(_request(req_policy="1.2.3.4"))) == {"unaccepted_policy"}
    extension = [{"extn_id": "1.2.3.4", "critical": True, "extn_value": b"x"}]
    assert _fail_info(respond(_request(extensions=extension))) == {"unaccepted_extensions"}
    assert _fail_info(respond(_request(nonce=1 << 600))) == {"bad_request"}
    assert _fail_info(respond(b"")) == {"bad_request"}
    assert _fail_info(respond(_request() + b"\x00")) == {"bad_request"}
    granted = _reply(respond(_request(req_policy=POLICY_OID)))["status"]["status"].native
    assert granted == "granted"


def test_a_request_for_another_policy_is_refused_ours_is_granted(tsa: Tsa) -> None:
    for other in ("1.2.3.4", "2.25.1", POLICY_OID + ".1"):
        reply = tsa.authority.respond(_request(req_policy=other))
        assert _fail_info(reply) == {"unaccepted_policy"}
        assert POLICY_OID in _reply(reply)["status"]["status_string"].native[0]
    request = _request(req_policy=POLICY_OID, nonce=7)
    reply = tsa.authority.respond(request)
    check_reply(reply, request)
    assert _tst_info(token_of_reply(reply))["policy"].native == POLICY_OID


def test_the_client_turns_a_refusal_into_an_error(tsa: Tsa) -> None:
    with pytest.raises(TimestampError, match="refused"):
        token_of_reply(tsa.authority.respond(b"\x30\x00"))
    with pytest.raises(TimestampError, match="not a timestamp reply"):
        token_of_reply(b"nonsense")


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.one_of(st.binary(max_size=300), st.builds(lambda b: b"\x30" + b, st.binary(max_size=80))))
def test_arbitrary_bytes_get_a_rejection_never_an_exception(tsa: Tsa, data: bytes) -> None:
    reply = _reply(tsa.authority.respond(data))
    assert reply["status"]["status"].native == "rejection"


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.integers(min_value=0, max_value=200), st.integers(min_value=0, max_value=255))
def test_one_byte_changed_in_a_request_is_granted_or_refused_never_raised(
    tsa: Tsa, position: int, value: int
) -> None:
    request = bytearray(request_for(DATA)[0])
    request[position % len(request)] = value
    status = _reply(tsa.authority.respond(bytes(request)))["status"]["status"].native
    assert status in {"granted", "rejection"}


# --------------------------------------------------------------------------- verification


def test_verify_token_accepts_a_good_token(tsa: Tsa) -> None:
    result = verify_token(tsa.client.stamp(DATA), DATA, trust_roots=[tsa.chain.root])
    assert result.ok, result.reasons
    assert result.policy == POLICY_OID
    assert "timestamping" in result.tsa
    assert abs((datetime.now(UTC) - result.gen_time).total_seconds()) < 60
    assert result.serial_number > 0


def test_verify_token_says_what_is_wrong(tsa: Tsa, tmp_path: Path) -> None:
    token = tsa.client.stamp(DATA)
    other_data = verify_token(token, DATA + b"!", trust_roots=[tsa.chain.root])
    assert not other_data.imprint_matches
    assert other_data.signature_valid
    assert not other_data.ok
    stranger = DevelopmentPki(tmp_path / "pki", passphrase=b"pw", organisation="Other")
    stranger_root = stranger.ensure(FileKeyStore(tmp_path / "keys", passphrase=b"pw")).root
    untrusted = verify_token(token, DATA, trust_roots=[stranger_root])
    assert untrusted.signature_valid
    assert not untrusted.chain_trusted
    assert "trusted root" in " ".join(untrusted.reasons)


def test_verify_token_sees_a_changed_tst_info(tsa: Tsa) -> None:
    token = bytearray(tsa.client.stamp(DATA))
    info_der = _tst_info(bytes(token)).dump()
    at = bytes(token).index(info_der) + len(info_der) - 1  # last byte: inside the tsa name
    token[at] ^= 1
    result = verify_token(bytes(token), DATA, trust_roots=[tsa.chain.root])
    assert not result.signature_valid


def test_verify_token_refuses_what_is_not_a_token(tsa: Tsa) -> None:
    with pytest.raises(TimestampError):
        verify_token(b"not a token", DATA, trust_roots=[tsa.chain.root])
    with pytest.raises(TimestampError):
        verify_token(tsa.client.stamp_reply(DATA), DATA, trust_roots=[tsa.chain.root])


def test_verify_reply_checks_a_whole_reply(tsa: Tsa) -> None:
    reply = tsa.client.stamp_reply(DATA)
    result = verify_reply(reply, DATA, trust_roots=[tsa.chain.root])
    assert result.ok, result.reasons
    assert result.intact
    assert result.detail == ""
    with pytest.raises(TimestampError, match="not a granted"):
        verify_reply(tsa.authority.respond(b"\x30\x00"), DATA, trust_roots=[tsa.chain.root])
    with pytest.raises(TimestampError):
        verify_reply(tsa.client.stamp(DATA), DATA, trust_roots=[tsa.chain.root])  # a bare token


def test_a_token_without_certificates_verifies_with_the_certificate_given(tsa: Tsa) -> None:
    request, _ = request_for(DATA, cert_req=False)
    reply = tsa.authority.respond(request)
    alone = verify_reply(reply, DATA, trust_roots=[tsa.chain.root])
    assert not alone.signature_valid
    assert not alone.ok
    assert "neither in the token nor given" in alone.detail
    given = verify_reply(
        reply, DATA, trust_roots=[tsa.chain.root], certificates=[tsa.chain.certificate]
    )
    assert given.ok, given.reasons
    assert given.tsa == tsa.chain.certificate.subject.rfc4514_string()


def test_certificates_given_are_not_trusted_for_being_given(tsa: Tsa, tmp_path: Path) -> None:
    stranger = DevelopmentPki(tmp_path / "pki", passphrase=b"pw", organisation="Other")
    stranger_root = stranger.ensure(FileKeyStore(tmp_path / "keys", passphrase=b"pw")).root
    result = verify_reply(
        tsa.client.stamp_reply(DATA),
        DATA,
        trust_roots=[stranger_root],
        certificates=[tsa.chain.certificate, tsa.chain.root],
    )
    assert result.intact
    assert result.signature_valid
    assert not result.chain_trusted


def test_a_token_signed_by_another_tsa_than_it_names_is_not_trusted(
    tsa: Tsa, tmp_path: Path
) -> None:
    """Same key, a second certificate under another name: the TSTInfo names the first."""
    other_pki = DevelopmentPki(tmp_path / "pki", passphrase=b"pw", organisation="Elsewhere")
    other = other_pki.ensure_tsa(FileKeyStore(tmp_path / "keys", passphrase=b"pw"))
    authority = TimestampAuthority(
        key_store=FileKeyStore(tmp_path / "keys", passphrase=b"pw"),
        key_id=other.key_id,
        chain=other,
    )
    # Sign with the other authority, but have its token name our TSA.
    authority._tsa_name = TimestampAuthority(  # a forged name, on purpose
        key_store=tsa.store, key_id=tsa.chain.key_id, chain=tsa.chain
    )._tsa_name
    result = verify_token(authority.stamp(DATA), DATA, trust_roots=[other.root])
    assert result.signature_valid
    assert not result.chain_trusted
    assert "names another authority" in result.detail


def _with_crl(token_der: bytes, issuer: x509.Name, key: ec.EllipticCurvePrivateKey) -> bytes:
    """The token with a CRL added to its SignedData: a field no signature covers."""
    now = datetime.now(UTC)
    crl = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer)
        .last_update(now)
        .next_update(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    token = cms.ContentInfo.load(token_der)
    signed = token["content"]
    carried = asn1_crl.CertificateList.load(crl.public_bytes(Encoding.DER))
    signed["crls"] = [cms.RevocationInfoChoice({"crl": carried})]
    dumped: bytes = token.dump(force=True)
    return dumped


def test_a_crl_in_a_token_must_be_signed_by_a_certificate_at_hand(tsa: Tsa) -> None:
    root_key = serialization.load_pem_private_key(
        (tsa.pki_folder / "root-ca.key.pem").read_bytes(), b"test"
    )
    assert isinstance(root_key, ec.EllipticCurvePrivateKey)
    token = tsa.client.stamp(DATA)
    ours = verify_token(
        _with_crl(token, tsa.chain.root.subject, root_key), DATA, trust_roots=[tsa.chain.root]
    )
    assert ours.ok, ours.reasons
    forged = verify_token(
        _with_crl(token, tsa.chain.root.subject, ec.generate_private_key(ec.SECP256R1())),
        DATA,
        trust_roots=[tsa.chain.root],
    )
    assert forged.signature_valid
    assert not forged.intact
    assert not forged.ok
    assert "CRL" in forged.detail


@pytest.mark.parametrize("cert_req", [True, False], ids=["certReq", "no-certReq"])
def test_every_single_byte_change_of_a_reply_is_seen(tsa: Tsa, cert_req: bool) -> None:
    """Signed or not, every byte of a stored reply matters: a change makes it malformed
    (TimestampError) or not intact, or breaks the signature; never a token that still holds."""
    request, _ = request_for(DATA, cert_req=cert_req)
    reply = tsa.authority.respond(request)
    roots, given = [tsa.chain.root], [tsa.chain.certificate, tsa.chain.root]
    assert verify_reply(reply, DATA, trust_roots=roots, certificates=given).ok
    unseen = []
    for index in range(len(reply)):
        changed = bytearray(reply)
        changed[index] ^= 0x01
        try:
            found = verify_reply(bytes(changed), DATA, trust_roots=roots, certificates=given)
        except TimestampError:
            continue
        if found.intact and found.signature_valid:
            unseen.append((index, found.reasons))
    assert unseen == []


# --------------------------------------------------------------------------- over HTTP


@pytest.fixture
def http_tsa(tsa: Tsa) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            wrong = self.headers["Content-Type"] != QUERY_MEDIA_TYPE
            reply = b"" if wrong else tsa.authority.respond(body)
            self.send_response(415 if wrong else 200)
            self.send_header("Content-Type", "text/plain" if wrong else REPLY_MEDIA_TYPE)
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/tsa"
    server.shutdown()
    server.server_close()


def test_the_http_client_gets_checked_tokens_and_the_chain(
    tsa: Tsa, http_tsa: str, tmp_path: Path
) -> None:
    client = HttpTimestampClient(http_tsa, timeout=5)
    assert isinstance(client, TimestampClient)
    assert verify_token(client.stamp(DATA), DATA, trust_roots=[tsa.chain.root]).ok
    chain = client.chain_pem()
    assert chain == tsa.authority.chain_pem()
    output = _openssl_verify(tmp_path, DATA, client.stamp_reply(DATA), chain)
    assert "Verification: OK" in output, output


def test_the_http_client_reports_an_unreachable_authority() -> None:
    with pytest.raises(TimestampError, match="cannot be reached"):
        HttpTimestampClient("http://127.0.0.1:9/tsa", timeout=2).stamp(DATA)
    with pytest.raises(TimestampError):
        HttpTimestampClient("file:///etc/passwd")


def test_chain_pem_is_the_tsa_certificate_then_the_root(tsa: Tsa) -> None:
    found = x509.load_pem_x509_certificates(tsa.client.chain_pem())
    assert found == [tsa.chain.certificate, tsa.chain.root]
    assert found[0].public_bytes(serialization.Encoding.DER) != found[1].public_bytes(
        serialization.Encoding.DER
    )


def test_a_key_store_that_fails_gives_system_failure(
    tsa: Tsa, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(key_id: bytes, data: bytes) -> bytes:
        raise OSError("token removed")

    monkeypatch.setattr(tsa.store, "sign", broken)
    assert _fail_info(tsa.authority.respond(request_for(DATA)[0])) == {"system_failure"}
