"""Evidence packs: numbered, stamped pieces, their inventory, the combined e-bundle, in a
timestamped BagIt bag inside one ZIP; and the check of such a pack.

The layout and how to verify a pack by hand: docs/evidence-pack.md.
"""

from __future__ import annotations

from bundles.pack._build import build_pack
from bundles.pack._model import PackError, PackRequest, Piece, Timestamper
from bundles.pack._names import telerecours_name
from bundles.pack._verify import FileCheck, PackReport, SignatureCheck, verify_pack

__all__ = [
    "FileCheck",
    "PackError",
    "PackReport",
    "PackRequest",
    "Piece",
    "SignatureCheck",
    "Timestamper",
    "build_pack",
    "telerecours_name",
    "verify_pack",
]
