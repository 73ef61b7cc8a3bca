"""The QR symbol stays small enough to scan at the first try (issue 2's density goal)."""

from __future__ import annotations

import qrcode
import qrcode.constants

from signing.keys import KeyInfo
from signing.seal import CertificateType, encode
from tests.signing.conftest import make_claims
from tests.signing.memory_store import MemoryKeyStore

BASE_30 = "https://verifier.sceau.ofii.fr"  # 30 characters
NAME_40 = ("Abdelkader-Benyamina", "Mohammed Rachid Ali")  # 19 + 1 + 20 = 40 characters


def qr_version(data: str, level: int) -> int:
    code = qrcode.QRCode(error_correction=level)
    code.add_data(data)
    code.make(fit=True)
    assert code.version is not None
    return int(code.version)


def test_inputs_have_the_sizes_the_goal_names() -> None:
    assert len(BASE_30) == 30
    assert len(" ".join(NAME_40)) == 40


def test_seal_url_fits_qr_version_12_at_level_m(store: MemoryKeyStore, seal_key: KeyInfo) -> None:
    # The worst case the format allows besides names: the longest office code, an end date.
    claims = make_claims(
        certificate_type=CertificateType.FAMILY_REUNIFICATION_DEPOSIT,
        family_name=NAME_40[0],
        given_names=NAME_40[1],
        office="DT-SEINE-ST-DENI",
    )
    url = encode(claims, store, seal_key.key_id, base_url=BASE_30)
    assert set(url) <= set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"), (
        "left alphanumeric mode"
    )
    assert qr_version(url, qrcode.constants.ERROR_CORRECT_M) <= 12
