"""Running hostile input through the command line, and what must hold for every case.

Each case makes its files in a temporary folder, runs ``missionpress`` in this
process (``generator.cli.main``), and checks what a person at the terminal
meets: the exit status, one ``error:`` line per problem naming the file (and
line), no traceback, no raw control character; and what the disk shows:
nothing written or deleted outside the output folder, no temporary file left.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.cli import main
from generator.paths import BUILTIN_CONTENT

# A line of the built-in statement that cases spoil.
GOAL = "  - Improve health and health care to the populations we serve with community-wide solutions"


@dataclass
class Outcome:
    status: int
    err: str
    out: str

    @property
    def errors(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.startswith("error: ")]


def snapshot(root: Path, skip: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``root`` but outside ``skip``: size and modification time, links not followed."""
    seen = {}
    for folder, dirs, files in os.walk(root):
        if Path(folder) == skip or Path(folder).is_relative_to(skip):
            dirs[:] = []
            continue
        for name in files + [d for d in dirs if os.path.islink(os.path.join(folder, d))]:
            path = Path(folder) / name
            info = path.lstat()
            seen[str(path.relative_to(root))] = (info.st_size, info.st_mtime_ns)
    return seen


def content(tmp_path: Path) -> Path:
    """A copy of the built-in content to spoil."""
    folder = tmp_path / "content"
    if not folder.exists():
        shutil.copytree(BUILTIN_CONTENT, folder)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def run(capsys: pytest.CaptureFixture[str], tmp_path: Path, *argv: str, out: Path | None = None,
        quiet: bool = True) -> Outcome:
    """``missionpress -q ARGV --out OUT`` (build) with the guarantees every run must keep."""
    out = out or tmp_path / "out"
    args = list(argv)
    if args[0] == "build" and "--out" not in args:
        args += ["--out", str(out)]
    capsys.readouterr()
    before = snapshot(tmp_path, out)
    temporary = set(_temporary(out))
    status = main(["-q", *args] if quiet else args)
    captured = capsys.readouterr()
    outcome = Outcome(status, captured.err, captured.out)
    assert "Traceback" not in outcome.err, outcome.err
    assert "\x1b" not in outcome.err + outcome.out and "\u202e" not in outcome.err, "raw control character echoed"
    assert snapshot(tmp_path, out) == before, "a file outside the output folder was written or deleted"
    assert set(_temporary(out)) <= temporary, "a temporary file was left"
    return outcome


def _temporary(out: Path) -> list[Path]:
    return [p for p in out.rglob(".*.part") if ".mp-" in p.name] if out.is_dir() and not out.is_symlink() else []


def refused(outcome: Outcome, where: str, message: str, status: int = 2) -> None:
    """Exit ``status``, and an error line that starts at ``where`` (file or file:line) and says ``message``."""
    assert outcome.status == status, outcome.err
    assert outcome.errors, outcome.err
    first = outcome.errors[0].removeprefix("error: ")
    assert where in first.split(": ", 1)[0], f"{where!r} is not where {first!r} points"
    assert message in outcome.err, f"{message!r} not in {outcome.err!r}"
