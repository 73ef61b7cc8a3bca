"""The seal page's transparency block: what a verifier needs to see of the proof, compactly.

The verdict stays the page's subject; the log block says, in one sentence, that the certificate
is in the public log, then its leaf index, the tree size and root, and keeps the audit path in a
``<details>`` element for those who check it by hand or with another implementation.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from verifier.i18n import gettext
from verifier.verification import SealCheck

__all__ = ["LogEntryView", "LogView", "log_view"]


@dataclass(frozen=True)
class LogEntryView:
    event: str  # "issue" | "revoke", machine-readable
    label: str
    leaf_index: int
    leaf_hash: str
    audit_path: tuple[str, ...]


@dataclass(frozen=True)
class LogView:
    summary: str
    tree_size: int = 0
    root_hash: str = ""
    entries: tuple[LogEntryView, ...] = ()
    revoked_note: str | None = None

    @property
    def logged(self) -> bool:
        return bool(self.entries)

    @property
    def first(self) -> LogEntryView | None:
        """The issuance leaf (a certificate's first), whose index the block shows."""
        return self.entries[0] if self.entries else None


def _day(moment_ms: int) -> str:
    moment = datetime.fromtimestamp(moment_ms / 1000, UTC)
    with contextlib.suppress(ZoneInfoNotFoundError):  # a system without tzdata: UTC
        moment = moment.astimezone(ZoneInfo("Europe/Paris"))
    return moment.strftime("%d/%m/%Y %H:%M")


def log_view(check: SealCheck) -> LogView | None:
    """None where the page shows no register facts (a seal not genuine, or unregistered)."""
    if not check.genuine or check.certificate is None:
        return None
    proofs = check.log
    if proofs is None:
        return LogView(summary=gettext("log-missing"))
    entries = tuple(
        LogEntryView(
            event=entry.leaf.event,
            label=gettext(f"log-event-{entry.leaf.event}"),
            leaf_index=entry.proof.leaf_index,
            leaf_hash=entry.proof.leaf_hash.hex(),
            audit_path=tuple(h.hex() for h in entry.proof.audit_path),
        )
        for entry in proofs.entries
    )
    revoked = any(e.event == "revoke" for e in entries)
    return LogView(
        summary=gettext("log-summary", date=_day(proofs.head.head.timestamp)),
        tree_size=proofs.head.tree_size,
        root_hash=proofs.head.root_hash.hex(),
        entries=entries,
        revoked_note=gettext("log-revoked-summary") if revoked else None,
    )
