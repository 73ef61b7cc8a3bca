"""The inputs of a pack, and what the builder works out about each piece."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from bundles.errors import BundleError

__all__ = ["PURPOSES", "Entry", "PackError", "PackRequest", "Piece", "Timestamper"]

PARIS = ZoneInfo("Europe/Paris")
PURPOSES = {
    "appeal": "Recours contentieux",
    "renewal": "Renouvellement de titre de séjour",
}
ADDRESSEE_WORD = {"appeal": "Juridiction", "renewal": "Préfecture"}


class PackError(BundleError, ValueError):
    """A pack cannot be built from this request, or a file is not a pack at all."""


@dataclass(frozen=True, kw_only=True)
class Piece:
    """One piece of the file, as the person chose it, in the order of the inventory."""

    label: str  # as a person wrote it (any script); the file name is derived from it
    pdf: bytes  # the normalised PDF (from intake or a certificate)
    original_sha256: str  # of the file as received
    original_name: str = ""
    date: date | None = None
    origin: str = ""  # e.g. "OFII", "Préfecture du Rhône", "the migrant"
    series: bool = False  # a homogeneous series: one piece, numbered inside


@dataclass(frozen=True, kw_only=True)
class PackRequest:
    person_name: str
    purpose: str  # "appeal" | "renewal"
    addressee: str  # court or prefecture
    deadline: datetime | None
    pieces: Sequence[Piece]
    chronology_pdf: bytes | None = None
    front_matter: Sequence[str] = ()  # missing slots (appeal) or the renewal checklist
    built_at: datetime | None = None


class Timestamper(Protocol):
    """An RFC 3161 authority (satisfied by the client of signing/timestamps)."""

    def stamp(self, data: bytes) -> bytes:
        """A full TimeStampResp (DER) over ``data``: what goes into timestamp.tsr."""
        ...

    def chain_pem(self) -> bytes:
        """The TSA certificate and its issuers, PEM: what goes into tsa-chain.pem."""
        ...


@dataclass(frozen=True, kw_only=True)
class Entry:
    """A piece once numbered: one line of the inventory and of the index."""

    number: int
    label: str
    date: date | None
    origin: str
    pages: int
    file_name: str
    series: bool
    first_page: int = 0  # in the combined e-bundle, 1-based


def french_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value is not None else "—"


def french_datetime(value: datetime) -> str:
    local = value.astimezone(PARIS) if value.tzinfo is not None else value
    return local.strftime("%d/%m/%Y à %H:%M") + (
        " (heure de Paris)" if value.tzinfo is not None else ""
    )


def one_line(text: str) -> str:
    """A user's text with no control characters (tag files and outlines are line-based)."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())
