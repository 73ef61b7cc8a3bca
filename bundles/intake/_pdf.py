"""PDF intake with pikepdf: refuse what is protected or broken, strip what can act, re-save.

Choices:
- "needs repair" means qpdf had to say anything at all: the file is opened with
  `attempt_recovery=False` (a broken cross-reference table is an error, not silently rebuilt),
  and any warning collected while reading or writing it (`Pdf.get_warnings()`; one benign
  kind aside, a page whose resources are missing) refuses it as
  "damaged". A lawyer can re-export or print-to-PDF; we never guess at a damaged exhibit.
- Encrypted means encrypted, even with an empty user password: the owner restrictions would
  travel into the evidence pack otherwise.
- The page count comes from a bounded walk of the page tree (and its /Count) before any work
  per page.
- Streams are copied, never decoded (`stream_decode_level=none`): a compression bomb in a
  content stream costs nothing here, and the pages' text is kept byte for byte.
- Actions: only GoTo, Named and URI (http, https, mailto) actions are kept; everything else is
  removed and reported once per kind. Codes: "javascript", "launch-action", "submit-form",
  "import-data", "other-actions", "open-action", "additional-actions", "embedded-files",
  "xfa", "media".
- A PDF of more than MAX_OBJECTS reachable objects is refused ("too-complex").
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream

from bundles.errors import IntakeError

__all__ = ["normalise_pdf"]

_SAFE_ACTIONS = {"/GoTo", "/Named", "/URI"}
_ACTION_CODES = {
    "/JavaScript": "javascript",
    "/Launch": "launch-action",
    "/SubmitForm": "submit-form",
    "/ImportData": "import-data",
}
_SAFE_SCHEMES = ("http:", "https:", "mailto:")
_MEDIA_ANNOTATIONS = {"/RichMedia", "/Screen", "/Movie", "/Sound", "/3D"}
_MAX_CHAIN = 64
# Every reachable object is looked at once (about 20 microseconds each): past this many, a file
# of at most 32 MB is built to cost time, not to carry a document.
MAX_OBJECTS = 300_000
# qpdf warnings that fix nothing broken: a page without its (inheritable) resources is common in
# generated PDFs and harmless; every other warning means the file needed repair.
_BENIGN_WARNINGS = ("Resources is missing or invalid",)


def _needed_repair(pdf: pikepdf.Pdf) -> bool:
    return any(not any(b in w for b in _BENIGN_WARNINGS) for w in pdf.get_warnings())


def _protected() -> IntakeError:
    return IntakeError(
        "encrypted",
        "this PDF is protected by a password; remove the protection and send it again",
    )


def _damaged(why: str) -> IntakeError:
    return IntakeError(
        "damaged",
        f"this PDF is damaged and would need repair ({why}); export or print it to PDF again "
        "and send the new file",
    )


def _count_pages(pdf: pikepdf.Pdf, limit: int) -> int:
    """Leaves of the page tree, walked with a bound: stops as soon as there are too many."""
    too_many = IntakeError(
        "too-many-pages", f"this PDF has more than {limit} pages, the most a file may have"
    )
    root = pdf.Root.get("/Pages")
    if not isinstance(root, Dictionary):
        raise _damaged("no page tree")
    declared = root.get("/Count")
    if isinstance(declared, int) and int(declared) > limit:
        raise too_many
    leaves, nodes, seen = 0, 0, set()
    stack: list[Any] = [root]
    while stack:
        node = stack.pop()
        nodes += 1
        if nodes > 4 * limit + 1000:
            raise too_many
        if node.is_indirect:
            if node.objgen in seen:
                raise _damaged("the page tree names a page twice")
            seen.add(node.objgen)
        kids = node.get("/Kids") if isinstance(node, Dictionary) else None
        if node.get("/Type") == Name.Page or kids is None:
            leaves += 1
            if leaves > limit:
                raise too_many
            continue
        if not isinstance(kids, Array):
            raise _damaged("a page tree node has no list of pages")
        stack.extend(kid for kid in kids if isinstance(kid, Dictionary))
    if leaves == 0:
        raise _damaged("it has no pages")
    return leaves


def _action_kinds(action: Any) -> set[str]:
    """The report codes of the unsafe actions in an action and its /Next chain (empty: safe)."""
    kinds: set[str] = set()
    queue: list[Any] = [action]
    seen = 0
    while queue:
        act = queue.pop()
        seen += 1
        if seen > _MAX_CHAIN:
            kinds.add("other-actions")
            break
        if isinstance(act, Array):
            queue.extend(act)
            continue
        if not isinstance(act, Dictionary):
            continue
        kind = str(act.get("/S", ""))
        if kind == "/URI":
            uri = str(act.get("/URI", "")).strip().lower()
            if uri.startswith("javascript:"):
                kinds.add("javascript")
            elif not uri.startswith(_SAFE_SCHEMES):
                kinds.add("other-actions")
        elif kind not in _SAFE_ACTIONS:
            kinds.add(_ACTION_CODES.get(kind, "other-actions"))
        if "/JS" in act:
            kinds.add("javascript")
        if "/Next" in act:
            queue.append(act.get("/Next"))
    return kinds


def _clean(obj: Any, removed: set[str]) -> None:
    """Strip one dictionary (or stream dictionary) of what can act or carry files."""
    keys = set(obj.keys())
    if "/AA" in keys:
        for value in obj.get("/AA").values() if isinstance(obj.get("/AA"), Dictionary) else ():
            removed.update(k for k in _action_kinds(value) if k == "javascript")
        del obj["/AA"]
        removed.add("additional-actions")
    if "/A" in keys and isinstance(obj.get("/A"), (Dictionary, Array)):
        kinds = _action_kinds(obj.get("/A"))
        if kinds:
            del obj["/A"]
            removed.update(kinds)
    if "/JS" in keys:
        del obj["/JS"]
        removed.add("javascript")
    if "/XFA" in keys:
        del obj["/XFA"]
        removed.add("xfa")
    if "/EF" in keys:
        del obj["/EF"]
        removed.add("embedded-files")
    if "/AF" in keys:
        del obj["/AF"]
        removed.add("embedded-files")
    annots = obj.get("/Annots") if "/Annots" in keys else None
    if isinstance(annots, Array):
        kept = []
        for annot in annots:
            subtype = str(annot.get("/Subtype", "")) if isinstance(annot, Dictionary) else ""
            if subtype == "/FileAttachment":
                removed.add("embedded-files")
            elif subtype in _MEDIA_ANNOTATIONS:
                removed.add("media")
            else:
                kept.append(annot)
        if len(kept) != len(annots):
            obj["/Annots"] = Array(kept)


def _strip(pdf: pikepdf.Pdf, removed: set[str]) -> None:
    root = pdf.Root
    if "/OpenAction" in root:
        action = root.get("/OpenAction")
        kinds = _action_kinds(action) if isinstance(action, Dictionary) else set()
        if kinds:
            removed.update(kinds | {"open-action"})
        del root["/OpenAction"]
    names = root.get("/Names")
    if isinstance(names, Dictionary):
        for key, code in (("/JavaScript", "javascript"), ("/EmbeddedFiles", "embedded-files")):
            if key in names:
                del names[key]
                removed.add(code)
    if "/Collection" in root:
        del root["/Collection"]
        removed.add("embedded-files")
    form = root.get("/AcroForm")
    if isinstance(form, Dictionary) and "/NeedsRendering" in form:
        del form["/NeedsRendering"]
    # Then every object reachable from the catalog, once: actions hide in many places.
    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [root]
    while stack:
        obj = stack.pop()
        if obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
            if len(seen) > MAX_OBJECTS:
                raise IntakeError(
                    "too-complex",
                    f"this PDF is made of more than {MAX_OBJECTS:,} objects, too many to be "
                    "checked; print it to PDF again and send the new file",
                )
        if isinstance(obj, (Dictionary, Stream)):
            _clean(obj, removed)
            children = [value for _, value in obj.items()]
        else:
            children = list(obj)
        stack.extend(c for c in children if isinstance(c, (Dictionary, Stream, Array)))


def normalise_pdf(data: bytes, *, max_pages: int) -> tuple[bytes, int, tuple[str, ...]]:
    """The cleaned PDF, its page count and the sorted codes of what was removed."""
    try:
        pdf = pikepdf.open(BytesIO(data), attempt_recovery=False, inherit_page_attributes=False)
    except pikepdf.PasswordError:
        raise _protected() from None
    except Exception as error:  # qpdf refuses it: truncated, no cross-reference table...
        raise _damaged("it cannot be read") from error
    with pdf:
        if pdf.is_encrypted:
            raise _protected()
        if _needed_repair(pdf):
            raise _damaged("its structure is broken")
        pages = _count_pages(pdf, max_pages)
        if len(pdf.pages) != pages:
            raise _damaged("its page tree is inconsistent")
        removed: set[str] = set()
        _strip(pdf, removed)
        out = BytesIO()
        pdf.save(
            out,
            object_stream_mode=pikepdf.ObjectStreamMode.preserve,
            stream_decode_level=pikepdf.StreamDecodeLevel.none,
            deterministic_id=True,
        )
        if _needed_repair(pdf):
            raise _damaged("its structure is broken")
    return out.getvalue(), pages, tuple(sorted(removed))
