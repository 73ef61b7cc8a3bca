"""Appeal deadlines: ONE table of procedures with their sources, and the arithmetic.

Why one table: the rules changed on 15 July 2024 (loi 2024-42, décret 2024-799) and several
were found only in secondary sources (marked ``[check]`` in ``source``); a lawyer who finds one
wrong corrects one row here, and the page, the pack's cover and the CLI all follow.

How the arithmetic is done, and why:

* Everything is in Europe/Paris: a notification at 23:30 Paris is "that day" for the court even
  when it is already the next day in UTC.
* Month deadlines run to the same day of the month (31 January + 1 month = 28/29 February:
  the end of a shorter month clamps) and end at 23:59:59 Paris on that day.
* Deadlines counted "hour by hour" (the special and priority procedures) run from the exact
  time of notification, as elapsed hours: across a change to or from summer time the wall
  clock of the end moves by an hour, the number of hours does not.
* A day-counted deadline whose last day is a Saturday, a Sunday or a public holiday moves to
  the next working day (article 642 CPC, which administrative courts apply [check]); an
  hour-by-hour one never moves.
* The result is deliberately the cautious reading: the "délai franc" of administrative
  litigation may give one more day than this (the day of notification not counted); Sceau
  never shows a later date than the law allows [check whether to add it, per rule].
"""

from __future__ import annotations

import calendar
import enum
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = [
    "HOLIDAY_RULE",
    "PARIS",
    "PROCEDURES",
    "Deadline",
    "Procedure",
    "Unit",
    "add_months",
    "deadline",
    "easter_sunday",
    "french_public_holidays",
    "is_working_day",
    "next_working_day",
]

PARIS = ZoneInfo("Europe/Paris")


class Unit(enum.StrEnum):
    MONTHS = "months"
    DAYS = "days"
    HOURS = "hours"


@dataclass(frozen=True)
class Procedure:
    """One row of the table. ``hour_by_hour`` deadlines count elapsed hours from the exact
    notification time; the others count days or months and end at midnight Paris.
    ``before`` is a first period that must elapse before the appeal period starts (a
    prefecture's silence becomes an implicit refusal)."""

    key: str
    title_fr: str  # as printed on the pack's cover (the court reads French)
    amount: int
    unit: Unit
    source: str
    hour_by_hour: bool = False
    before: tuple[int, Unit] | None = None
    before_source: str = ""
    note_fr: str = ""


# The table. Sources as DOMAIN.md gives them; "[check]" where only secondary sources were found.
PROCEDURES: dict[str, Procedure] = {
    p.key: p
    for p in (
        Procedure(
            key="oqtf",
            title_fr="OQTF avec refus de séjour, personne libre",
            amount=1,
            unit=Unit.MONTHS,
            source="CESEDA L.911-1 (loi 2024-42, décret 2024-799) [check]",
            note_fr="Le tribunal statue dans les six mois.",
        ),
        Procedure(
            key="special",
            title_fr="Procédure spéciale (assignation à résidence)",
            amount=7 * 24,
            unit=Unit.HOURS,
            source="CESEDA L.921-1 (loi 2024-42, décret 2024-799): 7 jours [check]",
            hour_by_hour=True,
            note_fr="Sept jours comptés d'heure à heure depuis la notification.",
        ),
        Procedure(
            key="priority",
            title_fr="Procédure prioritaire (rétention)",
            amount=48,
            unit=Unit.HOURS,
            source="CESEDA L.921-2 (loi 2024-42, décret 2024-799): 48 heures [check]",
            hour_by_hour=True,
            note_fr="Quarante-huit heures comptées d'heure à heure depuis la notification.",
        ),
        Procedure(
            key="refusal",
            title_fr="Refus de titre de séjour sans OQTF",
            amount=2,
            unit=Unit.MONTHS,
            source="CJA R.421-1 (deux mois) [check]",
        ),
        Procedure(
            key="silence",
            title_fr="Silence de la préfecture (refus implicite)",
            amount=2,
            unit=Unit.MONTHS,
            source="CJA R.421-2 (deux mois après la décision implicite) [check]",
            before=(4, Unit.MONTHS),
            before_source="CESEDA R.432-2: silence de quatre mois = refus implicite [check]",
            note_fr=(
                "Le délai court de la naissance du refus implicite, quatre mois après le dépôt "
                "de la demande ; il ne court que si l'accusé de réception mentionnait les voies "
                "et délais de recours (CRPA R.112-11-1) [check]."
            ),
        ),
    )
}

HOLIDAY_RULE = (
    "Un délai qui expirerait un samedi, un dimanche ou un jour férié est prorogé au premier "
    "jour ouvrable suivant (article 642 CPC, appliqué par le juge administratif [check]); "
    "jours fériés: code du travail L.3133-1 (sans les jours propres à l'Alsace-Moselle)."
)


@dataclass(frozen=True)
class Deadline:
    """The end of the period to file, with what it rests on (for the page and the cover)."""

    procedure: Procedure
    notified_at: datetime  # aware, Paris
    ends_at: datetime  # aware, Paris: the last instant to file
    unmoved_end: date  # the last day before a weekend/holiday move (== ends_at's day if none)
    implicit_decision_on: date | None = None  # "silence": when the refusal was born

    @property
    def moved(self) -> bool:
        return self.unmoved_end != self.ends_at.date()

    @property
    def ends_at_utc(self) -> datetime:
        return self.ends_at.astimezone(UTC)

    def remaining(self, now: datetime) -> timedelta:
        return self.ends_at - now

    def lines_fr(self) -> tuple[str, ...]:
        """What the cover says of the deadline, in French, with the sources."""
        lines = [
            f"Délai de recours ({self.procedure.title_fr}) : jusqu'au "
            f"{self.ends_at:%d/%m/%Y à %H:%M} (heure de Paris) — {self.procedure.source}",
            f"Point de départ : notification le {self.notified_at:%d/%m/%Y à %H:%M}.",
        ]
        if self.implicit_decision_on is not None:
            lines.append(
                f"Refus implicite né le {self.implicit_decision_on:%d/%m/%Y} — "
                f"{self.procedure.before_source}"
            )
        if self.moved:
            lines.append(
                f"Le {self.unmoved_end:%d/%m/%Y} n'étant pas un jour ouvrable, le délai est "
                f"prorogé. {HOLIDAY_RULE}"
            )
        if self.procedure.note_fr:
            lines.append(self.procedure.note_fr)
        return tuple(lines)


# ----------------------------------------------------------------------------- calendar


def easter_sunday(year: int) -> date:
    """Gregorian Easter (the anonymous algorithm of Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def french_public_holidays(year: int) -> dict[date, str]:
    """The eleven public holidays of code du travail L.3133-1 for ``year``."""
    easter = easter_sunday(year)
    return {
        date(year, 1, 1): "Jour de l'an",
        easter + timedelta(days=1): "Lundi de Pâques",
        date(year, 5, 1): "Fête du travail",
        date(year, 5, 8): "Victoire 1945",
        easter + timedelta(days=39): "Ascension",
        easter + timedelta(days=50): "Lundi de Pentecôte",
        date(year, 7, 14): "Fête nationale",
        date(year, 8, 15): "Assomption",
        date(year, 11, 1): "Toussaint",
        date(year, 11, 11): "Armistice 1918",
        date(year, 12, 25): "Noël",
    }


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in french_public_holidays(day.year)


def next_working_day(day: date) -> date:
    """``day`` itself if it is a working day, else the first one after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later; the last day of the month when that month is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _add(day: date, amount: int, unit: Unit) -> date:
    if unit is Unit.MONTHS:
        return add_months(day, amount)
    if unit is Unit.DAYS:
        return day + timedelta(days=amount)
    raise ValueError(f"{unit} is not a day-counted unit")


def _end_of_day(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=PARIS)


# ----------------------------------------------------------------------------- deadline


def deadline(procedure: str | Procedure, notified_at: datetime) -> Deadline:
    """The end of the filing period of ``procedure`` for a notification at ``notified_at``
    (aware; for "silence", the moment the request was filed). KeyError for an unknown
    procedure, ValueError for a naive datetime (the hour matters: give its zone)."""
    rule = procedure if isinstance(procedure, Procedure) else PROCEDURES[procedure]
    if notified_at.tzinfo is None or notified_at.utcoffset() is None:
        raise ValueError("notified_at must carry its time zone")
    notified = notified_at.astimezone(PARIS)
    if rule.hour_by_hour:
        if rule.unit is not Unit.HOURS:  # pragma: no cover - a table error
            raise ValueError(f"{rule.key}: hour by hour needs hours")
        # Elapsed time, computed in UTC: a DST change does not add or remove an hour.
        end = (notified.astimezone(UTC) + timedelta(hours=rule.amount)).astimezone(PARIS)
        return Deadline(rule, notified, end, end.date())
    start = notified.date()
    born = None
    if rule.before is not None:
        born = _add(start, *rule.before)
        start = born
    last = _add(start, rule.amount, rule.unit)
    return Deadline(rule, notified, _end_of_day(next_working_day(last)), last, born)
