"""Seal verifications per second against raw ECDSA P-256 verifications, in the same run.

The anchor is `cryptography`'s own P-256 verify of the same signature over the same bytes: the
ratio shows what decoding, parsing and the trust-list look-up cost on top of the signature
check that no verifier can skip. Goal (issue 2): ratio >= 0.5.

    .venv/bin/python bench/seal.py [--seconds 2] [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import qrcode
import qrcode.constants
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from signing.keys import FileKeyStore, KeyPurpose
from signing.seal import BirthDate, CertificateType, SealClaims, decode, encode, verify
from signing.trust import TrustList

GOAL = 0.5


def rate(work: Callable[[], object], seconds: float) -> float:
    """Calls per second of ``work`` over about ``seconds``, in batches to keep timing cheap."""
    calls, batch = 0, 64
    start = time.perf_counter()
    deadline = start + seconds
    while (now := time.perf_counter()) < deadline:
        for _ in range(batch):
            work()
        calls += batch
    return calls / (now - start)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="per measurement")
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds; median kept")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        store = FileKeyStore(Path(folder), passphrase=b"bench")
        key = store.generate(purpose=KeyPurpose.SEAL)
        claims = SealClaims(
            certificate_id=bytes(12),
            certificate_type=CertificateType.FAMILY_REUNIFICATION_DEPOSIT,
            family_name="Abdelkader-Benyamina",
            given_names="Mohammed Rachid Ali",
            birth_date=BirthDate(1988, 3, 21),
            # Today: the key was made just now, and a key vouches for nothing before its window.
            issued_on=date.today(),
            valid_until=date.today() + timedelta(days=365),
            office="DT-SEINE-ST-DENI",
        )
        url = encode(claims, store, key.key_id, base_url="https://verifier.sceau.ofii.fr")
        trust = TrustList.from_key_store(store)

    seal = decode(url)
    public = trust.get(seal.key_id)
    assert public is not None
    der = encode_dss_signature(
        int.from_bytes(seal.signature[:32], "big"), int.from_bytes(seal.signature[32:], "big")
    )
    algorithm = ec.ECDSA(hashes.SHA256())
    body = seal.signed_bytes
    assert verify(url, trust).bottom_line

    def raw() -> None:
        public.public_key.verify(der, body, algorithm)

    def sealed() -> None:
        verify(url, trust)

    raw_rates, seal_rates = [], []
    for _ in range(args.rounds):  # alternate so that drift in machine load hits both
        raw_rates.append(rate(raw, args.seconds))
        seal_rates.append(rate(sealed, args.seconds))
    raw_rate, seal_rate = statistics.median(raw_rates), statistics.median(seal_rates)
    ratio = seal_rate / raw_rate

    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(url)
    qr.make(fit=True)

    print(f"seal URL: {len(url)} characters, QR version {qr.version} at level M")
    print(f"raw ECDSA P-256 verify (cryptography): {raw_rate:10.0f} /s")
    print(f"seal verify (decode + trust + ECDSA):  {seal_rate:10.0f} /s")
    print(f"ratio: {ratio:.2f} (goal >= {GOAL})  {'OK' if ratio >= GOAL else 'BELOW GOAL'}")
    return 0 if ratio >= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
