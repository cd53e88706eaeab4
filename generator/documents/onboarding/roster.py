"""Load and validate the roster: one row per person who gets an onboarding packet.

Files are read as spreadsheets really export them: ``.xlsx``/``.xlsm`` (first
sheet, via openpyxl) and ``.csv``/``.tsv`` in UTF-8, UTF-8 with BOM, UTF-16
with or without BOM, or Windows-1252 (Excel's default "CSV").  The encoding rule is
deterministic: a BOM decides; else the NUL bytes of UTF-16 (Excel's "Unicode
Text" without BOM); else strict UTF-8; else Windows-1252.
charset-normalizer is not used because on short files it guesses exotic code
pages (it reads cp1252 "José Ñúñez" as cp1250 "José Ńúńez"); valid UTF-8 is
almost never meant as anything else, and cp1252 is the only other encoding
Excel realistically writes.  Files mixing UTF-8 with other bytes are refused
rather than garbled.  The delimiter (comma, semicolon, tab) is read from the
header row, csv.Sniffer breaking ties; Excel's ``sep=;`` line is honoured.

The header is the first non-blank row; columns match ignoring case, spaces,
hyphens and underscores ("Start Date", "start_date", "E-mail").  Values are
trimmed and NFC-normalized; each is one line, so a line break or other control
character is an error (often an unclosed quote that swallowed later rows).
Dates are ISO or US M/D/YYYY.  All rows are checked and every problem is
reported at once as ``FILE:LINE: column: problem (how to fix)``, LINE being
the line an editor shows (CSV: where the record starts) or the sheet row, and
column the canonical name (``start_date``).

Work is bounded for any file: at most ``MAX_FILE`` bytes on disk (an .xlsx at
most ``MAX_UNPACKED`` unpacked), ``MAX_ROWS`` people and ``MAX_COLUMNS``
columns; a name is at most ``MAX_NAME`` characters, any other value
``MAX_VALUE``.  A value made only of invisible characters, holding a
direction control (U+202E...) or piling up combining marks is refused, as is
an .xlsx formula without a saved result (openpyxl cannot compute it) and a
password-protected workbook.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import difflib
import io
import logging
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator.content.fonts import describe, missing_glyphs
from generator.content.model import MAX_MARKS, STACKED_MARKS
from generator.errors import MissionpressError, printable, where
from generator.inputs import MB, read_bytes

log = logging.getLogger(__name__)

COLUMNS = ("name", "preferred_name", "role", "department", "start_date",
           "supervisor", "email", "language")
TEXT_COLUMNS = ("name", "preferred_name", "role", "department", "supervisor", "email")
DEFAULT_LANGUAGES = ("en", "es", "en+es")
TEXT_SUFFIXES = (".csv", ".tsv")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
SAVE_AS = "save it as .xlsx or CSV UTF-8"

Cell = object  # str | int | float | bool | datetime | date | time | None
Rows = list[tuple[int, list[Cell]]]

_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_CONTROL_NAMES = {"\t": "TAB", "\n": "LINE FEED", "\r": "CARRIAGE RETURN", "\x00": "NUL"}

MAX_FILE = 8 * MB  # 10,000 rows of a roster are some 2 MB
MAX_UNPACKED = 24 * MB  # an .xlsx is a zip: what it unpacks to (10,000 rows are some 5 MB)
MAX_ROWS = 10_000
MAX_COLUMNS = 64
MAX_NAME = 150  # name and preferred_name: "Hubert Blaine Wolfeschlegelsteinhausenbergerdorff Sr." is 54
MAX_VALUE = 300
# Characters that reorder the text around them (bidirectional embeddings, overrides, isolates).
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u061c\u200e\u200f]")
# Characters that print nothing (besides spaces and format characters, category Cf).
_BLANKS = set("\u115f\u1160\u3164\uffa0\u2800\u034f\u180e")
_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE file: an encrypted workbook or an old .xls


@dataclass(frozen=True)
class Recipient:
    """One person on the roster; ``line`` is where the row starts in the source file."""

    name: str
    preferred_name: str = ""
    role: str = ""
    department: str = ""
    start_date: dt.date | None = None
    supervisor: str = ""
    email: str = ""
    language: str = "en"
    line: int = 0

    @property
    def greeting_name(self) -> str:
        return self.preferred_name or self.name


@dataclass
class Roster:
    """The valid people, in file order, and the problems of rows left out by ``skip_invalid``."""

    path: Path
    recipients: list[Recipient] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def __iter__(self) -> Iterator[Recipient]:
        return iter(self.recipients)

    def __len__(self) -> int:
        return len(self.recipients)


def load_roster(path: Path, *, skip_invalid: bool = False,
                languages: Iterable[str] = DEFAULT_LANGUAGES) -> Roster:
    """Read and validate the roster at ``path``.

    Raises one :class:`MissionpressError` listing every problem.  With
    ``skip_invalid`` bad rows are dropped instead and their problems kept in
    ``Roster.skipped``; header problems and an empty result still raise.
    Blank ``language`` cells get the first code of ``languages``.
    """
    path = Path(path)
    allowed = [code.strip().lower() for code in languages]
    if not allowed:
        raise ValueError("languages must name at least one language code")
    rows = _read(path)
    content = [(line, cells) for line, cells in rows if not _is_blank(cells)]
    if not content:
        raise MissionpressError(f"{where(path)}: roster: the file is empty "
                                "(put a header row with a name column, then one row per person)")
    header_line, header = content[0]
    columns = _columns(path, header_line, header)
    roster = Roster(path)
    problems: list[str] = []
    for line, cells in content[1:]:
        result = _recipient(path, line, cells, columns, allowed)
        if isinstance(result, Recipient):
            roster.recipients.append(result)
        else:
            problems.extend(result)
    if problems and not skip_invalid:
        raise MissionpressError(*problems)
    if problems:
        roster.skipped = problems
        log.warning("%s: skipped %d problem(s) in invalid rows", path, len(problems))
    if not roster.recipients:
        why = "every row has a problem" if problems else "there are no rows under the header"
        raise MissionpressError(*problems, f"{where(path)}: roster: no valid people ({why}; "
                                "add one row per person with at least a name)")
    return roster


# -- reading ---------------------------------------------------------------

def _read(path: Path) -> Rows:
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
                                f"{_show(formula)} has no saved result (openpyxl cannot compute formulas: save "
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
        # Dimensions recorded in the file can claim a million formatted rows;
        # without them only rows actually stored are read, still numbered from 1.
        sheet.reset_dimensions()
        rows: Rows = []
        for number, cells in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
            if _is_blank(list(cells)):  # formatted but empty rows: many, and nobody's
                continue
            if len(rows) > MAX_ROWS:
                raise _too_many_rows(path)
            rows.append((number, list(cells)))
        return rows
    finally:
        book.close()


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
        if _is_blank(list(cells)):
            continue
        if len(rows) > MAX_ROWS:
            raise _too_many_rows(path)
        rows.append((start, list(cells)))


# -- validating --------------------------------------------------------------

def _key(header: str) -> str:
    """Separators do not count: "Start Date", "start_date", "StartDate", "E-mail" all match."""
    return re.sub(r"[\s\-_\ufeff]+", "", header.lower())


_KEYS = {_key(column): column for column in COLUMNS}


def _is_blank(cells: list[Cell]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def _columns(path: Path, line: int, header: list[Cell]) -> list[str | None]:
    problems: list[str] = []
    seen: dict[str, str] = {}
    columns: list[str | None] = []
    for cell in header:
        written = _text(cell)
        key = _KEYS.get(_key(written)) if written else None
        columns.append(key)
        if not written:
            continue
        loc = f"{where(path, line)}: {written if written.isprintable() else _show(written)}"
        if key is None:
            close = difflib.get_close_matches(_key(written), _KEYS, n=1, cutoff=0.6)
            hint = f'did you mean "{_KEYS[close[0]]}"? ' if close else ""
            problems.append(f"{loc}: unknown column ({hint}known columns: {', '.join(COLUMNS)})")
        elif key in seen:
            problems.append(f'{loc}: duplicate column, same as "{seen[key]}" (keep one of them)')
        else:
            seen[key] = written
    if "name" not in seen:
        problems.append(f"{where(path, line)}: name: no name column in the header row "
                        "(the first non-blank row must be the header and include a name column)")
    if problems:
        raise MissionpressError(*problems)
    return columns


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    elif isinstance(cell, dt.datetime) and cell.time() == dt.time():
        cell = cell.date()
    if isinstance(cell, (dt.date, dt.time)):
        return cell.isoformat()
    return unicodedata.normalize("NFC", str(cell).strip())


def _show(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _check_text(column: str, value: str) -> list[str]:
    limit = MAX_NAME if column in ("name", "preferred_name") else MAX_VALUE
    if len(value) > limit:
        return [f"{column}: {len(value):,} characters, over the limit of {limit} ({_show(value)}; "
                "shorten it: it must fit on the printed page)"]
    problems = []
    if value and all(ch.isspace() or ch in _BLANKS or unicodedata.category(ch) in ("Cf", "Mn", "Me")
                     for ch in value):
        codes = ", ".join(f"U+{ord(ch):04X}" for ch in dict.fromkeys(value))
        return [f"{column}: has no visible characters, only {codes} (type the value, or leave the cell empty)"]
    bidi = sorted(set(_BIDI.findall(value)))
    if bidi:
        named = ", ".join(f"U+{ord(ch):04X} {unicodedata.name(ch, 'DIRECTION MARK')}" for ch in bidi)
        problems.append(f"{column}: contains {named}, which would reverse the direction of the text around it "
                        "(retype the value without it)")
    stacked = STACKED_MARKS.search(value)
    if stacked:
        problems.append(f"{column}: {len(stacked.group(0))} accents stacked on one letter, over the limit of "
                        f"{MAX_MARKS} (retype the value)")
        return problems
    controls = sorted({ch for ch in value if unicodedata.category(ch) in ("Cc", "Zl", "Zp")})
    if controls:
        named = ", ".join(f"U+{ord(ch):04X} {_CONTROL_NAMES.get(ch) or unicodedata.name(ch, 'CONTROL')}"
                          for ch in controls)
        hint = "; a value spanning lines may mean an unclosed quote" if {"\n", "\r"} & set(controls) else ""
        problems.append(f"{column}: contains control character {named} "
                        f"(retype the value on one line without it{hint})")
    missing = missing_glyphs(value)
    if missing:
        more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
        problems.append(f"{column}: no glyph for {', '.join(describe(ch) for ch in missing[:3])}{more} "
                        "(the bundled fonts cannot print it; write the value without it, "
                        "e.g. in Latin letters)")
    return problems


def _date(cell: Cell) -> tuple[dt.date | None, str | None]:
    fix = "(write dates as YYYY-MM-DD, e.g. 2026-08-17, or M/D/YYYY, e.g. 8/17/2026)"
    if isinstance(cell, dt.datetime):
        return cell.date(), None
    if isinstance(cell, dt.date):
        return cell, None
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return None, f"{cell!r} is a number, not a date {fix}"
    text = _text(cell)
    if not text:
        return None, None
    if iso := _ISO_DATE.fullmatch(text):
        year, month, day = iso.groups()
    elif us := _US_DATE.fullmatch(text):
        month, day, year = us.groups()
    else:
        return None, f"{_show(text)} is not a date {fix}"
    try:
        return dt.date(int(year), int(month), int(day)), None
    except ValueError as exc:
        return None, f"{_show(text)} is not a real date: {exc} {fix}"


def _recipient(path: Path, line: int, cells: list[Cell], columns: list[str | None],
               allowed: list[str]) -> Recipient | list[str]:
    """The row as a Recipient, or its problems."""
    loc = where(path, line)
    problems: list[str] = []
    raw: dict[str, Cell] = {}
    if len(cells) > MAX_COLUMNS and not _is_blank(cells[MAX_COLUMNS:]):
        return [f"{loc}: more than {MAX_COLUMNS} columns of values (a roster needs {len(COLUMNS)}; "
                "remove the others)"]
    for index, cell in enumerate(cells):
        key = columns[index] if index < len(columns) else None
        if key is not None:
            raw[key] = cell
        elif not _is_blank([cell]):
            problems.append(f"{loc}: column {index + 1}: value {_show(_text(cell))} has no column header "
                            "(quote values that contain the delimiter, or remove the stray value)")
    values = {key: _text(raw.get(key)) for key in TEXT_COLUMNS}
    if not values["name"]:
        problems.append(f"{loc}: name: missing (every person needs a name; delete the row if it is not a person)")
    for key in TEXT_COLUMNS:
        problems.extend(f"{loc}: {p}" for p in _check_text(key, values[key]))
    email = values["email"]
    if email and not _EMAIL.fullmatch(email):
        problems.append(f"{loc}: email: {_show(email)} does not look like an email address "
                        "(use one address like ana@example.org, or leave it blank)")
    start, problem = _date(raw.get("start_date"))
    if problem:
        problems.append(f"{loc}: start_date: {problem}")
    language = re.sub(r"\s+", "", _text(raw.get("language")).lower()) or allowed[0]
    if language not in allowed:
        problems.append(f"{loc}: language: {_show(language)} is not supported "
                        f"(use one of: {', '.join(allowed)}; blank means {allowed[0]})")
    return problems or Recipient(start_date=start, language=language, line=line, **values)
