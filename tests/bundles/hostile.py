"""A corpus of files for the intake, hostile and clean, generated in code (nothing on disk)."""

from __future__ import annotations

import email
import email.policy
import io
import struct
import zipfile
import zlib
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime

import pikepdf
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

CLEAN_TEXT = "Attestation de domicile pour Amina Diallo"


def clean_pdf(text: str = CLEAN_TEXT, pages: int = 1) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    for number in range(pages):
        canvas.setFont("Helvetica", 14)
        canvas.drawString(72, 700, f"{text} ({number + 1})")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _save(pdf: pikepdf.Pdf, **options: object) -> bytes:
    out = io.BytesIO()
    pdf.save(out, **options)  # type: ignore[arg-type]
    return out.getvalue()


def hostile_pdf() -> bytes:
    """JavaScript (document, OpenAction, page AA, outline), Launch link, embedded files, XFA."""
    pdf = pikepdf.open(io.BytesIO(clean_pdf()))
    js = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS="app.alert('x')"))
    pdf.Root.OpenAction = js
    pdf.Root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(Names=pikepdf.Array(["run", js]))
    )
    pdf.attachments["payload.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ not really")
    page = pdf.pages[0]
    page.obj.AA = pikepdf.Dictionary(O=js)
    launch = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=[0, 0, 100, 100],
        A=pikepdf.Dictionary(S=pikepdf.Name.Launch, F="cmd.exe"),
    )
    link = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=[100, 0, 200, 100],
        A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI="https://example.org/"),
    )
    attachment = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.FileAttachment,
        Rect=[200, 0, 300, 100],
        FS=pikepdf.Dictionary(
            Type=pikepdf.Name.Filespec,
            F="x.bin",
            EF=pikepdf.Dictionary(F=pikepdf.Stream(pdf, b"hidden")),
        ),
    )
    page.obj.Annots = pdf.make_indirect(
        pikepdf.Array([pdf.make_indirect(a) for a in (launch, link, attachment)])
    )
    outline = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Outlines))
    item = pdf.make_indirect(
        pikepdf.Dictionary(
            Title="Open me", Parent=outline, A=pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS="1")
        )
    )
    outline.First = outline.Last = item
    outline.Count = 1
    pdf.Root.Outlines = outline
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=[], XFA=pikepdf.Stream(pdf, b"<xdp/>"))
    return _save(pdf)


def truncated_pdf() -> bytes:
    data = clean_pdf()
    return data[: len(data) // 2]


def encrypted_pdf(user: str = "") -> bytes:
    pdf = pikepdf.open(io.BytesIO(clean_pdf()))
    return _save(pdf, encryption=pikepdf.Encryption(owner="owner-secret", user=user))


def many_pages_pdf(count: int = 10_000) -> bytes:
    """`count` pages sharing one content stream, written by hand (fast: a few milliseconds)."""
    kids = " ".join(f"{4 + i} 0 R" for i in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode(),
        b"<< /Length 0 >>\nstream\n\nendstream",
    ]
    objects += [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> /Contents 3 0 R >>"
    ] * count
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    start = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    out.write(b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets))
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode())
    out.write(f"startxref\n{start}\n%%EOF\n".encode())
    return out.getvalue()


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def huge_png_header(width: int = 50_000, height: int = 50_000) -> bytes:
    """A valid PNG header claiming width x height, with almost no pixel data behind it."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", ihdr)
        + _chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + _chunk(b"IEND", b"")
    )


def png(size: tuple[int, int] = (120, 80), colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def png_pdf_polyglot() -> bytes:
    """A PNG whose text chunk, in the first kilobyte, is a PDF."""
    data = png()
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"
    return data[:33] + _chunk(b"tEXt", b"Comment\x00" + pdf) + data[33:]


def pdf_zip_polyglot() -> bytes:
    """A PDF with a ZIP archive appended: both readers open it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("evil.js", "alert(1)")
    return clean_pdf() + buffer.getvalue()


GPS_LATITUDE = (48.0, 51.0, 24.0)


def jpeg_with_gps(size: tuple[int, int] = (640, 480)) -> bytes:
    """A JPEG carrying EXIF (camera, orientation 6 = rotated) and GPS coordinates."""
    image = Image.new("RGB", size, (30, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90 degrees clockwise to view
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = GPS_LATITUDE
    gps[3] = "E"
    gps[4] = (2.0, 21.0, 7.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=85)
    return out.getvalue()


def heic(size: tuple[int, int] = (64, 48)) -> bytes:
    import pillow_heif

    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    Image.new("RGB", size, (10, 200, 10)).save(out, "HEIF", quality=80)
    return out.getvalue()


def eml(
    *,
    subject: str = "Votre rendez-vous en préfecture",
    body: str = "Bonjour,\nVotre rendez-vous est fixé au 3 mars.\nCordialement",
    attachments: tuple[tuple[str, bytes, str], ...] = (),
    html: str | None = None,
    sender: str | None = "Préfecture <rdv@prefecture.example>",
    date: bool = True,
) -> bytes:
    message = EmailMessage()
    if sender is not None:
        message["From"] = sender
    message["To"] = "Amina Diallo <amina@example.org>"
    message["Cc"] = "Avocat <avocat@example.org>"
    if date:
        message["Date"] = format_datetime(datetime(2025, 2, 1, 9, 30, tzinfo=UTC))
    message["Subject"] = subject
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
    for name, data, mime in attachments:
        if mime == "message/rfc822":
            inner = email.message_from_bytes(data, policy=email.policy.default)
            message.add_attachment(inner, filename=name)
            continue
        maintype, subtype = mime.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


MALFORMED_EML = b"this is not an e-mail at all\n\nno header lines here\n"
