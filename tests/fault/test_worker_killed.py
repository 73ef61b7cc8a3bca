"""kill -9 of a `sceau worker` in the middle of a pack build, then another worker: the lawyer
gets exactly one pack (one ZIP, one build row done) and `sceau gc` leaves no orphan blob."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import func, select

from tests.fault.conftest import Instance, kill_9, wait_for_marker
from tests.verifier.conftest import make_person, store_letter
from verifier import db
from verifier.db import utcnow
from verifier.instance import blob_store
from verifier.models import Job, JobState, PackBuild, PackBuildStatus, Person
from verifier.packs import PackOrder, PieceRef, create_build
from verifier.worker import Worker


def queue_a_build(instance: Instance) -> int:
    """What the pack page does: a stored letter in a person's file, a build row and its job."""
    person_id = make_person(instance.app)
    with instance.app.app_context():
        session = db.session()
        stored = store_letter(session, person_id, "Lettre à la préfecture", 2)
        person = session.get(Person, person_id)
        assert person is not None
        order = PackOrder(purpose="renewal", pieces=(PieceRef.parse(f"file:{stored.id}"),))
        build = create_build(session, person, None, order)
        session.commit()
        return build.id


def test_a_worker_killed_mid_build_leaves_one_pack_after_the_retry(
    instance: Instance, tmp_path: Path
) -> None:
    build_id = queue_a_build(instance)
    before = instance.blob_keys()
    marker, log = tmp_path / "paused", tmp_path / "worker-1.log"

    # The first worker writes the ZIP, then is killed before the row says done.
    first = instance.start(
        "worker", "--lease", "2", "--poll", "0.1", pause="pack-after-blob", marker=marker, log=log
    )
    try:
        wait_for_marker(marker, first, log)
    finally:
        kill_9(first)

    with instance.app.app_context():
        session = db.session()
        job = session.scalars(select(Job).where(Job.pack_build_id == build_id)).one()
        build = session.get(PackBuild, build_id)
        assert build is not None
        assert (job.state, job.attempts) == (JobState.RUNNING, 1)  # leased by a dead process
        assert build.status == PackBuildStatus.RUNNING
        assert build.zip_sha256 is None
        lease_ends = job.locked_until
        assert lease_ends is not None
    (orphan,) = instance.blob_keys() - before  # the first attempt's ZIP, named by no row

    # Nobody renews the dead worker's lease; once it has run out, the next worker builds.
    time.sleep(max(0.0, (lease_ends - utcnow()).total_seconds()) + 0.2)
    second = instance.sceau("worker", "--once", "--lease", "2")
    assert "1 job(s) run" in second.stderr

    with instance.app.app_context():
        session = db.session()
        job = session.scalars(select(Job).where(Job.pack_build_id == build_id)).one()
        assert (job.state, job.attempts, job.locked_by) == (JobState.DONE, 2, None)
        builds = session.scalars(select(PackBuild)).all()
        assert [(b.id, b.status) for b in builds] == [(build_id, PackBuildStatus.DONE)]
        zip_key = builds[0].zip_sha256
        assert zip_key is not None
        assert session.scalar(select(func.count()).select_from(Job)) == 1

    gc = instance.app.test_cli_runner().invoke(args=["gc", "--older-than", "0"])
    assert gc.exit_code == 0, gc.output
    removed = gc.output
    left = instance.blob_keys()
    assert left == before | {zip_key}  # the pack, the letter; nothing else
    if orphan != zip_key:
        assert "1 orphan blob(s) removed" in removed
    with instance.app.app_context():
        assert blob_store().get(zip_key)[:2] == b"PK"

    # A third worker finds nothing to redo: a finished build is never built again.
    assert Worker(instance.app).run(once=True) == 0
    assert instance.blob_keys() == left
