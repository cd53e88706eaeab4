"""Uploads: read as they stream in, refused early when too large or of the wrong kind.

A request over :data:`MAX_UPLOAD` is refused with 413 from its Content-Length
before its body is read, and otherwise as soon as the bytes read pass the
limit.  Parts are written into the request's own folder under names made
here, never the names the browser sent (those are kept for display only), and
a file must be what its name says by its first bytes too.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from starlette.requests import Request

MAX_UPLOAD = 10 * 1024 * 1024
FORM_OVERHEAD = 64 * 1024  # boundaries, headers and small fields around the file
MAX_FIELD = 1024


class UploadError(Exception):
    """An upload refused: the HTTP status and what to tell the person."""

    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field


@dataclass
class Upload:
    name: str  # as the person's computer called it, for messages only
    path: Path  # where it lies in the request's folder
    size: int


@dataclass
class Form:
    fields: dict[str, str] = field(default_factory=dict)
    files: dict[str, Upload] = field(default_factory=dict)


def display_name(raw: bytes | str | None, fallback: str) -> str:
    """The last part of a sent file name, printable and short: for messages, never for paths."""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else (raw or "")
    text = re.split(r"[\\/]", text)[-1]
    text = "".join(ch for ch in unicodedata.normalize("NFC", text) if ch.isprintable())[:80].strip()
    return text or fallback


async def read_form(request: Request, folder: Path, limit: int = MAX_UPLOAD) -> Form:
    """The multipart form of ``request``, its files stored in ``folder``."""
    from python_multipart import create_form_parser
    from python_multipart.multipart import Field as PartField
    from python_multipart.multipart import File as PartFile

    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise UploadError(415, "send the file as multipart/form-data (a form with a file field)")
    budget = limit + FORM_OVERHEAD
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > budget:
        raise UploadError(413, _too_large(limit))
    form = Form()
    parts: list[PartFile] = []

    def on_field(part: PartField) -> None:
        name = (part.field_name or b"").decode("utf-8", "replace")
        value = (part.value or b"").decode("utf-8", "replace")
        if len(value) > MAX_FIELD:
            raise UploadError(400, f"the form field {name!r} is too long", name)
        form.fields[name] = value

    def on_file(part: PartFile) -> None:
        parts.append(part)

    config = {"UPLOAD_DIR": str(folder), "UPLOAD_DELETE_TMP": False, "MAX_MEMORY_FILE_SIZE": 0,
              "UPLOAD_KEEP_FILENAME": False, "UPLOAD_KEEP_EXTENSIONS": False}
    parser = create_form_parser({"Content-Type": request.headers["content-type"].encode("latin-1")},
                                on_field, on_file, config=config)
    received = 0
    try:
        async for chunk in request.stream():
            received += len(chunk)
            if received > budget:
                raise UploadError(413, _too_large(limit))
            parser.write(chunk)
        parser.finalize()
    except UploadError:
        raise
    except Exception as exc:  # the parser's own errors: a malformed body
        raise UploadError(400, f"the form could not be read ({type(exc).__name__}); send it again") from None
    finally:
        for part in parts:
            part.close()
    for number, part in enumerate(parts):
        name = (part.field_name or b"").decode("utf-8", "replace")
        stored = part.actual_file_name
        if stored is None:  # an empty file is never written to disk
            path = folder / f"part-{number}"
            path.write_bytes(b"")
        else:
            path = Path(stored.decode() if isinstance(stored, bytes) else stored)
        if path.stat().st_size > limit:
            raise UploadError(413, _too_large(limit))
        form.files[name] = Upload(display_name(part.file_name, "upload"), path, path.stat().st_size)
    return form


def _too_large(limit: int) -> str:
    return f"the file is larger than {limit // (1024 * 1024)} MB (split the roster, or check a smaller file)"


# --- what a file is, by its name and by its first bytes ---------------------------------

KINDS = {
    ".csv": "a CSV file (text)",
    ".xlsx": "an Excel workbook (.xlsx)",
    ".pdf": "a PDF",
    ".docx": "a Word document (.docx)",
}


def _zip_has(path: Path, member: str) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return member in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def _is_text(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with a byte-order mark
        return True
    return b"\x00" not in head and not head.startswith((b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0"))


def sniff(upload: Upload, allowed: tuple[str, ...]) -> str:
    """The upload's kind (``.csv``...), when both its name and its content say so."""
    suffix = Path(upload.name).suffix.lower()
    choices = " or ".join(allowed)
    if suffix not in allowed:
        raise UploadError(415, f"{upload.name}: not a {choices} file (only {choices} files are accepted)")
    head = upload.path.read_bytes()[:4096] if upload.size else b""
    if not head:
        raise UploadError(422, f"{upload.name}: the file is empty")
    looks = {
        ".csv": lambda: _is_text(head),
        ".xlsx": lambda: head.startswith(b"PK\x03\x04") and _zip_has(upload.path, "xl/workbook.xml"),
        ".pdf": lambda: b"%PDF-" in head[:1024],
        ".docx": lambda: head.startswith(b"PK\x03\x04") and _zip_has(upload.path, "word/document.xml"),
    }[suffix]()
    if not looks:
        raise UploadError(415, f"{upload.name}: the name says {KINDS[suffix]}, but the content is not "
                          f"(save it again as {suffix} from the program that made it)")
    return suffix


def place(upload: Upload, folder: Path, stem: str, suffix: str) -> Path:
    """Give the upload a name made here, with its checked suffix (the readers go by suffix)."""
    target = folder / f"{stem}{suffix}"
    upload.path.replace(target)
    upload.path = target
    return target
