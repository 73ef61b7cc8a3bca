"""The timeline PDF: gaps first, searchable text, long chronologies flow onto more pages."""

from __future__ import annotations

from datetime import date, timedelta

import pypdfium2

from bundles.timeline import Gap, Severity, TimelineEvent, render_timeline

DAY = date(2026, 3, 2)
NAME = "HADDAD Amina"
CRITICAL = Gap(
    severity=Severity.CRITICAL,
    title="Pas de convocation de l'OFII 45 jours après la validation du VLS-TS",
    message="Aucune convocation de l'OFII dans les 45 jours suivant la validation du VLS-TS.",
    dates=(date(2026, 1, 2), date(2026, 2, 16)),
    due=date(2026, 2, 16),
)
WARNING = Gap(
    severity=Severity.WARNING,
    message="Lettre recommandée envoyée sans accusé de réception après 15 jours.",
    dates=(date(2026, 2, 1),),
)


def _pages(pdf: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [" ".join(page.get_textpage().get_text_range().split()) for page in document]
    finally:
        document.close()


def test_gaps_come_first_then_the_chronology_with_marked_events() -> None:
    events = [
        TimelineEvent(on=date(2026, 2, 1), label="Courrier envoyé à l'OFII", gaps=(2,)),
        TimelineEvent(
            on=date(2026, 1, 2),
            label="Validation du VLS-TS",
            source="Attestation AEBA-GBAF-AYDQ-QCIK-BMGA",
            gaps=(1,),
        ),
        TimelineEvent(on=date(2026, 1, 20), time="09:30", label="Rendez-vous : visite médicale"),
    ]
    pdf = render_timeline(NAME, events, [CRITICAL, WARNING], generated_on=DAY)
    assert pdf.startswith(b"%PDF-")
    [text] = _pages(pdf)
    assert NAME in text
    assert "Établie le 02/03/2026" in text
    # The summary box, numbered, severity in words, before the chronology.
    gaps_at = text.index("Points d'attention")
    assert gaps_at < text.index("1. CRITIQUE") < text.index(CRITICAL.title)
    assert text.index(CRITICAL.title) < text.index(CRITICAL.message)
    assert "2. À VÉRIFIER" in text
    assert WARNING.message in text
    assert "Dates : 02/01/2026, 16/02/2026" in text
    chronology = text.index("Chronologie", gaps_at)
    assert chronology > text.index(WARNING.message)
    # Events in date order, whatever order they were given in; marked ones say which gap.
    body = text[chronology:]
    assert body.index("02/01/2026") < body.index("20/01/2026") < body.index("01/02/2026")
    assert "09:30" in body
    assert "Point d'attention n° 1" in body
    assert "Point d'attention n° 2" in body
    # The day the first gap opened has its marker line, with its title (or, without one,
    # its message).
    assert body.index("16/02/2026") > body.index("01/02/2026")
    assert f"Point d'attention n° 1 : {CRITICAL.title}" in body
    # A long verification code is cut to fit its column, never lost.
    assert "AEBA-GBAF-AYDQ" in body.replace(" ", "")
    assert "page 1 / 1" in text


def test_no_gap_and_no_event_are_said_in_words() -> None:
    [text] = _pages(render_timeline(NAME, [], [], generated_on=DAY, language="en"))
    assert "No gap found by Sceau's rules on this day." in text
    assert "No event recorded." in text
    assert "Generated on 02/03/2026" in text


def test_arabic_gets_french_because_arabic_cannot_be_shaped_here() -> None:
    [text] = _pages(render_timeline(NAME, [], [CRITICAL], generated_on=DAY, language="ar"))
    assert "Chronologie du dossier" in text
    assert "CRITIQUE" in text


def test_a_long_timeline_flows_onto_more_pages_each_numbered() -> None:
    events = [
        TimelineEvent(
            on=DAY - timedelta(days=n),
            label=f"Événement numéro {n:03d} avec un libellé assez long pour tenir sur deux "
            "lignes dans la colonne des événements de la chronologie",
            detail="Détail du fait",
            source=f"Courrier n° {n}",
        )
        for n in range(150)
    ]
    gaps = [CRITICAL] * 12  # even the summary box may take more than a page
    pages = _pages(render_timeline(NAME, events, gaps, generated_on=DAY))
    total = len(pages)
    assert total >= 4
    for number, text in enumerate(pages, start=1):
        assert f"page {number} / {total}" in text
    everything = " ".join(pages)
    for n in range(150):
        assert f"Événement numéro {n:03d}" in everything
    # The column heads are repeated on the pages the table flows onto.
    assert all("Date Heure Événement Source" in text for text in pages[-2:])
