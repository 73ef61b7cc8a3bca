"""Issuing one certificate (seal + render + PDF/A + PAdES signature) against pyHanko signing
alone of the same unsigned PDF, the irreducible cost, in the same run. Goal (issue 3): the
median full issuance takes at most 2.0 times the median signature. Also prints certificates per
second with 2 worker processes.

    .venv/bin/python bench/issue.py [--runs 60] [--per-worker 40]
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bundles.certificate import build_certificate, render_certificate
from bundles.certificate.samples import sample_document
from signing.keys import FileKeyStore, KeyPurpose
from signing.pades import KeyStoreSigner, sign_pdf
from signing.pki import DevelopmentPki
from signing.seal import CertificateType, encode

GOAL = 2.0
BASE = "https://sceau.ofii.fr"


def _issuer(folder: Path) -> tuple[FileKeyStore, bytes, KeyStoreSigner]:
    store = FileKeyStore(folder / "keys", passphrase=b"bench")
    seal = store.generate(purpose=KeyPurpose.SEAL)
    chain = DevelopmentPki(folder / "pki", passphrase=b"bench", organisation="OFII").ensure(store)
    return store, seal.key_id, KeyStoreSigner(key_store=store, chain=chain)


def _median_ms(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _worker(args: tuple[str, int]) -> int:
    folder, count = args
    store = FileKeyStore(Path(folder) / "keys", passphrase=b"bench")
    seal = store.active_key(KeyPurpose.SEAL)
    chain = DevelopmentPki(Path(folder) / "pki", passphrase=b"bench", organisation="OFII").chain(
        store
    )
    signer = KeyStoreSigner(key_store=store, chain=chain)
    kinds = list(CertificateType)
    for i in range(count):
        build_certificate(
            sample_document(kinds[i % len(kinds)]),
            key_store=store,
            seal_key_id=seal.key_id,
            pdf_signer=signer,
            base_url=BASE,
        )
    return count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--per-worker", type=int, default=40)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        store, seal_key_id, signer = _issuer(folder)
        document = sample_document(CertificateType.CIVIC_TRAINING)
        unsigned = render_certificate(
            document, encode(document.claims, store, seal_key_id, base_url=BASE)
        )

        def full() -> None:
            build_certificate(
                document, key_store=store, seal_key_id=seal_key_id, pdf_signer=signer, base_url=BASE
            )

        def sign_only() -> None:
            sign_pdf(unsigned, signer)

        full(), sign_only()  # warm caches (decrypted keys, fonts)
        full_ms, sign_ms = [], []
        for _ in range(3):  # alternate so that load drift hits both
            full_ms.append(_median_ms(full, args.runs // 3))
            sign_ms.append(_median_ms(sign_only, args.runs // 3))
        full_median, sign_median = statistics.median(full_ms), statistics.median(sign_ms)
        ratio = full_median / sign_median

        start = time.perf_counter()
        with multiprocessing.get_context("spawn").Pool(2) as pool:
            done = sum(pool.map(_worker, [(name, args.per_worker)] * 2))
        rate = done / (time.perf_counter() - start)

    print(f"pyHanko signing alone (same unsigned PDF/A): {sign_median:7.1f} ms median")
    print(f"seal + render + PDF/A + sign:                {full_median:7.1f} ms median")
    print(f"ratio: {ratio:.2f} (goal <= {GOAL})  {'OK' if ratio <= GOAL else 'ABOVE GOAL'}")
    print(f"2 processes: {rate:.1f} certificates/s ({done} certificates, start-up included)")
    return 0 if ratio <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
