"""The one ZIP of a pack: the bag in one folder, in a fixed order, with fixed dates.

Tag files come from memory (they are small); payload files are copied from the build's spool
in chunks (never the whole bag in memory twice). PDFs and the token are stored (they are
compressed already), text files deflated.
"""

from __future__ import annotations

import zipfile
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

from bundles.pack._spool import Spool

__all__ = ["write_zip"]

_STORED = (".pdf", ".tsr")


def write_zip(
    folder: str,
    names: Sequence[str],
    built: datetime,
    out: Path,
    *,
    tags: Mapping[str, bytes],
    payload: Spool,
) -> None:
    """``names`` (paths in the bag, in the order wanted, each in ``tags`` or in ``payload``)
    under the folder ``folder``."""
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
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=stamp)
            info.external_attr = 0o644 << 16
            info.compress_type = (
                zipfile.ZIP_STORED if name.endswith(_STORED) else zipfile.ZIP_DEFLATED
            )
            if name in tags:
                archive.writestr(info, tags[name])
                continue
            info.file_size = payload[name].size  # so that zipfile knows whether ZIP64 is needed
            with archive.open(info, "w") as target:
                payload.copy(name, target)
