"""The embedded timestamp authority: RFC 3161 replies signed by a key of the key store.

Tokens are CMS SignedData (RFC 5652) over a TSTInfo, signed ECDSA P-256 / SHA-256 by the
TIMESTAMP key, with the signed attributes contentType (id-ct-TSTInfo), messageDigest and the ESS
signingCertificateV2 (RFC 5035) naming the TSA certificate by its SHA-256: RFC 3161 2.4.2
requires an ESS signing-certificate attribute and ``openssl ts -verify`` checks it.

Serial numbers are 128-bit random integers, not a counter: nothing to persist or share between
workers and restarts, and two equal serials among 2^32 tokens have odds below 2^-64.

genTime is the host clock rounded to the nearest second, and ``accuracy`` says 1 second by
default (a constructor setting): rounding is off by half a second at most, which leaves half a
second for the host clock's own error, far more than NTP's few milliseconds. Rounding rather
than truncating keeps the claim "this existed by genTime + accuracy" true. ``ordering`` is
false (DER leaves the default out): tokens of two workers are not ordered by genTime within a
second, and nothing here makes them so.

Certificates go into the SignedData only when the request's certReq is true (RFC 3161 2.4.1):
then the TSA certificate and its issuers up to and including the root. The root is the one
certificate a verifier must hold already, but carrying it makes a token stand on its own: the
``tsa-chain.pem`` that :class:`HttpTimestampClient` derives from a token is then complete, and
``openssl ts -verify -CAfile`` needs a self-signed anchor; trust never comes from the token,
since verifiers (ours, OpenSSL's, rfc3161-client's) anchor on the roots they are given.

Policy: :data:`POLICY_OID`, under the UUID arc 2.25 (ITU-T X.667: an OID anyone may mint
without registration, for want of an IANA enterprise number). It stands for "Sceau embedded
authority, development PKI: time from the host clock, accuracy as stated, no qualification";
a production deployment points at a qualified TSA whose policy says more. A request naming
another policy is refused (unacceptedPolicy).

The fixed parts of a reply (identifiers, the signer's name, the certificates, the signed
attributes but the digest) are encoded once with asn1crypto; each token then encodes its
TSTInfo with asn1crypto and wraps it in DER written here (:func:`_der`): asn1crypto rebuilding
the nested SignedData for each token took four fifths of the time of a token.

``respond`` never raises: a request it cannot read or will not honour gets a ``rejection``
reply whose failInfo says why (badRequest, badAlg, badDataFormat, unacceptedPolicy,
unacceptedExtension), and a failure to sign gets systemFailure.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

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
#: The DER identifier octets written by :func:`_der`.
_SEQUENCE, _SET, _OCTET_STRING, _CONTEXT_0 = 0x30, 0x31, 0x04, 0xA0


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
    """An RFC 3161 authority signing with ``key_id`` of ``key_store``, certified by ``chain``.

    ``accuracy_seconds`` is what every TSTInfo states; genTime is in whole seconds (rounded),
    so less than 1 would claim what the token cannot show.
    """

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
        if accuracy_seconds < 1:
            raise ValueError("genTime is in whole seconds: the accuracy is 1 second or more")
        self._key_store = key_store
        self._key_id = key_id
        self._chain = chain
        self._policy = policy_oid
        self._accuracy = accuracy_seconds
        self._clock = clock
        certificate = _asn1_cert(chain.certificate)
        self._tsa_name = asn1_x509.GeneralName({"directory_name": certificate.subject}).dump()
        sha256 = algos.DigestAlgorithm({"algorithm": "sha256"}).dump()
        sid = cms.SignerIdentifier(
            {
                "issuer_and_serial_number": {
                    "issuer": certificate.issuer,
                    "serial_number": certificate.serial_number,
                }
            }
        ).dump()
        # SignerInfo ::= SEQUENCE { version 1 (issuerAndSerialNumber), sid, digestAlgorithm,
        # [0] signedAttrs, signatureAlgorithm, signature }: all fixed but the last two fields.
        self._signer_head = core.Integer(1).dump() + sid + sha256
        self._signature_algorithm = algos.SignedDigestAlgorithm(
            {"algorithm": "sha256_ecdsa"}
        ).dump()
        self._fixed_attributes = [
            cms.CMSAttribute({"type": "content_type", "values": ["tst_info"]}).dump(),
            cms.CMSAttribute(
                {"type": "signing_certificate_v2", "values": [_signing_certificate(certificate)]}
            ).dump(),
        ]
        blank = cms.CMSAttribute({"type": "message_digest", "values": [bytes(32)]}).dump()
        self._digest_attribute_head = blank[: -len(bytes(32))]
        # SignedData version 3: the content is not id-data (RFC 5652 5.1).
        self._signed_data_head = core.Integer(3).dump() + _der(_SET, sha256)
        self._tst_info_type = cms.ContentType("tst_info").dump()
        self._signed_data_type = cms.ContentType("signed_data").dump()
        self._granted = tsp.PKIStatusInfo({"status": "granted"}).dump()
        certificates = [
            c.public_bytes(serialization.Encoding.DER) for c in (chain.certificate, *chain.issuers)
        ]
        # CertificateSet ::= SET OF, [0] IMPLICIT: its elements sorted by encoding (X.690 11.6).
        self._certificates = _der(_CONTEXT_0, b"".join(sorted(certificates)))

    @property
    def chain(self) -> CertificateChain:
        """The TSA certificate and its issuers up to the root."""
        return self._chain

    @property
    def policy_oid(self) -> str:
        return self._policy

    @property
    def accuracy_seconds(self) -> int:
        return self._accuracy

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
            return _der(_SEQUENCE, self._granted + self._token(request))
        except Exception:  # a key store that fails (HSM away...) must not take the server down
            log.exception("the timestamp authority could not sign")
            return _refusal("system_failure", "the authority cannot sign now")

    def stamp(self, data: bytes) -> bytes:
        """A timestamp token (ContentInfo DER) over SHA-256(``data``), with certificates."""
        request, _ = request_for(data)
        return self._token(self._read(request))

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

    def _token(self, request: tsp.TimeStampReq) -> bytes:
        """The ContentInfo (DER) of a SignedData over a fresh TSTInfo answering ``request``."""
        now = self._clock().astimezone(UTC)
        info: dict[str, object] = {
            "version": "v1",
            "policy": self._policy,
            "message_imprint": request["message_imprint"],
            "serial_number": secrets.randbits(_SERIAL_BITS) or 1,
            "gen_time": (now + timedelta(microseconds=500_000)).replace(microsecond=0),
            "accuracy": {"seconds": self._accuracy},
            "tsa": asn1_x509.GeneralName.load(self._tsa_name),
        }
        nonce = request["nonce"].native
        if nonce is not None:
            info["nonce"] = nonce  # the same INTEGER value, whatever its size (RFC 3161 2.4.2)
        tst_der: bytes = tsp.TSTInfo(info).dump()
        attributes = b"".join(
            sorted(
                [
                    *self._fixed_attributes,
                    self._digest_attribute_head + digest("sha256", tst_der),
                ]
            )
        )
        # The signature covers the attributes encoded as a SET, and SignerInfo carries them
        # as [0] IMPLICIT (RFC 5652 5.4); a SET OF sorted by encoding (X.690 11.6), as
        # verifiers such as OpenSSL re-encode it canonically before checking.
        signature = self._key_store.sign(self._key_id, _der(_SET, attributes))
        signer_info = _der(
            _SEQUENCE,
            self._signer_head
            + _der(_CONTEXT_0, attributes)
            + self._signature_algorithm
            + _der(_OCTET_STRING, signature),
        )
        encapsulated = _der(
            _SEQUENCE,
            self._tst_info_type + _der(_CONTEXT_0, _der(_OCTET_STRING, tst_der)),
        )
        certificates = self._certificates if request["cert_req"].native else b""
        signed_data = _der(
            _SEQUENCE,
            self._signed_data_head + encapsulated + certificates + _der(_SET, signer_info),
        )
        return _der(_SEQUENCE, self._signed_data_type + _der(_CONTEXT_0, signed_data))


def _der(tag: int, content: bytes) -> bytes:
    """One DER element: the identifier octet ``tag``, the definite length, ``content``."""
    size = len(content)
    if size < 0x80:
        return bytes((tag, size)) + content
    octets = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes((tag, 0x80 | len(octets))) + octets + content


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


def _refusal(fail_info: str, text: str) -> bytes:
    status = tsp.PKIStatusInfo(
        {"status": "rejection", "status_string": [text], "fail_info": {fail_info}}
    )
    reply: bytes = TimeStampResp({"status": status}).dump()
    return reply
