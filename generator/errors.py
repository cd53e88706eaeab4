"""The one error type for user mistakes.

Every stage raises :class:`MissionpressError` for anything the user can fix
(bad content, a bad roster row, a template problem, an unsupported size).
The CLI catches it once, prints its message on stderr and exits with status 2.
"""

from __future__ import annotations

from pathlib import Path


class MissionpressError(Exception):
    """A mistake in the user's input, with a message that says how to fix it.

    ``problems`` holds one line per problem, already formatted as
    ``FILE:LINE: field: what is wrong (how to fix)``; validation collects
    every problem before raising once.
    """

    exit_status = 2

    def __init__(self, *problems: str, field: str | None = None) -> None:
        self.problems = [p for p in problems if p]
        self.field = field  # the request field at fault, which the CLI names as its flag
        super().__init__("\n".join(self.problems))


def bad_value(field: str, value: object, problem: str) -> MissionpressError:
    """A request field with a bad value: ``size B7: unknown page size (...)``."""
    shown = f" {value}" if value not in ("", None, True) else ""
    return MissionpressError(f"{field}{shown}: {problem}", field=field)


def where(path: Path | str, line: int | None = None) -> str:
    """``path:line`` as editors and compilers print it (line is 1-based)."""
    return f"{path}:{line}" if line else str(path)
