"""The embedded timestamp authority: RFC 3161 replies signed by a key of the key store.

Tokens are CMS SignedData (RFC 5652) over a TSTInfo, signed ECDSA P-256 / SHA-256 by the
TIMESTAMP key, with the signed attributes contentType (id-ct-TSTInfo), messageDigest and the ESS
signingCertificateV2 (RFC 5035) naming the TSA certificate by its SHA-256: RFC 3161 2.4.2
requires an ESS signing-certificate attribute and ``openssl ts -verify`` checks it.

Serial numbers are 128-bit random integers, not a counter: nothing to persist or share between
workers and restarts, and two equal serials among 2^32 tokens have odds below 2^-64.

Policy: :data:`POLICY_OID`, under the UUID arc 2.25 (ITU-T X.667: an OID anyone may mint
without registration, for want of an IANA enterprise number). It stands for "Sceau embedded
authority, development PKI: time from the host clock, accuracy as stated, no qualification";
a production deployment points at a qualified TSA whose policy says more.

``respond`` never raises: a request it cannot read or will not honour gets a ``rejection``
reply whose failInfo says why (badRequest, badAlg, badDataFormat, unacceptedPolicy,
unacceptedExtension), and a failure to sign gets systemFailure.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable
from datetime import UTC, datetime

from asn1crypto import algos, cms, core, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from signing.keys import KeyStore
from signing.pki import CertificateChain
from signing.timestamps._asn1 import DIGESTS, TimeStampResp, digest, load_strict
from signing.timestamps._request import request_for

__all__ = ["POLICY_OID", "TimestampAuthority"]

log = logging.getLogger(__name__)

#: The policy of the embedded authority's tokens (see the module's docstring).
POLICY_OID = "2.25.144839666667345615801297684183676276215"

_SERIAL_BITS = 128
_MAX_NONCE_BITS = 512  # bigger nonces are refused (badRequest): a nonce is 64 bits in practice


class _Refusal(Exception):
    def __init__(self, fail_info: str, text: str) -> None:
        super().__init__(text)
        self.fail_info = fail_info
        self.text = text


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _asn1_cert(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


class TimestampAuthority:
    """An RFC 3161 authority signing with ``key_id`` of ``key_store``, certified by ``chain``."""

    def __init__(
        self,
        *,
        key_store: KeyStore,
        key_id: bytes,
        chain: CertificateChain,
        policy_oid: str = POLICY_OID,
        accuracy_seconds: int = 1,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        if chain.key_id != key_id:
            raise ValueError("the chain does not certify this key")
        self._key_store = key_store
        self._key_id = key_id
        self._chain = chain
        self._policy = policy_oid
        self._accuracy = accuracy_seconds
        self._clock = clock
        certificate = _asn1_cert(chain.certificate)
        # The parts of every token that never change, encoded once: asn1crypto re-encodes
        # parsed values it is handed, which made each token ten times slower.
        self._tsa_name = asn1_x509.GeneralName({"directory_name": certificate.subject}).dump()
        self._sid = cms.SignerIdentifier(
            {
                "issuer_and_serial_number": {
                    "issuer": certificate.issuer,
                    "serial_number": certificate.serial_number,
                }
            }
        ).dump()
        self._signing_certificate = cms.CMSAttribute(
            {"type": "signing_certificate_v2", "values": [_signing_certificate(certificate)]}
        ).dump()
        self._certificates = [
            c.public_bytes(serialization.Encoding.DER) for c in (chain.certificate, *chain.issuers)
        ]

    @property
    def chain(self) -> CertificateChain:
        """The TSA certificate and its issuers up to the root."""
        return self._chain

    @property
    def policy_oid(self) -> str:
        return self._policy

    def chain_pem(self) -> bytes:
        """The TSA certificate then its issuers, PEM: what ``openssl ts -verify -CAfile`` takes."""
        certificates = (self._chain.certificate, *self._chain.issuers)
        return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certificates)

    def respond(self, request_der: bytes) -> bytes:
        """The TimeStampResp (DER) answering a TimeStampReq; never raises."""
        try:
            request = self._read(request_der)
        except _Refusal as refusal:
            return _refusal(refusal.fail_info, refusal.text)
        except Exception:  # the contract is a reply for any bytes whatsoever
            log.exception("the timestamp authority could not read a request")
            return _refusal("bad_request", "not a request this authority can read")
        try:
            reply: bytes = TimeStampResp(
                {
                    "status": tsp.PKIStatusInfo({"status": "granted"}),
                    "time_stamp_token": self._token(request),
                }
            ).dump()
        except Exception:  # a key store that fails (HSM away...) must not take the server down
            log.exception("the timestamp authority could not sign")
            return _refusal("system_failure", "the authority cannot sign now")
        return reply

    def stamp(self, data: bytes) -> bytes:
        """A timestamp token (ContentInfo DER) over SHA-256(``data``), with certificates."""
        request, _ = request_for(data)
        token: bytes = self._token(self._read(request)).dump()
        return token

    def _read(self, der: bytes) -> tsp.TimeStampReq:
        try:
            request = load_strict(tsp.TimeStampReq, der)
        except ValueError as exc:
            raise _Refusal("bad_request", "not a well-formed TimeStampReq") from exc
        if request["version"].native != "v1":
            raise _Refusal("bad_request", "only version 1 requests are known")
        imprint = request["message_imprint"]
        algorithm = imprint["hash_algorithm"]
        name = algorithm["algorithm"].native
        if name not in DIGESTS:
            raise _Refusal("bad_alg", f"imprint algorithm {name} is not accepted")
        if algorithm["parameters"].native is not None:
            raise _Refusal("bad_alg", "digest algorithm parameters must be absent or NULL")
        if len(imprint["hashed_message"].native) != DIGESTS[name]:
            raise _Refusal("bad_data_format", f"a {name} imprint has {DIGESTS[name]} bytes")
        policy = request["req_policy"].native
        if policy is not None and policy != self._policy:
            raise _Refusal("unaccepted_policy", f"this authority only stamps under {self._policy}")
        if request["extensions"].native:
            raise _Refusal("unaccepted_extensions", "no request extension is supported")
        nonce = request["nonce"].native
        if nonce is not None and abs(nonce).bit_length() > _MAX_NONCE_BITS:
            raise _Refusal("bad_request", "nonce too large")
        return request

    def _token(self, request: tsp.TimeStampReq) -> cms.ContentInfo:
        gen_time = self._clock().astimezone(UTC).replace(microsecond=0)
        info: dict[str, object] = {
            "version": "v1",
            "policy": self._policy,
            "message_imprint": request["message_imprint"],
            "serial_number": secrets.randbits(_SERIAL_BITS) or 1,
            "gen_time": gen_time,
            "accuracy": {"seconds": self._accuracy},
            "tsa": asn1_x509.GeneralName.load(self._tsa_name),
        }
        nonce = request["nonce"].native
        if nonce is not None:
            info["nonce"] = nonce
        tst_der = tsp.TSTInfo(info).dump()
        signed_attrs = _sorted_attributes(
            [
                cms.CMSAttribute({"type": "content_type", "values": ["tst_info"]}),
                cms.CMSAttribute({"type": "message_digest", "values": [digest("sha256", tst_der)]}),
                cms.CMSAttribute.load(self._signing_certificate),
            ]
        )
        signature = self._key_store.sign(self._key_id, signed_attrs.dump())
        signer = cms.SignerInfo(
            {
                "version": "v1",
                "sid": cms.SignerIdentifier.load(self._sid),
                "digest_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
                "signed_attrs": signed_attrs,
                "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": "sha256_ecdsa"}),
                "signature": signature,
            }
        )
        signed_data: dict[str, object] = {
            "version": "v3",
            "digest_algorithms": [algos.DigestAlgorithm({"algorithm": "sha256"})],
            "encap_content_info": {
                "content_type": "tst_info",
                "content": core.ParsableOctetString(tst_der),
            },
            "signer_infos": [signer],
        }
        if request["cert_req"].native:
            signed_data["certificates"] = [
                cms.CertificateChoices({"certificate": asn1_x509.Certificate.load(der)})
                for der in self._certificates
            ]
        return cms.ContentInfo(
            {"content_type": "signed_data", "content": cms.SignedData(signed_data)}
        )


def _signing_certificate(certificate: asn1_x509.Certificate) -> tsp.SigningCertificateV2:
    # hashAlgorithm left out: its DEFAULT is SHA-256, and DER omits a default value.
    return tsp.SigningCertificateV2(
        {
            "certs": [
                {
                    "cert_hash": hashlib.sha256(certificate.dump()).digest(),
                    "issuer_serial": {
                        "issuer": [asn1_x509.GeneralName({"directory_name": certificate.issuer})],
                        "serial_number": certificate.serial_number,
                    },
                }
            ]
        }
    )


def _sorted_attributes(attributes: list[cms.CMSAttribute]) -> cms.CMSAttributes:
    """The signed attributes in DER order (a SET OF is sorted by encoding, X.690 11.6).

    The signature covers their encoding; verifiers such as OpenSSL re-encode them canonically
    before checking, so an unsorted set would not verify there.
    """
    return cms.CMSAttributes(sorted(attributes, key=lambda a: a.dump()))


def _refusal(fail_info: str, text: str) -> bytes:
    status = tsp.PKIStatusInfo(
        {"status": "rejection", "status_string": [text], "fail_info": {fail_info}}
    )
    reply: bytes = TimeStampResp({"status": status}).dump()
    return reply
