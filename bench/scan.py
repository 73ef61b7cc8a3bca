"""Seals read from simulated photos of a printed certificate: verifier/scan.py against zxing-cpp
called once with its defaults (the anchor), on the same images.

Each image is the certificate page printed at 300 dpi, turned on the desk, out of focus and
photographed small (the whole A4 page 600 to 1400 pixels wide), saved as JPEG quality 70. The
ratio is images read by scan.py over images read by the anchor; the time is per image.

    .venv/bin/python bench/scan.py
"""

from __future__ import annotations

import contextlib
import io
import statistics
import tempfile
import time
from pathlib import Path

import pypdfium2
import zxingcpp
from PIL import Image, ImageFilter

from bundles.certificate import render_certificate
from bundles.certificate.samples import sample_document
from signing.keys import FileKeyStore, KeyPurpose
from signing.seal import CertificateType, encode
from verifier.errors import ScanError
from verifier.scan import seal_from_image

WIDTHS = (600, 800, 1000, 1400)
BLURS = (0.5, 1.5, 2.5, 3.5)
ANGLES = (0, 7, 33)


def main() -> None:
    store = FileKeyStore(Path(tempfile.mkdtemp()) / "keys", passphrase=b"bench")
    key = store.generate(purpose=KeyPurpose.SEAL)
    document = sample_document(CertificateType.CIVIC_TRAINING)
    url = encode(document.claims, store, key.key_id, base_url="https://sceau.ofii.fr")
    pdf = pypdfium2.PdfDocument(render_certificate(document, url))
    printed = pdf[0].render(scale=300 / 72).to_pil().convert("RGB")
    pdf.close()
    anchor = ours = 0
    times: list[float] = []
    total = 0
    for width in WIDTHS:
        for blur in BLURS:
            for angle in ANGLES:
                turned = printed.rotate(
                    angle, Image.Resampling.BICUBIC, expand=True, fillcolor="white"
                )
                soft = turned.filter(ImageFilter.GaussianBlur(blur))
                small = soft.resize((width, round(soft.height * width / soft.width)))
                out = io.BytesIO()
                small.save(out, "JPEG", quality=70)
                data = out.getvalue()
                total += 1
                plain = zxingcpp.read_barcodes(Image.open(io.BytesIO(data)).convert("L"))
                anchor += any(code.text == url for code in plain)
                start = time.perf_counter()
                with contextlib.suppress(ScanError):
                    ours += seal_from_image(data) == url
                times.append(time.perf_counter() - start)
    print(f"images: {total}; zxing defaults read {anchor}, scan.py read {ours}")
    print(f"ratio scan.py / anchor: {ours / max(anchor, 1):.2f}")
    print(
        f"time per image: median {statistics.median(times) * 1000:.0f} ms, "
        f"max {max(times) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
