"""The one ZIP of a pack: the bag in one folder, in a fixed order, with fixed dates.

Written from the files on disk in chunks (never the whole bag in memory twice). PDFs and the
token are stored (they are compressed already), text files deflated.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

__all__ = ["write_zip"]

_CHUNK = 1 << 20
_STORED = (".pdf", ".tsr")


def write_zip(root: Path, names: Sequence[str], built: datetime, out: Path) -> None:
    """``names`` (relative to ``root``, in the order wanted) under the folder ``root.name``."""
    moment = built.astimezone(UTC) if built.tzinfo is not None else built
    stamp = (
        max(moment.year, 1980),
        moment.month,
        moment.day,
        moment.hour,
        moment.minute,
        moment.second,
    )
    with zipfile.ZipFile(out, "w") as archive:
        for name in names:
            info = zipfile.ZipInfo(f"{root.name}/{name}", date_time=stamp)
            info.external_attr = 0o644 << 16
            info.compress_type = (
                zipfile.ZIP_STORED if name.endswith(_STORED) else zipfile.ZIP_DEFLATED
            )
            with (root / name).open("rb") as source, archive.open(info, "w") as target:
                while chunk := source.read(_CHUNK):
                    target.write(chunk)
