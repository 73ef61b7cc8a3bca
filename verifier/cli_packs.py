"""`sceau bundle`: an evidence pack from the command line, with a progress bar.

The same path as the pages (a PackBuild row, ``run_build``, the ZIP in the blob store and the
row saying so), run in this process rather than the background pool: an operator or a script
waits for it anyway, and sees the pieces go by.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click
from flask.cli import with_appcontext

from verifier import db
from verifier.deadlines import PARIS, PROCEDURES
from verifier.i18n import translated
from verifier.instance import blob_store, keyring
from verifier.models import Person
from verifier.packs import (
    PURPOSES,
    PackInputError,
    PackOrder,
    PieceRef,
    create_build,
    person_pieces,
    run_build,
)

__all__ = ["COMMANDS"]


def _notified(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            "YYYY-MM-DDTHH:MM[+HH:MM] (Paris time without an offset)", param_hint="--notified-at"
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=PARIS)


@click.command("bundle")
@click.option("--person", "person_id", type=int, required=True, help="Person id.")
@click.option("--purpose", type=click.Choice(PURPOSES), required=True)
@click.option(
    "--piece",
    "pieces",
    multiple=True,
    metavar="certificate:ID|file:ID",
    help="A piece, in order; repeat. Without any: every certificate and file of the person.",
)
@click.option("--addressee", default="", help="The court or the prefecture.")
@click.option("--procedure", type=click.Choice(sorted(PROCEDURES)), default=None)
@click.option("--notified-at", default=None, help="ISO date-time of the notification.")
@click.option("--contested-decision", type=int, default=None, help="Stored file id (appeal).")
@click.option("--notification-proof", type=int, default=None, help="Stored file id (appeal).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@with_appcontext
def bundle_command(
    person_id: int,
    purpose: str,
    pieces: tuple[str, ...],
    addressee: str,
    procedure: str | None,
    notified_at: str | None,
    contested_decision: int | None,
    notification_proof: int | None,
    out: Path,
) -> None:
    """Build an evidence pack (ZIP) for PERSON; exit 2 on a wrong input, 1 if the build
    fails. What the appeal still lacks is printed, as the cover says it."""
    session = db.session()
    person = session.get(Person, person_id)
    if person is None:
        raise click.UsageError(f"no person {person_id}")
    if (procedure is None) != (notified_at is None):
        raise click.UsageError("--procedure and --notified-at go together")
    try:
        refs = tuple(PieceRef.parse(p) for p in pieces)
        if not refs:
            certificates, files = person_pieces(session, person)
            refs = tuple(PieceRef("certificate", c.id) for c in certificates) + tuple(
                PieceRef("file", str(f.id)) for f in files
            )
        slots = tuple(
            (slot, ident)
            for slot, ident in (
                ("contested-decision", contested_decision),
                ("notification-proof", notification_proof),
            )
            if ident is not None and purpose == "appeal"
        )
        order = PackOrder(
            purpose,
            refs,
            " ".join(addressee.split()),
            procedure,
            _notified(notified_at),
            slots,
        )
        build = create_build(session, person, None, order)
    except PackInputError as exc:
        raise click.UsageError(translated(exc.code, lang="en")) from None
    session.commit()
    for slot in build.missing.split():
        click.echo(
            translated("slot-missing", lang="en", slot=translated(f"slot-{slot}", lang="en")),
            err=True,
        )
    terminal = sys.stderr.isatty()
    with click.progressbar(
        length=build.total, label="Building the pack", show_pos=True, file=sys.stderr
    ) as bar:
        seen = 0

        def progress(done: int, total: int) -> None:
            nonlocal seen
            bar.length = total
            bar.update(max(done - seen, 0))
            seen = done
            if not terminal:  # not a terminal: one line per step, for logs and scripts
                click.echo(f"progress {done}/{total}", err=True)

        finished = run_build(build.id, keys=keyring(), blobs=blob_store(), progress=progress)
    if finished.status != "done" or finished.zip_sha256 is None:
        click.echo(f"the pack could not be built: {finished.error}", err=True)
        sys.exit(1)
    data = blob_store().get(finished.zip_sha256)
    out.write_bytes(data)
    click.echo(f"{out} ({len(data)} bytes, pack {finished.id}, sha256 {finished.zip_sha256})")


COMMANDS: list[click.Command] = [bundle_command]
