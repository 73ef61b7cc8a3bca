"""verify_pack: every hash, the timestamp and the signatures of a pack, file by file.

A ZIP is checked as a bag: the token against tagmanifest-sha256.txt, the tag files against the
tag manifest, the payload against manifest-sha256.txt, the two signed PDFs with pyHanko. When
a manifest is itself changed, the files it no longer matches are still named, with a detail
that says which manifest to doubt. A combined PDF on its own is checked by its signature.
"""

from __future__ import annotations

import hashlib
import posixpath
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from cryptography import x509

from bundles.pack._bag import TAG_FILES
from bundles.pack._build import EBUNDLE, INVENTORY
from bundles.pack._model import PackError
from signing.errors import PdfSignatureError, TimestampError
from signing.pades import validate_pdf
from signing.timestamps import TimestampVerification, verify_reply

__all__ = ["FileCheck", "PackReport", "SignatureCheck", "verify_pack"]

_CHUNK = 1 << 20


@dataclass(frozen=True)
class FileCheck:
    name: str  # path inside the bag (or the uploaded PDF's role)
    status: str  # "ok" | "changed" | "missing" | "unexpected"
    detail: str = ""


@dataclass(frozen=True)
class SignatureCheck:
    name: str
    ok: bool  # intact, valid, trusted, and nothing appended after it
    intact: bool = False
    valid: bool = False
    trusted: bool = False
    timestamped: bool = False
    signer: str = ""
    signed_at: datetime | None = None
    detail: str = ""


@dataclass(frozen=True)
class PackReport:
    ok: bool
    files: tuple[FileCheck, ...]
    timestamp_ok: bool | None  # None: nothing to check (a PDF on its own)
    signatures: tuple[SignatureCheck, ...]
    kind: str = "zip"  # "zip" | "pdf"
    timestamp_trusted: bool | None = None
    timestamped_at: datetime | None = None
    problems: tuple[str, ...] = ()

    @property
    def changed(self) -> tuple[str, ...]:
        """The names of the files that are not as the pack was built."""
        return tuple(f.name for f in self.files if f.status != "ok")


def _signature(name: str, pdf: bytes, roots: Sequence[x509.Certificate]) -> SignatureCheck:
    try:
        report = validate_pdf(pdf, roots)
    except PdfSignatureError as exc:
        return SignatureCheck(name=name, ok=False, detail=str(exc))
    return SignatureCheck(
        name=name,
        ok=report.bottom_line,
        intact=report.intact,
        valid=report.valid,
        trusted=report.trusted,
        timestamped=report.timestamped,
        signer=report.signer,
        signed_at=report.signed_at,
        detail="" if report.bottom_line else "the signature does not hold",
    )


def _verify_pdf(data: bytes, roots: Sequence[x509.Certificate]) -> PackReport:
    signature = _signature("Dossier_complet.pdf", data, roots)
    whole = signature.intact and signature.valid
    status = FileCheck(
        "Dossier_complet.pdf",
        "ok" if whole else "changed",
        "" if whole else signature.detail or "the signed bytes were changed",
    )
    return PackReport(
        ok=signature.ok,
        files=(status,),
        timestamp_ok=None,
        signatures=(signature,),
        kind="pdf",
    )


def _manifest(text: bytes | None) -> dict[str, str] | None:
    if text is None:
        return None
    entries: dict[str, str] = {}
    try:
        lines = text.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        return {}
    for line in lines:
        digest, _, path = line.strip().partition(" ")
        if path.strip():
            entries[path.strip()] = digest.lower()
    return entries


class _Bag:
    """The members of the ZIP under the bag's folder: hashes for all, bytes for a few."""

    KEEP = (*TAG_FILES, "tagmanifest-sha256.txt", "timestamp.tsr", INVENTORY, EBUNDLE)

    def __init__(self, archive: zipfile.ZipFile) -> None:
        names = [info.filename for info in archive.infolist() if not info.is_dir()]
        roots = sorted(
            (n for n in names if posixpath.basename(n) == "bagit.txt"), key=lambda n: n.count("/")
        )
        if not roots:
            raise PackError("not a Sceau pack: the ZIP holds no bagit.txt")
        self.prefix = roots[0][: -len("bagit.txt")]
        self.digests: dict[str, str] = {}
        self.damaged: dict[str, str] = {}
        self.content: dict[str, bytes] = {}
        self.outside: list[str] = []
        for info in archive.infolist():
            if info.is_dir():
                continue
            if not info.filename.startswith(self.prefix):
                self.outside.append(info.filename)
                continue
            name = info.filename[len(self.prefix) :]
            digest = hashlib.sha256()
            kept = bytearray() if name in self.KEEP else None
            try:
                with archive.open(info) as stream:
                    while chunk := stream.read(_CHUNK):
                        digest.update(chunk)
                        if kept is not None:
                            kept += chunk
            except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
                self.damaged[name] = f"damaged inside the ZIP ({exc})"
                continue
            self.digests[name] = digest.hexdigest()
            if kept is not None:
                self.content[name] = bytes(kept)


def _compare(bag: _Bag, listing: dict[str, str], doubt: str) -> tuple[list[FileCheck], set[str]]:
    checks, seen = [], set()
    for name, expected in listing.items():
        seen.add(name)
        if name in bag.damaged:
            checks.append(FileCheck(name, "changed", bag.damaged[name]))
        elif name not in bag.digests:
            checks.append(FileCheck(name, "missing", "listed in the manifest, not in the ZIP"))
        elif bag.digests[name] != expected:
            detail = "its SHA-256 is not the one in the manifest"
            checks.append(FileCheck(name, "changed", detail + doubt))
        else:
            checks.append(FileCheck(name, "ok"))
    return checks, seen


def _whole(check: TimestampVerification | None) -> bool:
    """The token is as its authority made it. It is the one file no manifest covers, so its own
    checks decide whether it changed; stamping other bytes is the tag manifest's change."""
    return check is not None and check.intact and check.signature_valid


def _verify_zip(archive: zipfile.ZipFile, roots: Sequence[x509.Certificate]) -> PackReport:
    bag = _Bag(archive)
    files: list[FileCheck] = []
    problems: list[str] = []
    tagmanifest = bag.content.get("tagmanifest-sha256.txt")
    token = bag.content.get("timestamp.tsr")
    chain: list[x509.Certificate] = []
    try:
        chain = x509.load_pem_x509_certificates(bag.content.get("tsa-chain.pem", b""))
    except ValueError:
        problems.append("tsa-chain.pem holds no certificate")

    check: TimestampVerification | None = None
    if token is None:
        name = "timestamp.tsr"
        files.append(
            FileCheck(name, "changed", bag.damaged[name])
            if name in bag.damaged
            else FileCheck(name, "missing", "the pack's timestamp is not in the ZIP")
        )
    elif tagmanifest is not None:
        try:
            check = verify_reply(token, tagmanifest, trust_roots=roots, certificates=chain)
        except TimestampError as exc:
            files.append(FileCheck("timestamp.tsr", "changed", str(exc)))
        else:
            status = "ok" if _whole(check) else "changed"
            files.append(FileCheck("timestamp.tsr", status, check.detail))
    tag_doubt = ""
    if tagmanifest is None:
        name = "tagmanifest-sha256.txt"
        files.append(
            FileCheck(name, "changed", bag.damaged[name])
            if name in bag.damaged
            else FileCheck(name, "missing")
        )
        tag_doubt = " (there is no tag manifest to vouch for it)"
    elif check is not None and check.signature_valid and not check.imprint_matches:
        files.append(
            FileCheck(
                "tagmanifest-sha256.txt",
                "changed",
                "its SHA-256 is not the one the timestamp covers",
            )
        )
        tag_doubt = " (or the tag manifest, which was changed, is wrong about it)"
    else:
        files.append(FileCheck("tagmanifest-sha256.txt", "ok"))

    tag_listing = _manifest(tagmanifest) or {}
    for required in TAG_FILES:
        if required not in tag_listing and tagmanifest is not None:
            problems.append(f"the tag manifest does not list {required}")
    tag_checks, seen = _compare(bag, tag_listing, tag_doubt)
    files += tag_checks
    manifest_ok = (
        all(c.status == "ok" for c in tag_checks if c.name == "manifest-sha256.txt")
        and "manifest-sha256.txt" in tag_listing
    )
    doubt = "" if manifest_ok else " (or manifest-sha256.txt, which was changed, is wrong)"
    payload_checks, payload_seen = _compare(
        bag, _manifest(bag.content.get("manifest-sha256.txt")) or {}, doubt
    )
    files += payload_checks
    seen |= payload_seen | {"tagmanifest-sha256.txt", "timestamp.tsr"}
    for name in sorted({*bag.digests, *bag.damaged} - seen):
        files.append(FileCheck(name, "unexpected", "in the ZIP but in no manifest"))
    files += [FileCheck(name, "unexpected", "outside the bag's folder") for name in bag.outside]

    signatures = []
    for name in (EBUNDLE, INVENTORY):
        pdf = bag.content.get(name)
        if pdf is None:
            signatures.append(SignatureCheck(name=name, ok=False, detail="not in the ZIP"))
        else:
            signatures.append(_signature(name, pdf, roots))
    # timestamp_ok: a whole token over this tag manifest; trusted: a whole token whose
    # authority's chain leads to one of the roots. Apart, since an authority one does not
    # trust still stamped these bytes.
    timestamp_ok = _whole(check) and check is not None and check.imprint_matches
    trusted = _whole(check) and check is not None and check.chain_trusted
    ok = (
        not problems
        and all(f.status == "ok" for f in files)
        and timestamp_ok
        and trusted
        and all(s.ok for s in signatures)
    )
    return PackReport(
        ok=ok,
        files=tuple(files),
        timestamp_ok=timestamp_ok,
        signatures=tuple(signatures),
        kind="zip",
        timestamp_trusted=trusted,
        timestamped_at=check.gen_time if check is not None else None,
        problems=tuple(problems),
    )


def verify_pack(data: bytes, *, trust_roots: Sequence[x509.Certificate]) -> PackReport:
    """Check a pack (the ZIP) or its combined PDF; :class:`PackError` if it is neither."""
    if data[:1024].lstrip().startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return _verify_pdf(data, trust_roots)
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise PackError(f"neither a pack (ZIP) nor a PDF: {exc}") from exc
    with archive:
        return _verify_zip(archive, trust_roots)
