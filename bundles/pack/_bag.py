"""The BagIt bag (RFC 8493) around the pack, and the RFC 3161 token over its tag manifest.

Layout of the bag's root::

    bagit.txt  bag-info.txt  manifest-sha256.txt  originals-sha256.txt  README.txt
    tsa-chain.pem  tagmanifest-sha256.txt  timestamp.tsr  data/...

Every tag file but the last two is listed in tagmanifest-sha256.txt, which lists the payload
manifest too; the token stamps tagmanifest-sha256.txt, so one timestamp covers every byte of
the bag except the token itself (which carries its own signature).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes

from bundles.pack._model import PURPOSES, PackError, PackRequest, Timestamper, one_line
from bundles.pack._tsp import check_token

__all__ = ["TAG_FILES", "sha256_file", "write_bag"]

TAG_FILES = (
    "bagit.txt",
    "bag-info.txt",
    "manifest-sha256.txt",
    "originals-sha256.txt",
    "README.txt",
    "tsa-chain.pem",
)
UNLISTED = ("tagmanifest-sha256.txt", "timestamp.tsr")
_CHUNK = 1 << 20


def sha256_file(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _readme(root_name: str, chain: Sequence[x509.Certificate]) -> str:
    fingerprint = chain[-1].fingerprint(hashes.SHA256()).hex(":").upper() if chain else "?"
    subject = chain[-1].subject.rfc4514_string() if chain else "?"
    return f"""Sceau evidence pack ({root_name})
====================

This folder is a BagIt bag (RFC 8493). data/ holds:
  data/pieces/PJ<N>_<Label>.pdf   one file per piece, numbered as in the inventory, each page
                                  stamped "Pièce n° N — p. i/n" in its top margin
  data/Bordereau_des_pieces.pdf   the inventory (bordereau des pièces), PAdES-signed
  data/Dossier_complet.pdf        the combined e-bundle (cover, index, chronology, pieces),
                                  PAdES-signed
originals-sha256.txt gives the SHA-256 of every piece as it was received, before it was
normalised to PDF and stamped.

To check it, from this folder (openssl, bagit.py from "pip install bagit", and pdfsig from
poppler-utils):

1. The timestamp covers tagmanifest-sha256.txt, which covers every other file:

     openssl ts -verify -data tagmanifest-sha256.txt -in timestamp.tsr -CAfile tsa-chain.pem

   must print "Verification: OK". To see the date and time of the timestamp:

     openssl ts -reply -in timestamp.tsr -text

   tsa-chain.pem comes with the pack, so this proves the token and the chain agree; that
   the authority is the one you trust is a comparison of the last certificate of
   tsa-chain.pem (the authority's root) with the fingerprint the authority publishes:
     root: {subject}
     SHA-256 fingerprint: {fingerprint}

2. Every file is the one listed in the manifests:

     bagit.py --validate .

   must end with "is valid".

3. The signatures of the two PDFs:

     pdfsig data/Dossier_complet.pdf
     pdfsig data/Bordereau_des_pieces.pdf

   must say "Signature is Valid." (to see the signer as trusted, import the issuer's root
   certificate, see docs/evidence-pack.md).
"""


def _manifest(root: Path, names: Sequence[str]) -> tuple[str, int]:
    lines, octets = [], 0
    for name in names:
        digest, size = sha256_file(root / name)
        lines.append(f"{digest}  {name}\n")
        octets += size
    return "".join(lines), octets


def write_bag(
    root: Path,
    *,
    request: PackRequest,
    payload: Sequence[str],
    originals: Sequence[tuple[str, str, str]],
    built: datetime,
    timestamper: Timestamper,
) -> None:
    """Write the tag files of the bag at ``root``, whose ``payload`` (paths under data/,
    relative to ``root``) is already written; then timestamp its tag manifest.

    ``originals``: (sha256 of the file as received, file name in the pack, name received)."""
    manifest, octets = _manifest(root, payload)
    (root / "manifest-sha256.txt").write_text(manifest, encoding="utf-8")
    (root / "bagit.txt").write_text(
        "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n", encoding="utf-8"
    )
    description = (
        f"{PURPOSES[request.purpose]} - {one_line(request.person_name)} - "
        f"{one_line(request.addressee)}"
    )
    info = [
        ("Source-Organization", "Sceau"),
        ("Bagging-Date", built.date().isoformat()),
        ("Bag-Software-Agent", "Sceau bundles.pack"),
        ("Payload-Oxum", f"{octets}.{len(payload)}"),
        ("External-Description", description),
        ("External-Identifier", root.name),
        ("Sceau-Purpose", request.purpose),
        ("Sceau-Pieces", str(len(originals))),
    ]
    (root / "bag-info.txt").write_text(
        "".join(f"{key}: {value}\n" for key, value in info), encoding="utf-8"
    )
    (root / "originals-sha256.txt").write_text(
        "".join(
            f"{digest}  {name}  {one_line(received) or '-'}\n"
            for digest, name, received in originals
        ),
        encoding="utf-8",
    )
    chain_pem = timestamper.chain_pem()
    try:
        chain = x509.load_pem_x509_certificates(chain_pem)
    except ValueError as exc:
        raise PackError(f"the timestamp authority's chain is not PEM: {exc}") from exc
    (root / "tsa-chain.pem").write_bytes(chain_pem)
    (root / "README.txt").write_text(_readme(root.name, chain), encoding="utf-8")
    tagmanifest, _ = _manifest(root, TAG_FILES)
    tagmanifest_bytes = tagmanifest.encode("utf-8")
    (root / "tagmanifest-sha256.txt").write_bytes(tagmanifest_bytes)
    token = timestamper.stamp(tagmanifest_bytes)
    check = check_token(token, tagmanifest_bytes, chain=chain)
    if not check.ok:
        raise PackError(f"the timestamp authority's answer is not usable: {check.detail}")
    (root / "timestamp.tsr").write_bytes(token)
