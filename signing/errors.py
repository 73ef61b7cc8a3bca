"""The one error hierarchy of the signing package.

Exceptions mean "cannot even check": malformed input, a missing key, a broken store.
A seal that parses but does not verify is not an exception; it is a result
(:class:`signing.seal.SealVerification`) whose reasons say why.
"""

from __future__ import annotations

__all__ = [
    "ClaimsError",
    "KeyNotFoundError",
    "KeyNotInTokenError",
    "KeyStatusError",
    "KeyStoreError",
    "PdfSignatureError",
    "SealError",
    "SealFormatError",
    "SigningError",
    "TimestampError",
    "TokenModuleError",
    "TokenNotFoundError",
    "TokenPinError",
    "TransparencyLogError",
    "TrustListError",
    "TrustListExpiredError",
    "TrustListRollbackError",
    "TrustListSignatureError",
]


class SigningError(Exception):
    """Base of every error raised on purpose by the signing package."""


class KeyStoreError(SigningError):
    """A key store cannot be read or written (wrong passphrase, corrupt file, device error)."""


class KeyNotFoundError(KeyStoreError, LookupError):
    """No key with this id in the store."""


class KeyNotInTokenError(KeyNotFoundError):
    """The store's records name this key but the PKCS#11 token does not hold it.

    Distinct from an unknown key: it means the wrong token is configured, or the key was deleted
    from the token, and an operator must look before the service can sign with it again.
    """


class TokenModuleError(KeyStoreError):
    """The PKCS#11 module (the vendor's shared library) cannot be loaded."""


class TokenNotFoundError(KeyStoreError):
    """No token with the configured label is present behind the PKCS#11 module."""


class TokenPinError(KeyStoreError):
    """The token refused the PIN (wrong, locked, expired), or another PIN is logged in already."""


class KeyStatusError(KeyStoreError, ValueError):
    """A status change the lifecycle forbids (reviving a revoked key, revoking with no reason)."""


class SealError(SigningError):
    """Base of the seal errors."""


class SealFormatError(SealError, ValueError):
    """The text or bytes given as a seal are not a well-formed seal of a version we know.

    Raised by :func:`signing.seal.decode` for any malformed input whatsoever, so that callers
    facing hostile QR payloads need catch this one type only.
    """


class ClaimsError(SealError, ValueError):
    """Claims cannot be sealed (a name outside the Latin alphabet, an impossible date...)."""


class TrustListError(SigningError, ValueError):
    """A trust list document is malformed or contradicts itself."""


class TrustListSignatureError(TrustListError):
    """A trust list is unsigned, its signature does not hold, or its signer is not believed
    (not the pinned key, not one the verifier already trusts nor endorsed by one)."""


class TrustListRollbackError(TrustListError):
    """A trust list older than the one the verifier already holds, or a different list under
    the same version number: someone may be hiding a revocation."""


class TrustListExpiredError(TrustListError):
    """A trust list past its expiry and the verifier's grace period: too old to vouch for
    anything (within the grace period it is a warning, not this error)."""


class PdfSignatureError(SigningError):
    """A PDF cannot be signed or its signature cannot even be checked (not a PDF, no signature)."""


class TimestampError(SigningError):
    """A timestamp cannot be obtained or its token cannot even be read.

    The authority refused the request, the reply is malformed or does not answer our request
    (another imprint, a nonce not echoed), the TSA cannot be reached, or bytes given as a token
    are not one. A token that parses but does not verify is a result
    (:class:`signing.timestamps.TimestampVerification`), not this error.
    """


class TransparencyLogError(SigningError, ValueError):
    """A transparency-log request or record cannot even be read.

    Leaf data of an unknown version, a leaf index outside the tree, sizes in the wrong order, a
    tree head that is not one. A proof that parses but does not hold is ``False`` from the
    verify functions of :mod:`signing.transparency`, not this error.
    """
