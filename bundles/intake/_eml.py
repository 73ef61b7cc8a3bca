"""E-mails (.eml): the message drawn on A4 pages with its headers, its attachments apart.

Choices:
- An e-mail needs header lines with From and Date; anything else is "eml-malformed".
- The body is the text/plain part, else the text/html part reduced to its text by a parser
  that only collects character data (no script, style, image or link is ever loaded).
- Attachments are taken in one by one with the same limits; an e-mail inside an e-mail is
  taken in, one level deep only. A refused attachment does not refuse the e-mail (it is the
  evidence a lawyer needs, and its date and sender matter on their own): it is listed on the
  e-mail's last page and in `removed` as "attachment-refused:<name>:<code>".
- More than `max_attachments` attachments refuse the whole e-mail ("too-many-attachments").
"""

from __future__ import annotations

import email
import email.policy
import re
import unicodedata
from collections.abc import Callable, Iterator
from email.message import EmailMessage, Message
from html.parser import HTMLParser
from io import BytesIO
from typing import TYPE_CHECKING, Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from bundles.errors import IntakeError
from bundles.intake._detect import clean_title
from bundles.layout import BOLD, REGULAR

if TYPE_CHECKING:
    from bundles.intake import IntakeLimits, IntakeResult

__all__ = ["normalise_eml"]

MARGIN = 18 * mm
SIZE = 10
LEADING = SIZE * 1.35
HEADERS = ("From", "To", "Cc", "Date", "Subject")
_BLOCKS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "pre"}


def _malformed(why: str) -> IntakeError:
    return IntakeError("eml-malformed", f"this e-mail cannot be read: {why}")


class _Text(HTMLParser):
    """Character data of an HTML body, blocks as new lines; script and style left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head", "title"):
            self.hidden += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head", "title"):
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def html_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _printable(text: str) -> str:
    """No control or format characters (tabs become spaces, new lines stay)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    return "".join(
        ch if ch == "\n" or not unicodedata.category(ch).startswith("C") else "" for ch in text
    )


def _content(part: Message) -> str:
    try:
        value = part.get_content()  # type: ignore[attr-defined]
    except (LookupError, ValueError, AssertionError):  # unknown charset, broken encoding
        raw = part.get_payload(decode=True)
        value = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else ""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value if isinstance(value, str) else ""


def _body(message: EmailMessage) -> str:
    """The text/plain body; the text of the text/html one when there is no plain text."""
    for kind in ("plain", "html"):
        part = message.get_body(preferencelist=(kind,))
        if part is None:
            continue
        text = _content(part)
        if kind == "html":
            text = html_text(text)
        text = _printable(text).strip()
        if text:
            return text
    return ""


def _wrap(text: str, font: str, size: float, width: float) -> Iterator[str]:
    """Lines no wider than `width`: at spaces when possible, inside long words when not."""
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if stringWidth(candidate, font, size) <= width:
                line = candidate
                continue
            if line:
                yield line
            line = ""
            for ch in word:
                if line and stringWidth(line + ch, font, size) > width:
                    yield line
                    line = ""
                line += ch
        yield line


class _Pages:
    """A4 pages written top to bottom; refuses to grow past the page limit."""

    def __init__(self, *, title: str, max_pages: int) -> None:
        self.buffer = BytesIO()
        self.canvas = Canvas(self.buffer, pagesize=A4, invariant=True, pageCompression=1)
        self.canvas.setTitle(title)
        self.max_pages = max_pages
        self.pages = 1
        self.y = A4[1] - MARGIN

    def line(self, text: str, *, font: str = REGULAR, x: float = MARGIN) -> None:
        if self.y - LEADING < MARGIN:
            if self.pages >= self.max_pages:
                raise IntakeError(
                    "too-many-pages",
                    f"this e-mail would take more than {self.max_pages} pages",
                )
            self.canvas.showPage()
            self.pages += 1
            self.y = A4[1] - MARGIN
        self.y -= LEADING
        self.canvas.setFont(font, SIZE)
        self.canvas.drawString(x, self.y, text)

    def paragraph(self, text: str, *, font: str = REGULAR, x: float = MARGIN) -> None:
        for line in _wrap(text, font, SIZE, A4[0] - MARGIN - x):
            self.line(line, font=font, x=x)

    def gap(self) -> None:
        self.y -= LEADING / 2

    def finish(self) -> bytes:
        self.canvas.showPage()
        self.canvas.save()
        return self.buffer.getvalue()


def _attachments(message: EmailMessage) -> list[tuple[str, bytes]]:
    found = []
    for index, part in enumerate(message.iter_attachments(), start=1):
        name = part.get_filename() or ""
        if part.get_content_type() == "message/rfc822":
            inner = part.get_content()
            data = inner.as_bytes() if isinstance(inner, Message) else b""
            name = name or f"attachment-{index}.eml"
        else:
            payload = part.get_payload(decode=True)
            data = payload if isinstance(payload, bytes) else b""
        found.append((name or f"attachment-{index}", data))
    return found


def _label(name: str) -> str:
    return clean_title(name).replace(":", "_") or "attachment"


def normalise_eml(
    data: bytes,
    *,
    limits: IntakeLimits,
    depth: int,
    take: Callable[..., IntakeResult],
) -> tuple[bytes, int, str, tuple[str, ...], tuple[IntakeResult, ...]]:
    """The e-mail's pages, their count, its subject, what was refused, its attachments."""
    if depth > 1:
        raise IntakeError(
            "eml-nested", "an e-mail inside an e-mail inside an e-mail is not taken in"
        )
    message: Any = email.message_from_bytes(data, policy=email.policy.default)
    if not isinstance(message, EmailMessage) or not list(message.keys()):
        raise _malformed("it has no header lines")
    headers: dict[str, str] = {}
    for name in HEADERS:
        value = message.get(name)
        headers[name] = clean_title(str(value), limit=2000) if value is not None else ""
    if not headers["From"]:
        raise _malformed("it has no sender (From)")
    if not headers["Date"]:
        raise _malformed("it has no date (Date)")
    parts = _attachments(message)
    if len(parts) > limits.max_attachments:
        raise IntakeError(
            "too-many-attachments",
            f"this e-mail has {len(parts)} attachments, more than the "
            f"{limits.max_attachments} allowed",
        )
    taken: list[IntakeResult] = []
    refused: list[tuple[str, IntakeError]] = []
    for name, content in parts:
        try:
            taken.append(take(content, filename=name, limits=limits, depth=depth + 1))
        except IntakeError as error:
            refused.append((name, error))
    subject = headers["Subject"]
    pages = _Pages(title=subject or "E-mail", max_pages=limits.max_pages)
    for name in HEADERS:
        if headers[name]:
            pages.paragraph(f"{name}: {headers[name]}", font=BOLD)
    if parts:
        pages.paragraph("Attachments: " + ", ".join(_label(name) for name, _ in parts), font=BOLD)
    pages.gap()
    pages.paragraph(_body(message) or "(no text)")
    if refused:
        pages.gap()
        pages.paragraph("Attachments refused by the intake:", font=BOLD)
        for name, refusal in refused:
            pages.paragraph(f"- {_label(name)}: {refusal.detail or refusal.code}")
    removed = tuple(f"attachment-refused:{_label(name)}:{why.code}" for name, why in refused)
    return pages.finish(), pages.pages, subject, removed, tuple(taken)
