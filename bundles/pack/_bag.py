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

from cryptography import x509
from cryptography.hazmat.primitives import hashes

from bundles.pack._model import PURPOSES, PackError, PackRequest, Timestamper, one_line
from signing.errors import TimestampError
from signing.timestamps import verify_reply

__all__ = ["TAG_FILES", "tag_files"]

TAG_FILES = (
    "bagit.txt",
    "bag-info.txt",
    "manifest-sha256.txt",
    "originals-sha256.txt",
    "README.txt",
    "tsa-chain.pem",
)
UNLISTED = ("tagmanifest-sha256.txt", "timestamp.tsr")


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


def _manifest(files: Sequence[tuple[str, str, int]]) -> str:
    return "".join(f"{digest}  {name}\n" for name, digest, _ in files)


def _digested(name: str, data: bytes) -> tuple[str, str, int]:
    return name, hashlib.sha256(data).hexdigest(), len(data)


def tag_files(
    root_name: str,
    *,
    request: PackRequest,
    payload: Sequence[tuple[str, str, int]],
    originals: Sequence[tuple[str, str, str]],
    built: datetime,
    timestamper: Timestamper,
) -> dict[str, bytes]:
    """The tag files of the bag ``root_name`` around ``payload`` ((path under data/, SHA-256,
    size) of each file), the last two being the tag manifest and its RFC 3161 token.

    ``originals``: (sha256 of the file as received, file name in the pack, name received)."""
    description = (
        f"{PURPOSES[request.purpose]} - {one_line(request.person_name)} - "
        f"{one_line(request.addressee)}"
    )
    info = [
        ("Source-Organization", "Sceau"),
        ("Bagging-Date", built.date().isoformat()),
        ("Bag-Software-Agent", "Sceau bundles.pack"),
        ("Payload-Oxum", f"{sum(size for _, _, size in payload)}.{len(payload)}"),
        ("External-Description", description),
        ("External-Identifier", root_name),
        ("Sceau-Purpose", request.purpose),
        ("Sceau-Pieces", str(len(originals))),
    ]
    chain_pem = timestamper.chain_pem()
    try:
        chain = x509.load_pem_x509_certificates(chain_pem)
    except ValueError as exc:
        raise PackError(f"the timestamp authority's chain is not PEM: {exc}") from exc
    texts = {
        "bagit.txt": "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
        "bag-info.txt": "".join(f"{key}: {value}\n" for key, value in info),
        "manifest-sha256.txt": _manifest(payload),
        "originals-sha256.txt": "".join(
            f"{digest}  {name}  {one_line(received) or '-'}\n"
            for digest, name, received in originals
        ),
        "README.txt": _readme(root_name, chain),
    }
    files = {name: text.encode("utf-8") for name, text in texts.items()}
    files["tsa-chain.pem"] = chain_pem
    tagmanifest_bytes = _manifest([_digested(name, files[name]) for name in TAG_FILES]).encode()
    files["tagmanifest-sha256.txt"] = tagmanifest_bytes
    token = timestamper.stamp(tagmanifest_bytes)
    # Whole, over these bytes, signed by a timestamping certificate of the chain the pack
    # ships (what the README's `openssl ts -verify -CAfile tsa-chain.pem` checks, but for a
    # self-signed end to the chain). Whether that chain is to be trusted is for the one who
    # verifies the pack.
    try:
        check = verify_reply(token, tagmanifest_bytes, trust_roots=chain, certificates=chain)
    except TimestampError as exc:
        raise PackError(f"the timestamp authority's answer is not usable: {exc}") from exc
    if not check.ok:
        raise PackError(f"the timestamp authority's answer is not usable: {check.detail}")
    files["timestamp.tsr"] = token
    return files
