"""check: how much of a file the checker reads, decided before it reads it.

A 2 MB upload can unpack to gigabytes, and a 6 MB PDF can hold 100,000 pages:
the readers would spend that memory and time on any file handed to ``check``
or ``POST /api/check``.  So a Word package is measured from its ZIP directory
before python-docx unpacks it (each part at most ``MAX_PART``, all of them
``MAX_UNPACKED``, at most ``MAX_PARTS`` parts; a part that unpacks to more than
its directory says is refused by the ZIP reader's checksum), a PDF is measured
by the object count its cross-reference section declares before it is opened, and by its page
count before any page is read, and at most
``MAX_CHECKS`` files are read at once in one process, however many requests ask.
"""

from __future__ import annotations

import re
import threading
import zipfile
from pathlib import Path

import pikepdf

from generator.inputs import MB

MAX_PART = 32 * MB  # one part of a Word file: a handbook's document.xml is some 2 MB, an embedded font 16 MB
MAX_UNPACKED = 128 * MB  # all parts of a Word file together
MAX_PARTS = 2_000  # a handbook with pictures has some 60 parts
MAX_PAGES = 2_000  # a PDF's pages: a handbook has 19, a combined print file of 100 packets 1,800
MAX_OBJECTS = 200_000  # a PDF's objects (its cross-reference table): the 19-page handbook has 1,600
MAX_CHECKS = 2  # files read at once in this process (each can take some hundreds of MB)

_checking = threading.BoundedSemaphore(MAX_CHECKS)


def reading_slot() -> threading.BoundedSemaphore:
    """A slot to hold while reading a file: at most ``MAX_CHECKS`` files are read at once in this process."""
    return _checking


def _size(n: int) -> str:
    return f"{n / MB:,.0f} MB" if n >= MB else f"{n:,} bytes"


def docx_too_large(path: Path) -> str | None:
    """Why the Word file at ``path`` is too large to read, from its ZIP directory alone; None if it is not."""
    try:
        with zipfile.ZipFile(path) as package:
            parts = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None  # the reader says it is not a Word file
    fix = "check the documents it is made of, or save it from Word again without the oversized content"
    if len(parts) > MAX_PARTS:
        return f"it has {len(parts):,} parts, over the limit of {MAX_PARTS:,} that check reads ({fix})"
    largest = max(parts, key=lambda part: part.file_size, default=None)
    if largest is not None and largest.file_size > MAX_PART:
        return (f"its part {largest.filename[:80]} unpacks to {_size(largest.file_size)}, over the limit of "
                f"{_size(MAX_PART)} that check reads for one part ({fix})")
    total = sum(part.file_size for part in parts)
    if total > MAX_UNPACKED:
        return (f"it unpacks to {_size(total)}, over the limit of {_size(MAX_UNPACKED)} that check reads ({fix})")
    return None


_FIX_PDF = "check the documents it was made from, e.g. each packet of a combined print file"


def pdf_file_too_large(path: Path) -> str | None:
    """Why the PDF at ``path`` is too large to open, from the object count its last cross-reference section
    declares (the trailer's /Size): opening reads every entry of the table, some 2 KB each."""
    try:
        with open(path, "rb") as handle:
            handle.seek(0, 2)
            end = handle.tell()
            handle.seek(max(0, end - 1024))
            tail = handle.read()
            start = re.findall(rb"startxref\s+(\d+)", tail)
            section = b""
            if start and int(start[-1]) < end:
                handle.seek(int(start[-1]))
                section = handle.read(4096)
    except OSError:
        return None  # the reader says why it cannot open the file
    sizes = re.findall(rb"/Size\s+(\d+)", section + tail)
    objects = max((int(size) for size in sizes), default=0)
    if objects > MAX_OBJECTS:
        return f"it has {objects:,} objects, over the limit of {MAX_OBJECTS:,} that check reads ({_FIX_PDF})"
    return None


def pdf_too_large(pdf: pikepdf.Pdf) -> str | None:
    """Why the opened PDF is too large to read (its pages and objects counted, none read); None if it is not."""
    fix = _FIX_PDF
    objects = pdf.trailer.get("/Size")
    if isinstance(objects, int) and int(objects) > MAX_OBJECTS:
        return f"it has {int(objects):,} objects, over the limit of {MAX_OBJECTS:,} that check reads ({fix})"
    declared = pdf.Root.get("/Pages")
    declared = declared.get("/Count") if isinstance(declared, pikepdf.Dictionary) else None
    pages = int(declared) if isinstance(declared, int) and int(declared) > MAX_PAGES else len(pdf.pages)
    if pages > MAX_PAGES:  # said by the page tree (nothing read), else counted (what a lying count hides)
        return f"it has {pages:,} pages, over the limit of {MAX_PAGES:,} that check reads ({fix})"
    return None
