"""Load and validate the roster: one row per person who gets an onboarding packet.

Files are read by :mod:`generator.documents.onboarding.sheets`.

The header is the first non-blank row; columns match ignoring case, spaces,
hyphens and underscores ("Start Date", "start_date", "E-mail").  Values are
trimmed and NFC-normalized; each is one line, so a line break or other control
character is an error (often an unclosed quote that swallowed later rows).
Dates are ISO or US M/D/YYYY.  All rows are checked and every problem is
reported at once as ``FILE:LINE: column: problem (how to fix)``, LINE being
the line an editor shows (CSV: where the record starts) or the sheet row, and
column the canonical name (``start_date``).

A row has at most ``MAX_COLUMNS`` columns of values; a name is at most ``MAX_NAME`` characters, any other value
``MAX_VALUE``.  A value made only of invisible characters, holding a
direction control (U+202E...) or piling up combining marks is refused.
"""

from __future__ import annotations

import datetime as dt
import difflib
import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator.content.fonts import describe, missing_glyphs
from generator.content.model import MAX_MARKS, STACKED_MARKS
from generator.documents.onboarding.sheets import Cell, is_blank, read_rows, show
from generator.errors import MissionpressError, where

log = logging.getLogger(__name__)

COLUMNS = ("name", "preferred_name", "role", "department", "start_date",
           "supervisor", "email", "language")
TEXT_COLUMNS = ("name", "preferred_name", "role", "department", "supervisor", "email")
DEFAULT_LANGUAGES = ("en", "es", "en+es")


_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")
_CONTROL_NAMES = {"\t": "TAB", "\n": "LINE FEED", "\r": "CARRIAGE RETURN", "\x00": "NUL"}

MAX_COLUMNS = 64
MAX_NAME = 150  # name and preferred_name: "Hubert Blaine Wolfeschlegelsteinhausenbergerdorff Sr." is 54
MAX_VALUE = 300
# Characters that reorder the text around them (bidirectional embeddings, overrides, isolates).
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u061c\u200e\u200f]")
# Characters that print nothing (besides spaces and format characters, category Cf).
_BLANKS = set("\u115f\u1160\u3164\uffa0\u2800\u034f\u180e")


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
    rows = read_rows(path)
    content = [(line, cells) for line, cells in rows if not is_blank(cells)]
    if not content:
        raise MissionpressError(f"{where(path)}: roster: the file is empty "
                                "(put a header row with a name column, then one row per person)")
    header_line, header = content[0]
    columns, header_problems = _columns(path, header_line, header)
    roster = Roster(path)
    problems: list[str] = []
    _warn_duplicates(path, content[1:])
    for line, cells in content[1:]:
        result = _recipient(path, line, cells, columns, allowed)
        if isinstance(result, Recipient):
            roster.recipients.append(result)
        else:
            problems.extend(result)
    if header_problems or (problems and not skip_invalid):  # the header's and every row's, at once
        raise MissionpressError(*header_problems, *problems)
    if problems:
        roster.skipped = problems
        log.warning("%s: skipped %d problem(s) in invalid rows", path, len(problems))
    if not roster.recipients:
        why = "every row has a problem" if problems else "there are no rows under the header"
        raise MissionpressError(*problems, f"{where(path)}: roster: no valid people ({why}; "
                                "add one row per person with at least a name)")
    return roster


def _warn_duplicates(path: Path, rows: list[tuple[int, list[Cell]]]) -> None:
    """A warning for each row that repeats an earlier one exactly: two packets for one person."""
    seen: dict[tuple[str, ...], int] = {}
    for line, cells in rows:
        key = tuple(_text(cell) for cell in cells)
        while key and not key[-1]:
            key = key[:-1]
        if key in seen:
            log.warning("warning: %s: the same row as line %d, exactly: two packets are built for one person (the "
                        "second with -2 in its file names); delete one of the rows", where(path, line), seen[key])
        else:
            seen[key] = line


# -- validating --------------------------------------------------------------

def _key(header: str) -> str:
    """Separators do not count: "Start Date", "start_date", "StartDate", "E-mail" all match."""
    return re.sub(r"[\s\-_\ufeff]+", "", header.lower())


_KEYS = {_key(column): column for column in COLUMNS}


def _columns(path: Path, line: int, header: list[Cell]) -> tuple[list[str | None], list[str]]:
    """The column of each header cell (None: no header; "": a header reported as a problem, its cells
    not read), and the header's problems.  Without a name column, the rows are not worth reading: raises."""
    problems: list[str] = []
    seen: dict[str, str] = {}
    columns: list[str | None] = []
    for cell in header:
        written = _text(cell)
        key = _KEYS.get(_key(written)) if written else None
        columns.append(key if key is None or key not in seen else "")
        if not written:
            continue
        loc = f"{where(path, line)}: {written if written.isprintable() else show(written)}"
        if key is None:
            close = difflib.get_close_matches(_key(written), _KEYS, n=1, cutoff=0.6)
            hint = f'did you mean "{_KEYS[close[0]]}"? ' if close else ""
            problems.append(f"{loc}: unknown column ({hint}known columns: {', '.join(COLUMNS)})")
            columns[-1] = ""
        elif key in seen:
            problems.append(f'{loc}: duplicate column, same as "{seen[key]}" (keep one of them)')
        else:
            seen[key] = written
    if "name" not in seen:
        problems.append(f"{where(path, line)}: name: no name column in the header row "
                        "(the first non-blank row must be the header and include a name column)")
        raise MissionpressError(*problems)
    return columns, problems


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


def _check_text(column: str, value: str) -> list[str]:
    limit = MAX_NAME if column in ("name", "preferred_name") else MAX_VALUE
    if len(value) > limit:
        return [f"{column}: {len(value):,} characters, over the limit of {limit} ({show(value)}; "
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
        return None, f"{show(text)} is not a date {fix}"
    try:
        return dt.date(int(year), int(month), int(day)), None
    except ValueError as exc:
        return None, f"{show(text)} is not a real date: {exc} {fix}"


def _recipient(path: Path, line: int, cells: list[Cell], columns: list[str | None],
               allowed: list[str]) -> Recipient | list[str]:
    """The row as a Recipient, or its problems."""
    loc = where(path, line)
    problems: list[str] = []
    raw: dict[str, Cell] = {}
    if len(cells) > MAX_COLUMNS and not is_blank(cells[MAX_COLUMNS:]):
        return [f"{loc}: more than {MAX_COLUMNS} columns of values (a roster needs {len(COLUMNS)}; "
                "remove the others)"]
    for index, cell in enumerate(cells):
        key = columns[index] if index < len(columns) else None
        if key:
            raw[key] = cell
        elif key is None and not is_blank([cell]):
            problems.append(f"{loc}: column {index + 1}: value {show(_text(cell))} has no column header "
                            "(quote values that contain the delimiter, or remove the stray value)")
    values = {key: _text(raw.get(key)) for key in TEXT_COLUMNS}
    if not values["name"]:
        problems.append(f"{loc}: name: missing (every person needs a name; delete the row if it is not a person)")
    for key in TEXT_COLUMNS:
        problems.extend(f"{loc}: {p}" for p in _check_text(key, values[key]))
    email = values["email"]
    if email and not _EMAIL.fullmatch(email):
        problems.append(f"{loc}: email: {show(email)} does not look like an email address "
                        "(use one address like ana@example.org, or leave it blank)")
    start, problem = _date(raw.get("start_date"))
    if problem:
        problems.append(f"{loc}: start_date: {problem}")
    written = _text(raw.get("language"))
    language = re.sub(r"\s+", "", written.lower()) or allowed[0]
    if language not in allowed:
        problems.append(f"{loc}: language: {show(written)} is not supported "
                        f"(use one of: {', '.join(allowed)}; blank means {allowed[0]})")
    return problems or Recipient(start_date=start, language=language, line=line, **values)
