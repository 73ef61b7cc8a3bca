"""The seal QR code drawn as vector modules: sharp at any print size, a few hundred bytes.

The module matrix comes from zxing-cpp's encoder (C++), which Sceau already uses to read QR
codes from photos: it picks the same smallest version and mode as the `qrcode` package, and its
mask search takes 0.6 ms where `qrcode`'s pure-Python one took 10 ms, a quarter of the time to
issue a certificate (bench/issue.py).
"""

from __future__ import annotations

from typing import Any

import zxingcpp

__all__ = ["QUIET_ZONE", "draw_qr", "qr_matrix"]

QUIET_ZONE = 4  # modules of white around the symbol, as ISO/IEC 18004 requires


def qr_matrix(data: str) -> list[list[bool]]:
    """Modules of the smallest symbol at level M, quiet zone included (True = dark)."""
    symbol = zxingcpp.create_barcode(data, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = symbol.to_image(scale=1, add_quiet_zones=False)
    size = image.shape[0]
    # zxingcpp.Image is a buffer of 8-bit pixels (0 = dark); its stub does not declare it.
    raw = bytes(memoryview(image))  # type: ignore[arg-type]
    blank = [False] * (size + 2 * QUIET_ZONE)
    rows = [list(blank) for _ in range(QUIET_ZONE)]
    for start in range(0, size * size, size):
        margin = [False] * QUIET_ZONE
        rows.append(margin + [value == 0 for value in raw[start : start + size]] + margin)
    rows.extend(list(blank) for _ in range(QUIET_ZONE))
    return rows


def draw_qr(canvas: Any, data: str, *, x: float, y: float, size: float) -> int:
    """Draw the symbol with its quiet zone in a ``size`` square whose lower-left is (x, y).

    All dark modules go into one path filled at once, so that rasterisers leave no hairline
    seams between neighbouring modules. Returns the QR version.
    """
    matrix = qr_matrix(data)
    count = len(matrix)
    module = size / count
    canvas.saveState()
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    path = canvas.beginPath()
    for row_index, row in enumerate(matrix):
        top = y + size - (row_index + 1) * module
        column = 0
        while column < count:
            if not row[column]:
                column += 1
                continue
            start = column
            while column < count and row[column]:
                column += 1
            path.rect(x + start * module, top, (column - start) * module, module)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
    return (count - 2 * QUIET_ZONE - 17) // 4
