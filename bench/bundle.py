"""Building an evidence pack (stamps, inventory, e-bundle, bag, RFC 3161 token, two PAdES B-T
signatures, ZIP) against qpdf merging the same pieces, the C++ floor, in the same run.

200 generated pieces of 5 pages with text (1,000 pages). Goals (issue 7): the median build takes
at most 3 times the median ``qpdf --empty --pages ... -- out.pdf``, and the peak memory (RSS) of
this process stays under the inputs' size + 200 MB.

    .venv/bin/python bench/bundle.py [--pieces 200] [--pages 5] [--runs 3]
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from bundles.pack import PackRequest, Piece, build_pack
from signing.keys import FileKeyStore, KeyPurpose
from signing.pades import KeyStoreSigner
from signing.pki import DevelopmentPki
from signing.timestamps import InProcessTimestampClient, PyHankoTimeStamper, TimestampAuthority

GOAL_RATIO = 3.0
GOAL_EXTRA_MB = 200


class _PackTimestamps:
    """The pack's view of the embedded authority, as the service builds it."""

    def __init__(self, client: InProcessTimestampClient) -> None:
        self._client = client

    def stamp(self, data: bytes) -> bytes:
        return self._client.stamp_reply(data)

    def chain_pem(self) -> bytes:
        return self._client.chain_pem()


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
        pki = DevelopmentPki(folder / "pki", passphrase=b"bench", organisation="OFII")
        chain = pki.ensure(store)
        signer = KeyStoreSigner(key_store=store, chain=chain)
        tsa = pki.ensure_tsa(store)
        client = InProcessTimestampClient(
            TimestampAuthority(key_store=store, key_id=tsa.key_id, chain=tsa)
        )
        # Made once, as the service's keyring does (the signer keeps what it learnt of them).
        pdf_timestamper, timestamps = PyHankoTimeStamper(client), _PackTimestamps(client)
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
                    pdf_timestamper=pdf_timestamper,
                    timestamper=timestamps,
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
