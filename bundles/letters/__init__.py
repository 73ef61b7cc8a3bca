"""Letters printed for a person: for now the activation letter of a migrant's account.

    pdf = build_activation_letter(letter, pdf_signer=signer)

A pure function of its inputs: the service issues the code and chooses the address; this
package only lays the page out and has it signed, so that a letter is checked like any other
OFII document (a changed code or address breaks the signature).
"""

from __future__ import annotations

from pyhanko.sign.timestamps.api import TimeStamper

from bundles.letters.activation import QR_SIZE, ActivationLetter, render_activation_letter
from signing.pades import KeyStoreSigner, sign_pdf

__all__ = ["QR_SIZE", "ActivationLetter", "build_activation_letter", "render_activation_letter"]


def build_activation_letter(
    letter: ActivationLetter,
    *,
    pdf_signer: KeyStoreSigner,
    timestamper: TimeStamper | None = None,
) -> bytes:
    """The letter, PAdES-signed by the document-signing key (B-B, or B-T with a TSA)."""
    return sign_pdf(
        render_activation_letter(letter),
        pdf_signer,
        reason="Lettre d'activation OFII — OFII activation letter",
        location=letter.office_name,
        timestamper=timestamper,
    )
