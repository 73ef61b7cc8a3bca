"""`sceau log ...`: the transparency log from the command line.

``verify`` is the audit an operator (or anyone holding a copy of the database) runs: it rebuilds
the tree from the leaf data and exits 1 naming the first leaf where history was rewritten.
``head`` prints the current signed tree head, ``backfill`` logs what the register holds and the
log does not (certificates issued before the log existed); `sceau init` runs it and makes the
LOG key, so that an upgraded instance is complete after its first start.
"""

from __future__ import annotations

import json
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from signing.keys import KeyPurpose, KeyStore
from verifier import db, transparency
from verifier.config import settings_of
from verifier.keys import open_key_store

__all__ = ["COMMANDS", "init_log"]


def _store() -> KeyStore:
    return open_key_store(settings_of(current_app))


def _echo_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True))


def init_log(store: KeyStore) -> None:
    """The part of `sceau init` that is the log's: its signing key, then the backfill."""
    keys = store.keys(purpose=KeyPurpose.LOG)
    if keys:
        click.echo(f"log key: {keys[-1].key_id.hex()} (kept)")
    else:
        click.echo(f"log key: {store.generate(purpose=KeyPurpose.LOG).key_id.hex()} (created)")
    added = transparency.backfill(db.session(), store)
    head = transparency.latest_head(db.session())
    size = head.tree_size if head is not None else 0
    click.echo(f"transparency log: {size} leaves" + (f" ({added} backfilled)" if added else ""))


@click.group("log", cls=AppGroup)
def log_group() -> None:
    """The transparency log: verify it, print its signed tree head, backfill it."""


@log_group.command("verify")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@with_appcontext
def log_verify(as_json: bool) -> None:
    """Recompute every leaf hash from its data, the tree and every signed tree head; exit 1
    naming the first bad leaf if anything differs."""
    session = db.session()
    problems = transparency.verify_log(session, _store())
    head = transparency.latest_head(session)
    size = head.tree_size if head is not None else 0
    first = next((p.index for p in problems if p.index is not None), None)
    if as_json:
        _echo_json(
            {
                "ok": not problems,
                "tree_size": size,
                "first_bad_index": first,
                "problems": [{"index": p.index, "what": p.what} for p in problems],
            }
        )
    elif not problems:
        click.echo(f"transparency log: {size} leaves, every signed tree head consistent: OK")
    else:
        for problem in problems:
            click.echo(str(problem), err=True)
        where = f"first bad leaf: {first}" if first is not None else "the register and the log"
        click.echo(f"transparency log NOT intact ({len(problems)} problem(s); {where})", err=True)
    if problems:
        raise SystemExit(1)


@log_group.command("head")
@with_appcontext
def log_head() -> None:
    """Print the current signed tree head (JSON); exit 1 when nothing was logged yet."""
    head = transparency.latest_head(db.session())
    if head is None:
        raise click.ClickException("the transparency log is empty: nothing was issued yet")
    _echo_json(head.to_document())


@log_group.command("backfill")
@with_appcontext
def log_backfill() -> None:
    """Log the certificates and revocations of the register that the log lacks."""
    added = transparency.backfill(db.session(), _store())
    click.echo(f"{added} entries appended to the transparency log")


COMMANDS: list[click.Command] = [log_group]
