"""Pages of the timeline area (issue 6): a person's chronology, gaps first, and its PDF.

Three doors to the same timeline, one per role, each behind the one access rule
(``open_file`` -> ``may_open_file``): the migrant their own file only (no person id in the URL),
a lawyer the files of clients whose mandate (scope read) is live now, an OFII agent the files of
their office. Any other id answers 404, like an id that does not exist. A lawyer's or agent's
viewing or download is recorded (FileAccess + audit), so the migrant sees who looked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import Blueprint, abort, make_response, render_template, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session

from verifier import db
from verifier.access import may_open_file, record_access
from verifier.accounts import require_role
from verifier.i18n import gettext
from verifier.models import Person, Role, User
from verifier.portal_pages import current_user_or_403, format_day, no_store, open_file
from verifier.timeline import Severity, Timeline, build_timeline, timeline_pdf

__all__ = ["GapView", "RowView", "bp"]

bp = Blueprint("timeline", __name__)
bp.after_request(no_store)

_ICONS = {Severity.CRITICAL: "stop.svg", Severity.WARNING: "warning.svg"}


@dataclass(frozen=True)
class GapView:
    number: int
    rule: str
    severity: str
    severity_words: str
    icon: str
    title: str
    message: str
    dates: str


@dataclass(frozen=True)
class RowView:
    """A line of the chronology: an event, or the marker of the day a gap opened."""

    day: str
    time: str
    kind: str
    label: str
    detail: str
    source: str
    source_ref: str  # "type:id", for tests and scripts
    gaps: tuple[int, ...]
    severity: str  # "" unless the line is marked
    severity_words: str
    icon: str


def _gap_views(timeline: Timeline) -> list[GapView]:
    return [
        GapView(
            number=number,
            rule=gap.rule,
            severity=str(gap.severity),
            severity_words=gettext(f"timeline-severity-{gap.severity}"),
            icon=_ICONS[gap.severity],
            title=gap.title,
            message=gap.message,
            dates=", ".join(format_day(d) for d in gap.dates),
        )
        for number, gap in enumerate(timeline.gaps, start=1)
    ]


def _row_views(timeline: Timeline) -> list[RowView]:
    """Events and gap markers in date order (a marker after the events of its day)."""
    keyed: list[tuple[tuple[date, int, str, int], RowView]] = []
    for index, event in enumerate(timeline.events):
        numbers = timeline.gap_numbers(event)
        worst = min(
            (timeline.gaps[n - 1].severity for n in numbers),
            key=lambda s: 0 if s is Severity.CRITICAL else 1,
            default=None,
        )
        row = RowView(
            day=format_day(event.on),
            time=event.time,
            kind=event.kind,
            label=event.label,
            detail=event.detail,
            source=event.source_label,
            source_ref=f"{event.source.type}:{event.source.id}",
            gaps=numbers,
            severity=str(worst) if worst else "",
            severity_words=gettext(f"timeline-severity-{worst}") if worst else "",
            icon=_ICONS[worst] if worst else "",
        )
        keyed.append(((event.on, 0, event.time, index), row))
    for number, gap in enumerate(timeline.gaps, start=1):
        if gap.due is None:
            continue
        row = RowView(
            day=format_day(gap.due),
            time="",
            kind="gap",
            label=gap.title,
            detail="",
            source="",
            source_ref=f"gap:{gap.rule}",
            gaps=(number,),
            severity=str(gap.severity),
            severity_words=gettext(f"timeline-severity-{gap.severity}"),
            icon=_ICONS[gap.severity],
        )
        keyed.append(((gap.due, 1, "", number), row))
    return [row for _, row in sorted(keyed, key=lambda pair: pair[0])]


def _page(session: Session, person: Person, *, pdf_url: str, back_url: str, staff: bool) -> str:
    timeline = build_timeline(session, person)
    return render_template(
        "timeline/timeline.html",
        person=person,
        timeline=timeline,
        gaps=_gap_views(timeline),
        rows=_row_views(timeline),
        pdf_url=pdf_url,
        back_url=back_url,
        staff=staff,
    )


def _pdf(session: Session, person: Person) -> ResponseReturnValue:
    response = make_response(timeline_pdf(session, person))
    response.headers["Content-Type"] = "application/pdf"
    name = f"sceau-chronologie-{person.id}-{date.today().isoformat()}.pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# ----------------------------------------------------------------------------- migrant


def _my_person(session: Session, user: User) -> Person:
    """The migrant's own person record (an account not linked to one has no file: 403, as
    in the portal)."""
    person = session.get(Person, user.person_id) if user.person_id is not None else None
    if person is None or not may_open_file(session, user, person):
        abort(403)
    return person


@bp.get("/my/timeline")
@require_role(Role.MIGRANT)
def mine() -> ResponseReturnValue:
    session = db.session()
    person = _my_person(session, current_user_or_403())
    return _page(
        session,
        person,
        pdf_url=url_for("timeline.mine_pdf"),
        back_url=url_for("portal.home"),
        staff=False,
    )


@bp.get("/my/timeline.pdf")
@require_role(Role.MIGRANT)
def mine_pdf() -> ResponseReturnValue:
    session = db.session()
    return _pdf(session, _my_person(session, current_user_or_403()))


# ----------------------------------------------------------------------------- lawyer, agent


def _staff_page(person_id: int, pdf_endpoint: str, back_endpoint: str) -> ResponseReturnValue:
    """The timeline of someone else's file (a client's, or one the agent's office holds):
    opened through the one access rule, and recorded for the migrant to see."""
    session = db.session()
    user = current_user_or_403()
    person = open_file(session, user, person_id)
    record_access(session, user, person, action="view", object_type="timeline", object_id=person.id)
    page = _page(
        session,
        person,
        pdf_url=url_for(pdf_endpoint, person_id=person.id),
        back_url=url_for(back_endpoint, person_id=person.id),
        staff=True,
    )
    session.commit()
    return page


def _staff_pdf(person_id: int) -> ResponseReturnValue:
    session = db.session()
    user = current_user_or_403()
    person = open_file(session, user, person_id)
    response = _pdf(session, person)
    record_access(
        session, user, person, action="download", object_type="timeline", object_id=person.id
    )
    session.commit()
    return response


@bp.get("/lawyer/clients/<int:person_id>/timeline")
@require_role(Role.LAWYER)
def client(person_id: int) -> ResponseReturnValue:
    return _staff_page(person_id, "timeline.client_pdf", "lawyer.client")


@bp.get("/lawyer/clients/<int:person_id>/timeline.pdf")
@require_role(Role.LAWYER)
def client_pdf(person_id: int) -> ResponseReturnValue:
    return _staff_pdf(person_id)


@bp.get("/agent/persons/<int:person_id>/timeline")
@require_role(Role.OFII_AGENT)
def person(person_id: int) -> ResponseReturnValue:
    return _staff_page(person_id, "timeline.person_pdf", "agent.person")


@bp.get("/agent/persons/<int:person_id>/timeline.pdf")
@require_role(Role.OFII_AGENT)
def person_pdf(person_id: int) -> ResponseReturnValue:
    return _staff_pdf(person_id)
