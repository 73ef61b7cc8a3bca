"""telerecours_name: the one rule for PJ{N}_{Label}.pdf, over any label a person may type."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bundles.pack import telerecours_name
from tests.bundles.pack_helpers import HOSTILE_LABELS

RULE = re.compile(r"PJ(\d+)_([A-Za-z0-9_-]+)\.pdf")


def _obeys(number: int, label: str) -> str:
    name = telerecours_name(number, label)
    match = RULE.fullmatch(name)
    assert match is not None, name
    assert name.isascii()
    assert len(name) <= 80
    assert int(match.group(1)) == number
    assert match.group(2).strip("_-"), name  # never an empty label part
    assert name.count(".") == 1  # the extension's dot only
    assert telerecours_name(number, label) == name  # deterministic
    return name


@given(st.integers(min_value=1, max_value=10**6), st.text(max_size=400))
def test_any_label_gives_a_valid_name(number: int, label: str) -> None:
    _obeys(number, label)


@given(
    st.integers(min_value=1, max_value=999),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=0, max_size=120),
)
def test_any_script_gives_a_valid_name(number: int, label: str) -> None:
    _obeys(number, label)


@pytest.mark.parametrize("label", HOSTILE_LABELS)
def test_hostile_labels(label: str) -> None:
    _obeys(7, label)


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Décision attaquée", "PJ1_Decision_attaquee.pdf"),
        ("Accusé de réception / LRAR & 100 %", "PJ1_Accuse_de_reception_LRAR_100.pdf"),
        ("Cœur d'œuvre — Straße", "PJ1_Coeur_d_oeuvre_Strasse.pdf"),
        ("rapport.final.v2", "PJ1_rapport_final_v2.pdf"),
        ("قرار الرفض", "PJ1_Piece.pdf"),
        ("", "PJ1_Piece.pdf"),
        ("   ///   ", "PJ1_Piece.pdf"),
        ("avis-medical_OFII", "PJ1_avis-medical_OFII.pdf"),
    ],
)
def test_examples(label: str, expected: str) -> None:
    assert telerecours_name(1, label) == expected


def test_a_300_character_label_is_cut_to_80() -> None:
    name = telerecours_name(12, "x" * 300)
    assert len(name) == 80
    assert name.startswith("PJ12_xxx")


def test_a_cut_never_ends_on_a_separator() -> None:
    label = "a" * 71 + " b"  # 72 characters of room: the cut falls just after the space
    assert telerecours_name(1, label) == "PJ1_" + "a" * 71 + ".pdf"


@pytest.mark.parametrize("number", [0, -1, True, 10**80])
def test_impossible_numbers_are_refused(number: int) -> None:
    with pytest.raises(ValueError, match=r"piece number|positive integer"):
        telerecours_name(number, "x")
