"""No words written straight into a template: every text a person reads goes through ``_()``,
so that the Arabic page has no French left in it. Text nodes and the attributes people read
(alt, title, aria-label, placeholder) are checked once the Jinja expressions are taken out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
LETTER = re.compile(r"[^\W\d_]")
READ_ATTRIBUTES = re.compile(r"\b(alt|title|aria-label|placeholder)=\"([^\"]*)\"")
# Not words of a language: the name of the service, URL paths, the shape of a code to type,
# a country code given as an example.
NOT_WORDS = {"Sceau", "XXXX-XXXX-XXXX-XXXX", "SEN"}


def literal_texts(source: str) -> list[str]:
    text = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", " ", source, flags=re.S)
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
    found = [
        value
        for _, value in READ_ATTRIBUTES.findall(text)
        if LETTER.search(value) and value not in NOT_WORDS
    ]
    for line in re.sub(r"<[^>]*>", "\n", text).splitlines():
        words = [w.strip("()·—:,;.«»\"'") for w in line.split()]
        if any(LETTER.search(w) and w not in NOT_WORDS and not w.startswith("/") for w in words):
            found.append(line.strip())
    return found


@pytest.mark.parametrize(
    "template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES))
)
def test_no_untranslated_words(template: Path) -> None:
    assert literal_texts(template.read_text(encoding="utf-8")) == []


def test_the_check_sees_words_in_text_and_in_attributes() -> None:
    assert literal_texts("<p>Bonjour {{ name }}</p>") == ["Bonjour"]
    assert literal_texts('<img alt="Valide" src="x">') == ["Valide"]
    assert literal_texts('<p>{{ _("hello") }} <code>/api/v1</code> Sceau</p>') == []
