"""`sceau worker`: run the background jobs (pack builds, e-mails) of the queue."""

from __future__ import annotations

import signal
from datetime import timedelta
from types import FrameType

import click
from flask import current_app
from flask.cli import with_appcontext

from verifier import db, jobs
from verifier.worker import Worker

__all__ = ["COMMANDS", "worker_command"]


@click.command("worker")
@click.option("--once", is_flag=True, help="Run the jobs due now, then exit.")
@click.option(
    "--concurrency",
    type=click.IntRange(min=1, max=64),
    default=1,
    show_default=True,
    help="Jobs run at the same time (threads).",
)
@click.option(
    "--lease",
    type=click.FloatRange(min=0.5),
    default=jobs.LEASE.total_seconds(),
    show_default=True,
    metavar="SECONDS",
    help="How long a job stays ours without renewal (renewed every third of it); after a "
    "crash, how long before another worker takes the job again.",
)
@click.option(
    "--poll",
    type=click.FloatRange(min=0.05),
    default=1.0,
    show_default=True,
    metavar="SECONDS",
    help="Pause between looks at an empty queue.",
)
@with_appcontext
def worker_command(once: bool, concurrency: int, lease: float, poll: float) -> None:
    """Claim and run pack builds and e-mails until SIGTERM (the job in hand finishes first).

    Run as many as needed, on as many machines: leases in the database keep them apart. A
    worker killed outright leaves its job leased; the job runs again when the lease expires.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    worker = Worker(app, lease=timedelta(seconds=lease), poll=poll, concurrency=concurrency)

    def stop(signum: int, _frame: FrameType | None) -> None:
        click.echo(f"signal {signum}: finishing the job in hand", err=True)
        worker.stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    depth = jobs.queue_depth(db.session())
    db.session().close()
    click.echo(f"worker: {depth} job(s) waiting; concurrency {concurrency}", err=True)
    ran = worker.run(once=once)
    click.echo(f"worker: {ran} job(s) run", err=True)


COMMANDS: list[click.Command] = [worker_command]
