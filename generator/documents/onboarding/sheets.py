"""Roster files as rows of cells: spreadsheets read as they are really exported, within bounds.

Files are read as spreadsheets really export them: ``.xlsx``/``.xlsm`` (first
sheet, via openpyxl) and ``.csv``/``.tsv`` in UTF-8, UTF-8 with BOM, UTF-16
with or without BOM, or Windows-1252 (Excel's default "CSV").  The encoding
rule is deterministic: a BOM decides; else the NUL bytes of UTF-16 (Excel's
"Unicode Text" without BOM); else strict UTF-8; else Windows-1252.
charset-normalizer is not used because on short files it guesses exotic code
pages (it reads cp1252 "José Ñúñez" as cp1250 "José Ńúńez"); valid UTF-8 is
almost never meant as anything else, and cp1252 is the only other encoding
Excel realistically writes.  Files mixing UTF-8 with other bytes are refused
rather than garbled.  The delimiter (comma, semicolon, tab) is read from the
header row, csv.Sniffer breaking ties; Excel's ``sep=;`` line is honoured.

Work is bounded for any file: at most ``MAX_FILE`` bytes on disk (an .xlsx
at most ``MAX_UNPACKED`` unpacked) and ``MAX_ROWS`` rows of values.  An
.xlsx formula without a saved result (openpyxl cannot compute it), a
password-protected or damaged workbook is refused with what to do.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from generator.errors import MissionpressError, printable, where
from generator.inputs import MB, read_bytes

log = logging.getLogger(__name__)

Cell = object  # str | int | float | bool | datetime | date | time | None
Rows = list[tuple[int, list[Cell]]]

TEXT_SUFFIXES = (".csv", ".tsv")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
SAVE_AS = "save it as .xlsx or CSV UTF-8"
MAX_FILE = 8 * MB  # a CSV of 10,000 people is about 1 MB
MAX_UNPACKED = 24 * MB  # an .xlsx is a zip: what it unpacks to (10,000 rows are some 5 MB)
MAX_ROWS = 10_000
_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE file: an encrypted workbook or an old .xls
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def is_blank(cells: list[Cell]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def show(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")


def read_rows(path: Path) -> Rows:
    """The rows of a roster file that hold anything, each with its line (CSV) or row (sheet) number."""
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES + XLSX_SUFFIXES:
        hint = SAVE_AS if suffix in (".xls", ".ods", ".numbers") else f"use .csv or .xlsx; {SAVE_AS}"
        raise MissionpressError(f"{where(path)}: roster: cannot read {suffix or 'files without an extension'} "
                                f"files ({hint})")
    data = read_bytes(path, f"{where(path)}: roster", MAX_FILE)
    if data.startswith(_CFB):
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise MissionpressError(f"{where(path)}: roster: the workbook is password-protected (in Excel remove "
                                    "the password: File > Info > Protect Workbook > Encrypt with Password, "
                                    "clear it and save; or save the sheet as CSV UTF-8)")
        raise MissionpressError(f"{where(path)}: roster: an old Excel 97-2003 workbook, not .xlsx ({SAVE_AS})")
    try:
        if suffix in XLSX_SUFFIXES:
            return _read_xlsx(path, data)
        return _read_text(path, data)
    except OSError as exc:
        raise MissionpressError(f"{where(path)}: roster: cannot open the file: {exc.strerror or exc} "
                                "(check that it exists and you may read it)") from exc


def _too_many_rows(path: Path) -> MissionpressError:
    return MissionpressError(f"{where(path)}: roster: more than {MAX_ROWS:,} rows (split it into several "
                             "rosters and build each one)")


def _check_package(path: Path, data: bytes) -> None:
    """Refuse a workbook that unpacks to more than MAX_UNPACKED (a zip bomb, or a 100 MB cell)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            sizes = [(info.file_size, info.filename) for info in package.infolist()]
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise MissionpressError(f"{where(path)}: roster: not a readable .xlsx workbook ({exc}; "
                                f"open it in a spreadsheet program and {SAVE_AS})") from None
    total = sum(size for size, _ in sizes)
    if total > MAX_UNPACKED:
        largest = max(sizes)[1]
        raise MissionpressError(f"{where(path)}: roster: the workbook unpacks to {total // MB} MB (mostly "
                                f"{printable(largest)}), over the limit of {MAX_UNPACKED // MB} MB; a roster needs "
                                f"far less: does a cell hold a huge value? ({SAVE_AS} with only the roster)")


def _read_xlsx(path: Path, data: bytes) -> Rows:
    _check_package(path, data)
    try:
        values = _sheet(path, data, data_only=True)
        formulas = _sheet(path, data, data_only=False)
    except MissionpressError:
        raise
    except Exception as exc:  # openpyxl raises whatever its XML parser meets in a damaged file
        raise MissionpressError(f"{where(path)}: roster: not a readable .xlsx workbook (damaged: "
                                f"{type(exc).__name__}: {str(exc)[:120]}; open it in a spreadsheet program "
                                f"and {SAVE_AS})") from None
    from openpyxl.utils import get_column_letter

    problems = []
    by_number = dict(values)
    for number, raw in formulas:
        cells = by_number.get(number, [])
        for column, formula in enumerate(raw, start=1):
            value = cells[column - 1] if column <= len(cells) else None
            if value is None and isinstance(formula, str) and formula.startswith("="):
                problems.append(f"{where(path, number)}: cell {get_column_letter(column)}{number}: the formula "
                                f"{show(formula)} has no saved result (openpyxl cannot compute formulas: save "
                                "the file in Excel or LibreOffice first, or type the value)")
    if problems:
        raise MissionpressError(*problems)
    return values


def _sheet(path: Path, data: bytes, *, data_only: bool) -> Rows:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    try:
        if not book.worksheets:
            raise MissionpressError(f"{where(path)}: roster: the workbook has no sheet of cells "
                                    "(put the roster on the first sheet)")
        sheet = book.worksheets[0]
        if len(book.worksheets) > 1 and data_only:
            log.info("%s: reading the first sheet %r only", path, sheet.title)
        if data_only:
            _warn_hidden(path, data, getattr(sheet, "_worksheet_path", ""))
        # Dimensions recorded in the file can claim a million formatted rows;
        # without them only rows actually stored are read, still numbered from 1.
        sheet.reset_dimensions()
        rows: Rows = []
        for number, cells in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
            if is_blank(list(cells)):  # formatted but empty rows: many, and nobody's
                continue
            if len(rows) > MAX_ROWS:
                raise _too_many_rows(path)
            rows.append((number, list(cells)))
        return rows
    finally:
        book.close()


_ROW = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_HIDDEN = re.compile(rb"""\bhidden\s*=\s*["'](?:1|true)["']""")
_NUMBER = re.compile(rb"""\br\s*=\s*["'](\d+)["']""")


def _warn_hidden(path: Path, data: bytes, sheet_path: str) -> None:
    """A warning naming the rows hidden in the sheet (by hand or by a filter): they are read like the rest,
    so a person who sees the sheet in Excel does not see every packet that is built."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            xml = package.read(sheet_path)
    except (KeyError, zipfile.BadZipFile, ValueError):
        return
    if b"hidden" not in xml:
        return
    hidden = [int(number.group(1)) for row in _ROW.finditer(xml)
              if _HIDDEN.search(row.group(1)) and (number := _NUMBER.search(row.group(1)))]
    if hidden:
        shown = ", ".join(map(str, hidden[:10])) + (f" and {len(hidden) - 10} more" if len(hidden) > 10 else "")
        log.warning("warning: %s: row%s %s %s hidden in the sheet, and read like the others (unhide them in the "
                    "spreadsheet to see every person a packet is built for, or delete the rows)", path,
                    "s" if len(hidden) > 1 else "", shown, "are" if len(hidden) > 1 else "is")


def _decode(path: Path, data: bytes) -> str:
    def refuse(offset: int, what: str) -> MissionpressError:
        line = data.count(b"\n", 0, offset) + 1
        return MissionpressError(f"{where(path, line)}: roster: {what} (in Excel use Save As > CSV UTF-8)")

    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise refuse(0, f"the file starts like UTF-16 but is not ({exc.reason})") from exc
    if data[:4096].count(0) > len(data[:4096]) // 10:  # a stray NUL is a cell's problem, many are UTF-16
        return _decode_utf16(path, data, refuse)
    body = data[len(codecs.BOM_UTF8):] if data.startswith(codecs.BOM_UTF8) else data
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + len(data) - len(body)
        if body is not data:
            raise refuse(offset, "the file says it is UTF-8 but has bytes that are not") from exc
        if _UTF8_SEQUENCE.search(data):
            raise refuse(offset, "the file mixes UTF-8 text with bytes in another encoding") from exc
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise refuse(exc.start, "the text is neither UTF-8 nor Windows-1252") from exc
    log.info("%s: not UTF-8, read as Windows-1252", path)
    return text


def _decode_utf16(path: Path, data: bytes, refuse: Callable[[int, str], MissionpressError]) -> str:
    """UTF-16 without a byte-order mark (Excel's "Unicode Text"): told by where the NUL bytes fall."""
    sample = data[:4096]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = max(len(sample) // 2, 1)
    encoding = ("utf-16-le" if odd > half * 0.3 and even < half * 0.05
                else "utf-16-be" if even > half * 0.3 and odd < half * 0.05 else "")
    if not encoding:
        raise refuse(data.index(b"\x00"), "the file holds NUL bytes: it is not text (a spreadsheet or other "
                     "file renamed .csv?)")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise refuse(exc.start, f"the file looks like {encoding.upper()} without a byte-order mark but is "
                     "not") from exc
    log.info("%s: read as %s (no byte-order mark)", path, encoding.upper())
    return text


def _delimiter(text: str) -> str:
    header = next((ln for ln in re.split(r"\r\n|\r|\n", text) if ln.strip()), "")
    present = [d for d in ",;\t" if d in header]
    if len(present) == 1:
        return present[0]
    try:
        found = csv.Sniffer().sniff(text[:65536], delimiters=",;\t").delimiter
    except csv.Error:
        found = ""
    return found if found in present else max(present, key=header.count, default=",")


def _read_text(path: Path, data: bytes) -> Rows:
    text = _decode(path, data)
    first = re.match(r"sep=(.)(?=\r|\n|$)", text)
    # Excel's delimiter hint; the line is blanked (not removed) so line numbers stay right.
    delimiter, text = (first.group(1), text[first.end():]) if first else (_delimiter(text), text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: Rows = []
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return rows
        except csv.Error as exc:
            raise MissionpressError(f"{where(path, start)}: roster: cannot read this line as CSV: {exc} "
                                    f"(check its quotes, or {SAVE_AS})") from exc
        if is_blank(list(cells)):
            continue
        if len(rows) > MAX_ROWS:
            raise _too_many_rows(path)
        rows.append((start, list(cells)))
