"""The payload of a pack while it is built: every file, one after the other, in one spool file.

A pack has hundreds of payload files and each is written once, then copied once into the ZIP.
Creating a file per piece in a temporary folder cost more than stamping the piece on a busy
disk; one spool file keeps the pages out of memory at the same price as one file. Each file's
SHA-256 and size are taken as it is added, from the bytes in hand, so the bag's manifest never
reads the payload back.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO

__all__ = ["PayloadFile", "Spool"]

_CHUNK = 1 << 20


@dataclass(frozen=True)
class PayloadFile:
    name: str  # path in the bag, under data/
    sha256: str
    size: int
    offset: int


class Spool:
    """Append-only store of named payload files in one temporary file."""

    def __init__(self, path: Path) -> None:
        self._file: BinaryIO = path.open("w+b")
        self._files: dict[str, PayloadFile] = {}

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *_: object) -> None:
        self._file.close()

    def add(self, name: str, data: bytes | bytearray | memoryview) -> PayloadFile:
        if name in self._files:
            raise ValueError(f"{name} is already in the pack")
        self._file.seek(0, 2)
        entry = PayloadFile(name, hashlib.sha256(data).hexdigest(), len(data), self._file.tell())
        self._file.write(data)
        self._files[name] = entry
        return entry

    def __getitem__(self, name: str) -> PayloadFile:
        return self._files[name]

    def copy(self, name: str, target: IO[bytes]) -> None:
        """Write the bytes of ``name`` to ``target``, in chunks."""
        entry = self._files[name]
        self._file.seek(entry.offset)
        left = entry.size
        while left:
            chunk = self._file.read(min(_CHUNK, left))
            if not chunk:
                raise OSError(f"the spool file ends inside {name}")
            target.write(chunk)
            left -= len(chunk)
