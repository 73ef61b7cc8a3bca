"""The lawyer's workspace: the nearest running appeal deadline of each client, in view."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from flask import Flask

from tests.verifier.conftest import make_person
from tests.verifier.test_portal import grant, signed_in
from verifier import db
from verifier.deadlines import PROCEDURES, deadline
from verifier.lawyer_pages import remaining_words
from verifier.models import PackBuild, Role


def _appeal(app: Flask, person_id: int, procedure: str, notified_at: datetime) -> None:
    """A pack build naming a procedure and a notification time, as the builder records it."""
    with app.app_context():
        session = db.session()
        session.add(
            PackBuild(
                person_id=person_id,
                purpose="appeal",
                status="done",
                procedure=procedure,
                notified_at=notified_at,
            )
        )
        session.commit()


def _hour_by_hour() -> str:
    return next(key for key, p in PROCEDURES.items() if p.hour_by_hour)


def _months() -> str:
    return next(key for key, p in PROCEDURES.items() if p.unit == "months")


def test_clients_are_listed_soonest_deadline_first(ready_app: Flask) -> None:
    now = datetime.now(UTC)
    quiet = make_person(ready_app, "Aaron", "Calme")  # no deadline: listed last
    later = make_person(ready_app, "Benali", "Plus-tard")
    soon = make_person(ready_app, "Cissé", "Bientot")
    past = make_person(ready_app, "Dupont", "Passe")  # only an expired deadline
    lawyer, account = signed_in(ready_app, Role.LAWYER)
    for person in (quiet, later, soon, past):
        grant(ready_app, person, account.id)
    hours = _hour_by_hour()
    span = deadline(hours, now).ends_at - now
    soon_notified = now - span + timedelta(hours=10)  # 10 hours left: urgent
    _appeal(ready_app, later, _months(), now - timedelta(days=1))
    _appeal(ready_app, soon, hours, soon_notified)
    _appeal(ready_app, soon, _months(), now - timedelta(days=3))  # a later one: not shown
    _appeal(ready_app, past, hours, now - timedelta(days=60))
    text = lawyer.get("/lawyer").get_data(as_text=True)
    order = [int(p) for p in re.findall(r'data-client="(\d+)"', text)]
    assert order[:2] == [soon, later]
    assert set(order[2:]) == {quiet, past}
    soon_row = text.split(f'data-client="{soon}"', 1)[1].split("data-client=", 1)[0]
    expected = deadline(hours, soon_notified)
    assert f'<time datetime="{expected.ends_at.isoformat()}">' in soon_row
    assert "data-urgent" in soon_row  # under 48 hours: said in words too
    assert "urgent" in soon_row
    past_row = text.split(f'data-client="{past}"', 1)[1].split("data-client=", 1)[0]
    assert "data-deadline" not in past_row


def test_the_client_page_and_the_pack_builder_keep_the_deadline_in_view(ready_app: Flask) -> None:
    person = make_person(ready_app)
    lawyer, account = signed_in(ready_app, Role.LAWYER)
    grant(ready_app, person, account.id, scopes="read packs")
    notified = datetime.now(UTC) - timedelta(hours=5)
    _appeal(ready_app, person, _hour_by_hour(), notified)
    expected = deadline(_hour_by_hour(), notified).ends_at.isoformat()
    client_page = lawyer.get(f"/lawyer/clients/{person}").get_data(as_text=True)
    top = client_page.split("<h1>", 1)[1].split("portal-certificates", 1)[0]
    assert f'data-deadline="{expected}"' in top
    assert f'href="/lawyer/clients/{person}/packs"' in client_page
    builder = lawyer.get(f"/lawyer/clients/{person}/packs").get_data(as_text=True)
    assert "deadline-box--sticky" in builder
    assert f'<time datetime="{expected}">' in builder
    arabic = lawyer.get(f"/lawyer/clients/{person}?lang=ar").get_data(as_text=True)
    assert "يتبقى" in arabic


def test_remaining_time_in_words() -> None:
    assert remaining_words(timedelta(days=2, hours=5, minutes=10)) == "Reste 2 j 5 h"
    assert remaining_words(timedelta(hours=5, minutes=20)) == "Reste 5 h 20 min"
    assert remaining_words(timedelta(minutes=12, seconds=30)) == "Reste 12 min"
    assert remaining_words(timedelta(minutes=-5)) == "Reste 0 min"
