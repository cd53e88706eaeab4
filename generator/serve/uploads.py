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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

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
    uploads: list[Upload] = field(default_factory=list)  # every file, several of one name included


def display_name(raw: bytes | str | None, fallback: str) -> str:
    """The last part of a sent file name, printable and short: for messages, never for paths."""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else (raw or "")
    text = re.split(r"[\\/]", text)[-1]
    text = "".join(ch for ch in unicodedata.normalize("NFC", text) if ch.isprintable())[:80].strip()
    return text or fallback


class _Parts:
    """Callbacks of python-multipart's streaming parser: fields kept, files written to ``folder``."""

    def __init__(self, folder: Path, limit: int) -> None:
        self.folder = folder
        self.limit = limit
        self.form = Form()
        self.headers: dict[bytes, bytes] = {}
        self.header = b""
        self.value = b""
        self.name = ""
        self.filename: bytes | None = None
        self.handle: BinaryIO | None = None
        self.path: Path | None = None
        self.data = bytearray()
        self.size = 0

    def callbacks(self) -> dict[str, Callable[..., None]]:
        return {"on_part_begin": self.begin, "on_part_data": self.part_data, "on_part_end": self.end,
                "on_header_field": self.header_field, "on_header_value": self.header_value,
                "on_header_end": self.header_end, "on_headers_finished": self.headers_finished}

    def begin(self) -> None:
        self.headers, self.header, self.value, self.data, self.size = {}, b"", b"", bytearray(), 0

    def header_field(self, data: bytes, start: int, end: int) -> None:
        self.header += data[start:end]

    def header_value(self, data: bytes, start: int, end: int) -> None:
        self.value += data[start:end]

    def header_end(self) -> None:
        self.headers[self.header.lower()] = self.value
        self.header, self.value = b"", b""

    def headers_finished(self) -> None:
        from python_multipart.multipart import parse_options_header

        _, options = parse_options_header(self.headers.get(b"content-disposition", b""))
        self.name = options.get(b"name", b"").decode("utf-8", "replace")
        self.filename = options.get(b"filename")
        if self.filename is not None:  # a file: to disk, under a name made here
            self.path = self.folder / f"part-{len(self.form.uploads)}"
            self.handle = self.path.open("wb")

    def part_data(self, data: bytes, start: int, end: int) -> None:
        self.size += end - start
        if self.handle is not None:
            if self.size > self.limit:
                raise UploadError(413, _too_large(self.limit))
            self.handle.write(data[start:end])
        else:
            if self.size > MAX_FIELD:
                raise UploadError(400, f"the form field {self.name!r} is too long", self.name)
            self.data += data[start:end]

    def end(self) -> None:
        if self.handle is not None and self.path is not None:
            self.handle.close()
            self.handle = None
            upload = Upload(display_name(self.filename, "upload"), self.path, self.size)
            self.form.files[self.name] = upload
            self.form.uploads.append(upload)
        else:
            self.form.fields[self.name] = self.data.decode("utf-8", "replace")

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()


async def read_form(request: Request, folder: Path, limit: int = MAX_UPLOAD) -> Form:
    """The multipart form of ``request``, its files stored in ``folder``."""
    from python_multipart.multipart import MultipartParser, parse_options_header

    kind, options = parse_options_header(request.headers.get("content-type", ""))
    if kind != b"multipart/form-data" or not options.get(b"boundary"):
        raise UploadError(415, "send the file as multipart/form-data (a form with a file field)")
    budget = limit + FORM_OVERHEAD
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > budget:
        raise UploadError(413, _too_large(limit))
    parts = _Parts(folder, limit)
    parser = MultipartParser(options[b"boundary"], parts.callbacks())  # type: ignore[arg-type]
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
        parts.close()
    return parts.form


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
    with upload.path.open("rb") as handle:
        head = handle.read(4096)
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
