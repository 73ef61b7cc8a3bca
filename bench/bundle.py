"""Building an evidence pack (stamps, inventory, e-bundle, bag, RFC 3161 token, two PAdES B-T
signatures, ZIP) against qpdf merging the same pieces, the C++ floor, in the same run.

200 generated pieces of 5 pages with text (1,000 pages). Goals (issue 7): the median build takes
at most 3 times the median ``qpdf --empty --pages ... -- out.pdf``, and the peak memory (RSS) of
this process stays under the inputs' size + 200 MB.

    .venv/bin/python bench/bundle.py [--pieces 200] [--pages 5] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from bundles.pack import PackRequest, Piece, build_pack
from signing.keys import FileKeyStore, KeyPurpose
from signing.pades import KeyStoreSigner
from signing.pki import DevelopmentPki

GOAL_RATIO = 3.0
GOAL_EXTRA_MB = 200


class LocalAuthority:
    """pyHanko's in-process authority (real RFC 3161 tokens, RSA) behind the pack's protocol."""

    def __init__(self) -> None:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Sceau bench TSA")])
        now = datetime.now(UTC) - timedelta(minutes=1)
        self.certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(now + timedelta(days=1))
            .add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
            )
            .sign(key, hashes.SHA256())
        )
        der_key = key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        self.pyhanko = DummyTimeStamper(
            tsa_cert=asn1_x509.Certificate.load(
                self.certificate.public_bytes(serialization.Encoding.DER)
            ),
            tsa_key=asn1_keys.PrivateKeyInfo.load(der_key),
        )

    def stamp(self, data: bytes) -> bytes:
        token = asyncio.run(self.pyhanko.async_timestamp(hashlib.sha256(data).digest(), "sha256"))
        response = tsp.TimeStampResp({"status": {"status": "granted"}, "time_stamp_token": token})
        return bytes(response.dump())

    def chain_pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)


def _piece(number: int, pages: int) -> bytes:
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    for page in range(pages):
        canvas.setFont("Helvetica", 11)
        for line in range(40):
            canvas.drawString(
                60,
                780 - 18 * line,
                f"Pièce {number}, page {page + 1}, ligne {line + 1}: "
                "quittance de loyer, attestation, courrier de la préfecture.",
            )
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pieces", type=int, default=200)
    parser.add_argument("--pages", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        print("qpdf is missing: apt-get install qpdf", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        store = FileKeyStore(folder / "keys", passphrase=b"bench")
        store.generate(purpose=KeyPurpose.SEAL)
        chain = DevelopmentPki(folder / "pki", passphrase=b"bench", organisation="OFII").ensure(
            store
        )
        signer = KeyStoreSigner(key_store=store, chain=chain)
        authority = LocalAuthority()
        pieces, paths = [], []
        for number in range(1, args.pieces + 1):
            pdf = _piece(number, args.pages)
            path = folder / f"piece{number:04d}.pdf"
            path.write_bytes(pdf)
            paths.append(str(path))
            pieces.append(
                Piece(
                    label=f"Quittance de loyer n° {number}",
                    pdf=pdf,
                    original_sha256=hashlib.sha256(pdf).hexdigest(),
                    origin="Bailleur",
                )
            )
        inputs_mb = sum(len(p.pdf) for p in pieces) / 2**20
        request = PackRequest(
            person_name="Amina Diallo",
            purpose="appeal",
            addressee="Tribunal administratif de Lyon",
            deadline=None,
            pieces=pieces,
        )

        def merge() -> None:
            subprocess.run(
                [qpdf, "--empty", "--pages", *paths, "--", str(folder / "out.pdf")], check=True
            )

        def build() -> int:
            return len(
                build_pack(
                    request,
                    signer=signer,
                    pdf_timestamper=authority.pyhanko,
                    timestamper=authority,
                )
            )

        before = _peak_mb()
        floor, ours, size = [], [], 0
        for _ in range(args.runs):
            start = time.perf_counter()
            merge()
            floor.append(time.perf_counter() - start)
            start = time.perf_counter()
            size = build()
            ours.append(time.perf_counter() - start)
        peak = _peak_mb()

    ratio = statistics.median(ours) / statistics.median(floor)
    limit = inputs_mb + GOAL_EXTRA_MB
    print(
        f"pack of {args.pieces} pieces, {args.pieces * args.pages} pages, "
        f"inputs {inputs_mb:.1f} MB, ZIP {size / 2**20:.1f} MB"
    )
    print(
        f"  qpdf merge (floor): {statistics.median(floor) * 1000:.0f} ms   "
        f"build_pack: {statistics.median(ours) * 1000:.0f} ms   "
        f"ratio {ratio:.2f} (goal <= {GOAL_RATIO:.0f}) {'OK' if ratio <= GOAL_RATIO else 'MISSED'}"
    )
    print(
        f"  peak RSS {peak:.0f} MB (before building {before:.0f} MB) against inputs + "
        f"{GOAL_EXTRA_MB} MB = {limit:.0f} MB {'OK' if peak <= limit else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
