"""collect: returned onboarding packets read back, one row each: who, what is ticked, dated and signed.

A reader of returned files beside the checks, through the same readers
(:class:`~generator.check.pdf_reading.PdfReading`,
:class:`~generator.check.docx_reading.DocxReading`).  A packet says whose it is
in its metadata (the packet id, the name and the roster's language: XMP in a
PDF, custom document properties in Word), so a renamed copy still ties back.
Its fields are read as the last person to save it left them: the ``task-*``
checkboxes, the ``date`` and ``typed-name`` text, and the ``signature`` field.

A signature is validated with pyHanko for its integrity only: ``valid`` (the
signed bytes are unchanged and the signature verifies), ``modified after
signing`` (a later update changed the form or the pages), ``invalid`` (it does
not verify).  Whether the signer's certificate is trusted is not judged: no
certificate is trusted unless the user configures it, and collect configures
none; ``signer`` is the name the certificate claims.

Returned files are untrusted: each is read within limits (size, pages, PDF
objects, Word package parts and their unpacked size); a file over a limit is
``not a packet`` with the reason, never a long wait.
"""

from __future__ import annotations

import csv
import io
import logging
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf

from generator.check.docx_reading import W14, DocxReading, W, open_docx, paragraph_text
from generator.check.pdf_reading import PdfReading
from generator.check.pdf_rules import open_pdf
from generator.check.rules import short
from generator.inputs import MB
from generator.pdf import forms

COLUMNS = ("packet", "name", "language", "tasks_done", "tasks_total", "date", "signature", "signer", "integrity",
           "status")
MAX_FILE = 50 * MB  # a returned packet: a few hundred KB; a scan-heavy one some MB
MAX_PAGES = 500
MAX_OBJECTS = 200_000  # a packet has a few thousand
MAX_PARTS = 1_000  # parts of a Word package (a packet has some 20)
MAX_UNPACKED = 100 * MB  # a Word package's parts, unpacked, together
TASK = "task-"  # the names of the checklist's boxes; the other fields by name:
DATE, TYPED, SIGNATURE = "date", "typed-name", forms.SIGNATURE
VALID, MODIFIED, INVALID = "valid", "modified after signing", "invalid"
COMPLETE, INCOMPLETE, FOREIGN = "complete", "incomplete", "not a packet"
PROPERTY = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}property"
CUSTOM_PROPERTIES = "/docProps/custom.xml"

log = logging.getLogger(__name__)


@dataclass
class Row:
    """One returned file: its packet's columns (:data:`COLUMNS`) and why it is not complete."""

    path: Path
    packet: str = ""
    name: str = ""
    language: str = ""
    tasks_done: int = 0
    tasks_total: int = 0
    date: str = ""
    signature: str = "missing"  # digital, typed or missing
    signer: str = ""
    integrity: str = ""  # valid, modified after signing, invalid, or empty (unsigned)
    status: str = FOREIGN
    reason: str = ""

    def cells(self) -> list[str | int]:
        return [getattr(self, column) for column in COLUMNS]

    @property
    def outcome(self) -> str:
        """What the summary counts it as: its status, or what happened to its signature."""
        return self.integrity if self.integrity in (MODIFIED, INVALID) else self.status

    def judge(self, known: set[str] | None) -> None:
        """The status from the fields read, with the reasons it is not complete."""
        if known is not None and self.packet not in known:
            self.status, self.reason = FOREIGN, f"packet id {self.packet} is not one of the packets built"
            return
        missing = []
        if self.tasks_done < self.tasks_total:
            missing.append(f"{self.tasks_total - self.tasks_done} of {self.tasks_total} tasks not ticked")
        if not self.date:
            missing.append("no date")
        if self.integrity == MODIFIED:
            missing.append("changed after it was signed (ask for the signed copy again)")
        elif self.integrity == INVALID:
            missing.append("its signature does not verify (ask for the signed copy again)")
        elif self.signature == "missing":
            missing.append("neither signed nor a name typed")
        self.status = INCOMPLETE if missing else COMPLETE
        self.reason = "; ".join(missing)


def foreign(path: Path, reason: str) -> Row:
    return Row(path, status=FOREIGN, reason=reason)


def read_packet(path: Path, known: set[str] | None = None) -> Row:
    """The row of one returned file (``known``: the packet ids built, if they are known)."""
    try:
        size = path.stat().st_size
    except OSError as error:
        return foreign(path, f"cannot be read ({error.strerror or error})")
    if size > MAX_FILE:
        return foreign(path, f"{size / MB:.0f} MB, over the {MAX_FILE // MB} MB a returned packet may have")
    row = _read_pdf(path) if path.suffix.lower() == ".pdf" else _read_docx(path)
    if not row.reason:  # a packet, read: judged
        row.judge(known)
    return row


# --- PDF ------------------------------------------------------------------------


def _read_pdf(path: Path) -> Row:
    reading = open_pdf(path)
    if isinstance(reading, str):
        return foreign(path, reading)
    with reading:
        pdf = reading.pdf
        objects = int(pdf.trailer.get("/Size", 0))
        if objects > MAX_OBJECTS or len(pdf.pages) > MAX_PAGES:
            return foreign(path, f"{len(pdf.pages)} pages and {objects} objects, over the {MAX_PAGES} pages and "
                           f"{MAX_OBJECTS} objects a returned packet may have")
        mark = forms.read_mark(pdf)
        if mark is None:
            return foreign(path, "no packet id in its metadata: a file missionpress did not make as a packet")
        row = Row(path, mark.packet, mark.name, mark.language)
        fields = _pdf_fields(reading)
    tasks = {name: on for name, (kind, on) in fields.items() if name.startswith(TASK)}
    row.tasks_total, row.tasks_done = len(tasks), sum(tasks.values())
    row.date = str(fields.get(DATE, ("", ""))[1]).strip()
    if fields.get(SIGNATURE, ("", False))[1]:
        row.signature = "digital"
        row.signer, row.integrity = _validate(path)
    elif str(fields.get(TYPED, ("", ""))[1]).strip():
        row.signature = "typed"
    return row


def _pdf_fields(reading: PdfReading) -> dict[str, tuple[str, Any]]:
    """Terminal field name -> (type, value): a checkbox's ticked, a text's string, a signature's signed."""
    form = reading.pdf.Root.get("/AcroForm")
    found: dict[str, tuple[str, Any]] = {}
    if not isinstance(form, pikepdf.Dictionary):
        return found
    stack = [(field, "/") for field in form.get("/Fields", pikepdf.Array())]
    seen: set[tuple[int, int]] = set()
    while stack and len(seen) < forms.MAX_FIELDS:
        field, kind = stack.pop()
        if not isinstance(field, pikepdf.Dictionary) or field.objgen in seen:
            continue
        seen.add(field.objgen)
        kind = str(field.get("/FT", kind))
        kids = [k for k in field.get("/Kids", pikepdf.Array()) if isinstance(k, pikepdf.Dictionary)]
        if any("/T" in k for k in kids):
            stack += [(kid, kind) for kid in kids]
            continue
        name = str(field.get("/T", ""))
        # The field's value; some fillers leave it on a widget of a field of several (a bilingual packet's).
        value = next((v for v in [field.get("/V"), *(k.get("/V") for k in kids)] if v not in (None, "")), None)
        if kind == "/Btn":
            states = [value, *(k.get("/AS") for k in kids or [field])]
            found[name] = (kind, any(isinstance(s, pikepdf.Name) and s != "/Off" for s in states))
        elif kind == "/Sig":
            found[name] = (kind, isinstance(value, pikepdf.Dictionary))
        else:
            found[name] = (kind, str(value) if isinstance(value, pikepdf.String) else "")
    return found


def _validate(path: Path) -> tuple[str, str]:
    """(the signer's common name, the integrity) of the packet's signature, with pyHanko."""
    with warnings.catch_warnings():  # pyHanko's cryptography imports warn of algorithms it does not use here
        warnings.simplefilter("ignore")
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko.sign.validation.status import ModificationLevel, SignatureCoverageLevel
        from pyhanko_certvalidator import ValidationContext
    quiet = logging.getLogger("pyhanko")
    level, quiet.level = quiet.level, logging.CRITICAL  # it logs an untrusted certificate as an error
    try:
        with path.open("rb") as handle:
            reader = PdfFileReader(handle, strict=False)
            signature = next((s for s in reader.embedded_signatures if s.field_name == SIGNATURE), None)
            if signature is None:
                return "", INVALID
            # No trust roots: nothing is trusted that the user did not configure (integrity only).
            status = validate_pdf_signature(signature, ValidationContext(trust_roots=[], allow_fetching=False))
            signer = status.signing_cert.subject.native.get("common_name", "") if status.signing_cert else ""
            if not (status.intact and status.valid):
                return str(signer), INVALID
            whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
            untouched = status.modification_level in (None, ModificationLevel.NONE)
            return str(signer), VALID if whole or untouched else MODIFIED
    except Exception as error:  # noqa: BLE001  (a damaged signature is an invalid one, never a crash)
        log.debug("%s: signature not validated: %s", path, error)
        return "", INVALID
    finally:
        quiet.level = level


# --- Word -------------------------------------------------------------------------


def _read_docx(path: Path) -> Row:
    too_big = _package_too_big(path)
    if too_big:
        return foreign(path, too_big)
    reading = open_docx(path)
    if isinstance(reading, str):
        return foreign(path, reading)
    values = _custom_properties(reading)
    if not values.get("packet"):
        return foreign(path, "no packet id in its document properties: a file missionpress did not make as a packet")
    row = Row(path, values["packet"], values.get("name", ""), values.get("language", ""))
    tasks: dict[str, bool] = {}
    texts: dict[str, str] = {}
    for sdt in reading.document.element.body.iter(W + "sdt"):
        properties = sdt.find(W + "sdtPr")
        tag = properties.find(W + "tag") if properties is not None else None
        name = tag.get(W + "val", "") if tag is not None else ""
        box = properties.find(W14 + "checkbox") if properties is not None else None
        if name.startswith(TASK) and box is not None:
            checked = box.find(W14 + "checked")
            ticked = checked is not None and checked.get(W14 + "val", "0") in ("1", "true")
            tasks[name] = tasks.get(name, False) or ticked  # ticked in any language
        elif name in (DATE, TYPED) and properties is not None and properties.find(W + "showingPlcHdr") is None:
            content = sdt.find(W + "sdtContent")
            text = " ".join(paragraph_text(content).split()) if content is not None else ""
            texts[name] = texts.get(name) or text
    row.tasks_total, row.tasks_done = len(tasks), sum(tasks.values())
    row.date = texts.get(DATE, "")
    row.signature = "typed" if texts.get(TYPED) else "missing"
    return row


def _package_too_big(path: Path) -> str:
    """Why a Word package is over the limits (before anything of it is unpacked), or ""."""
    try:
        with zipfile.ZipFile(path) as package:
            parts = package.infolist()
    except (OSError, zipfile.BadZipFile, ValueError):
        return ""  # the reader says what it is
    unpacked = sum(part.file_size for part in parts)
    if len(parts) > MAX_PARTS or unpacked > MAX_UNPACKED:
        return (f"{len(parts)} parts, {unpacked / MB:.0f} MB unpacked: over the {MAX_PARTS} parts and "
                f"{MAX_UNPACKED // MB} MB a returned packet may have")
    return ""


def _custom_properties(reading: DocxReading) -> dict[str, str]:
    """The document's custom properties named ``missionpress.<key>``, as key -> text."""
    from lxml import etree

    from generator.docx.forms import PROPERTY_PREFIX

    part = next((p for p in reading.document.part.package.iter_parts() if p.partname == CUSTOM_PROPERTIES), None)
    if part is None:
        return {}
    try:
        root = etree.fromstring(part.blob, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return {}
    values = {}
    for prop in root.iter(PROPERTY):
        name = prop.get("name", "")
        if name.startswith(PROPERTY_PREFIX):
            values[name[len(PROPERTY_PREFIX):]] = short("".join(prop.itertext()).strip(), 200)
    return values


# --- Many files ---------------------------------------------------------------------


@dataclass
class Collection:
    """The rows of every returned file, in file order."""

    rows: list[Row]

    def ok(self) -> bool:
        return all(row.status == COMPLETE for row in self.rows)

    def summary(self) -> str:
        """``12 packets: 9 complete, 2 incomplete, 1 modified after signing``."""
        counts = {outcome: 0 for outcome in (COMPLETE, INCOMPLETE, MODIFIED, INVALID, FOREIGN)}
        for row in self.rows:
            counts[row.outcome] += 1
        packets = len(self.rows) - counts[FOREIGN]
        words = {INVALID: "with an invalid signature", FOREIGN: "not a packet" if counts[FOREIGN] == 1
                 else "not packets"}
        parts = [f"{n} {words.get(outcome, outcome)}" for outcome, n in counts.items()
                 if n or outcome == COMPLETE]
        return f"{packets} packet{'' if packets == 1 else 's'}: {', '.join(parts)}"


    def csv(self) -> str:
        """The report as CSV (UTF-8 text, a header row, one row per file)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows([_safe_cell(cell) for cell in row.cells()] for row in self.rows)
        return out.getvalue()

    def xlsx(self) -> bytes:
        """The report as an Excel workbook: one sheet, a header row, one row per file."""
        from openpyxl import Workbook

        from generator.output import build_date

        book = Workbook()
        sheet = book.active
        sheet.title = "Packets"
        sheet.append(list(COLUMNS))
        for row in self.rows:
            sheet.append([_safe_cell(cell) for cell in row.cells()])
        sheet.freeze_panes = "A2"
        book.properties.created = book.properties.modified = build_date().replace(tzinfo=None)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


def _safe_cell(cell: str | int) -> str | int:
    """Text from a returned file as text, never a formula a spreadsheet would run."""
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + cell
    return cell


def collect(paths: Sequence[Path], known: set[str] | None = None) -> Collection:
    """Every PDF and DOCX under ``paths`` read back (``known``: the packet ids built, if known)."""
    from generator.check.run import find_files

    return Collection([read_packet(path, known) for path in find_files(paths)])


def known_packets(folder: Path) -> set[str] | None:
    """The packet ids built into ``folder`` (its manifest), or None when it has none."""
    from generator.documents.onboarding.manifest import MANIFEST, Manifest

    if not (folder / MANIFEST).is_file():
        return None
    return set(Manifest(folder).packets)
