"""A real, local RFC 3161 authority for tests: ``openssl ts -reply`` with a throwaway TSA.

The TSA certificate (EC P-256, critical EKU timeStamping, not a CA) is issued by a throwaway
root made here with ``cryptography``; the openssl configuration is written in a temporary
folder. It satisfies ``bundles.pack.Timestamper``.
"""

from __future__ import annotations

import subprocess
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

_CONFIG = """\
[ tsa ]
default_tsa = sceau_test_tsa

[ sceau_test_tsa ]
dir = {folder}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
certs = $dir/chain.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


class OpensslTsa:
    def __init__(self, folder: Path, openssl: str = "openssl") -> None:
        self.folder = folder
        self.openssl = openssl
        folder.mkdir(parents=True, exist_ok=True)
        now = datetime.now(UTC) - timedelta(minutes=5)
        root_key = ec.generate_private_key(ec.SECP256R1())
        self.root = (
            x509.CertificateBuilder()
            .subject_name(_name("Sceau test TSA root"))
            .issuer_name(_name("Sceau test TSA root"))
            .public_key(root_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(now + timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(False, False, False, False, False, True, True, False, False),
                critical=True,
            )
            .sign(root_key, hashes.SHA256())
        )
        key = ec.generate_private_key(ec.SECP256R1())
        self.certificate = (
            x509.CertificateBuilder()
            .subject_name(_name("Sceau test TSA"))
            .issuer_name(self.root.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(now + timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
            )
            .sign(root_key, hashes.SHA256())
        )
        pem = serialization.Encoding.PEM
        (folder / "tsa.key").write_bytes(
            key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        )
        (folder / "tsa.pem").write_bytes(self.certificate.public_bytes(pem))
        (folder / "chain.pem").write_bytes(self.chain_pem())
        (folder / "serial").write_text("01\n")
        (folder / "tsa.cnf").write_text(_CONFIG.format(folder=folder))
        self.calls = 0

    def chain_pem(self) -> bytes:
        pem = serialization.Encoding.PEM
        return self.certificate.public_bytes(pem) + self.root.public_bytes(pem)

    def stamp(self, data: bytes) -> bytes:
        self.calls += 1
        with tempfile.TemporaryDirectory() as work:
            folder = Path(work)
            (folder / "data").write_bytes(data)
            subprocess.run(
                [
                    self.openssl,
                    "ts",
                    "-query",
                    "-data",
                    str(folder / "data"),
                    "-sha256",
                    "-cert",
                    "-out",
                    str(folder / "request.tsq"),
                ],
                check=True,
                capture_output=True,
            )
            subprocess.run(
                [
                    self.openssl,
                    "ts",
                    "-reply",
                    "-config",
                    str(self.folder / "tsa.cnf"),
                    "-queryfile",
                    str(folder / "request.tsq"),
                    "-out",
                    str(folder / "reply.tsr"),
                ],
                check=True,
                capture_output=True,
            )
            return (folder / "reply.tsr").read_bytes()


def _piece_pdf(text: str, pages: int, *, rotate: int = 0, landscape: bool = False) -> bytes:
    from io import BytesIO

    import pikepdf
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.pagesizes import landscape as turned
    from reportlab.pdfgen.canvas import Canvas

    size = turned(A4) if landscape else A4
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=size, invariant=True)
    for number in range(pages):
        # Content up to the very edges: a stamp on top of it would be seen.
        canvas.setFont("Helvetica", 11)
        canvas.drawString(2, size[1] - 12, f"{text} TOPLINE {number + 1}")
        canvas.drawString(72, size[1] / 2, f"{text} (page {number + 1})")
        canvas.drawString(2, 3, f"{text} BOTTOMLINE {number + 1}")
        canvas.showPage()
    canvas.save()
    if not rotate:
        return buffer.getvalue()
    with pikepdf.open(BytesIO(buffer.getvalue())) as pdf:
        for page in pdf.pages:
            page.obj.Rotate = rotate
        out = BytesIO()
        pdf.save(out)
        return out.getvalue()


HOSTILE_LABELS = (
    "Décision attaquée",
    "Accusé de réception / LRAR n° 1A 234 & suivants %",
    "قرار الرفض",
    "",
    "x" * 300,
    "Quittances de loyer 2024 (série)",
    "Attestation ../../etc/passwd",
)


def demo_request(*, chronology: bytes | None = None):  # type: ignore[no-untyped-def]
    """Demo data: an appeal with hostile labels, a rotated and a landscape piece, a series."""
    import hashlib
    from datetime import date

    from bundles.pack import PackRequest, Piece

    shapes = [
        (2, 0, False),
        (1, 90, False),
        (1, 0, False),
        (1, 0, True),
        (2, 0, False),
        (4, 0, False),
        (1, 270, False),
    ]
    pieces = []
    for index, (label, (pages, rotate, landscape)) in enumerate(
        zip(HOSTILE_LABELS, shapes, strict=True), start=1
    ):
        pdf = _piece_pdf(f"Piece{index}", pages, rotate=rotate, landscape=landscape)
        pieces.append(
            Piece(
                label=label,
                pdf=pdf,
                original_sha256=hashlib.sha256(pdf + b"original").hexdigest(),
                original_name=f"scan {index}.jpg",
                date=date(2025, 1, index),
                origin="Préfecture du Rhône" if index % 2 else "OFII",
                series=label.endswith("(série)"),
            )
        )
    return PackRequest(
        person_name="Amina Diallo",
        purpose="appeal",
        addressee="Tribunal administratif de Lyon",
        deadline=datetime(2025, 2, 14, 22, 59, tzinfo=UTC),
        pieces=pieces,
        chronology_pdf=chronology,
        front_matter=("Preuve de la date de notification : à joindre",),
        built_at=datetime(2025, 2, 1, 9, 30, tzinfo=UTC),
    )
