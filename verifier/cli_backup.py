"""`sceau backup DEST` and `sceau restore SRC` (verifier/backup.py says what an archive holds)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from verifier import db
from verifier.backup import BackupError, backup, restore
from verifier.blobs import BlobStoreError
from verifier.config import Settings, settings_of
from verifier.instance import blob_store, forget_keyring

__all__ = ["COMMANDS"]


def _current_settings() -> Settings:
    return settings_of(current_app)


@click.command("backup")
@click.argument("destination", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--without-private-keys",
    is_flag=True,
    help="Leave out the encrypted key files too (keys come back by the key ceremony).",
)
@with_appcontext
def backup_command(destination: Path, without_private_keys: bool) -> None:
    """Write one archive (tar) of the database, the blobs rows name and the key metadata.

    Never a private key in clear: key files go in as they are at rest (encrypted under the
    instance passphrase, which is never included) or, with --without-private-keys, not at all.
    """
    try:
        report = backup(
            destination,
            engine=db.engine(),
            blobs=blob_store(),
            settings=_current_settings(),
            with_private_keys=not without_private_keys,
        )
    except (BackupError, BlobStoreError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"backup written to {report.path}: {sum(report.rows.values())} row(s) in "
        f"{len(report.rows)} table(s), {report.blobs} blob(s), {len(report.files)} key file(s)"
    )


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--force",
    is_flag=True,
    help="Replace the rows of a non-empty database (key folders are moved aside, not deleted).",
)
@with_appcontext
def restore_command(source: Path, force: bool) -> None:
    """Restore an archive of `sceau backup` into an empty instance and database.

    Every member's SHA-256 is checked before anything is written; the rows go in one
    transaction, so a refused or failed restore leaves nothing half done.
    """
    try:
        report = restore(
            source,
            engine=db.engine(),
            blobs=blob_store(),
            settings=_current_settings(),
            force=force,
        )
    except (BackupError, BlobStoreError) as exc:
        raise click.ClickException(str(exc)) from None
    forget_keyring()
    click.echo(
        f"restored from {source}: {sum(report.rows.values())} row(s), {report.blobs} blob(s), "
        f"{len(report.files)} key file(s); check with `sceau audit verify` and `sceau log verify`"
    )


COMMANDS: list[click.Command] = [backup_command, restore_command]
