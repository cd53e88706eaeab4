"""The one error type for user mistakes.

Every stage raises :class:`MissionpressError` for anything the user can fix
(bad content, a bad roster row, a template problem, an unsupported size).
The CLI catches it once, prints its message on stderr and exits with status 2.
A message never carries a raw control character: text quoted from a file
(a YAML key, a cell, a file name) is shown with escapes such as ``\\x1b``, so
a hostile file cannot move the cursor, retitle the terminal or reverse text.
"""

from __future__ import annotations

import re
from pathlib import Path

# C0 and C1 controls, DEL, and the invisible format characters that reorder or hide text
# (bidirectional embeddings, overrides and isolates, line and paragraph separators).
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def printable(text: str) -> str:
    """``text`` with every control character written as an escape (``\\x1b``, ``\\u202e``)."""

    def escape(match: re.Match[str]) -> str:
        code = ord(match.group(0))
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return UNSAFE.sub(escape, text)


def quoted(value: object, limit: int = 60) -> str:
    """A value from a file or a flag as a message quotes it: in quotes, escaped, cut at ``limit`` characters."""
    text = printable(str(value))
    return f"'{text}'" if len(text) <= limit else f"'{text[:limit - 1]}…' ({len(str(value)):,} characters)"


class MissionpressError(Exception):
    """A mistake in the user's input, with a message that says how to fix it.

    ``problems`` holds one line per problem, already formatted as
    ``FILE:LINE: field: what is wrong (how to fix)``; validation collects
    every problem before raising once.  Control characters in a problem are
    escaped, so each stays one safe line.
    """

    exit_status = 2

    def __init__(self, *problems: str, field: str | None = None) -> None:
        self.problems = [printable(line) for p in problems if p for line in p.split("\n")]
        self.field = field  # the request field at fault, which the CLI names as its flag
        super().__init__("\n".join(self.problems))


def bad_value(field: str, value: object, problem: str) -> MissionpressError:
    """A request field with a bad value: ``size B7: unknown page size (...)``."""
    shown = f" {value}" if value not in ("", None, True) else ""
    if len(shown) > 201 or UNSAFE.search(shown):  # a path is named whole; a pasted paragraph is not
        shown = f" {quoted(value, 120)}"
    return MissionpressError(f"{field}{shown}: {problem}", field=field)


def where(path: Path | str, line: int | None = None) -> str:
    """``path:line`` as editors and compilers print it (line is 1-based)."""
    return f"{path}:{line}" if line else str(path)
