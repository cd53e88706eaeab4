"""Nothing silently left out or silently added: unread content files, duplicate and hidden roster rows."""

from __future__ import annotations

import io
import logging
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.documents.onboarding.roster import load_roster
from tests.hostile.harness import content, run

# name: (a file made in the content folder, the warning's end)
UNREAD: dict[str, tuple[Callable[[Path], Path], str]] = {
    "a chapter named .MD": (lambda f: f / "handbook" / "Extra.MD", "(chapters are read from files named *.md: "
                                                                   "rename it extra.md)"),
    "a chapter named .markdown": (lambda f: f / "handbook" / "more.markdown",
                                  "(chapters are read from files named *.md: rename it more.md)"),
    "a translation without its English file": (lambda f: f / "handbook" / "orphan.es.md",
                                               "(a translation is read only beside its English file: add orphan.md)"),
    "a theme named .yml": (lambda f: f / "theme.yml", "(rename it theme.yaml)"),
    "a Markdown file in onboarding/": (lambda f: f / "onboarding" / "notes.md",
                                       "(this folder's Markdown files are welcome.md, acknowledgment.md)"),
    "a statement named .YAML": (lambda f: f / "statement.fr.YAML", "(rename it statement.fr.yaml)"),
}


@pytest.mark.parametrize("case", list(UNREAD))
def test_content_files_no_build_reads_are_named(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                case: str) -> None:
    name, end = UNREAD[case]
    folder = content(tmp_path)
    path = name(folder)
    shutil.copy(folder / "handbook" / "glossary.md", path)
    outcome = run(capsys, tmp_path, "build", "poster", "--content", str(folder), "--format", "html", quiet=False)
    assert outcome.status == 0, outcome.err
    warnings = [line for line in outcome.err.splitlines() if "not read by any build" in line]
    assert warnings == [f"warning: {path}: not read by any build {end}"], outcome.err


def test_a_clean_content_folder_has_no_unread_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outcome = run(capsys, tmp_path, "build", "poster", "--content", str(content(tmp_path)), "--format", "html",
                  quiet=False)
    assert "not read" not in outcome.err


def warned(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


@pytest.mark.parametrize("rows", [["Ana Ruiz,Nurse", "Bo Li,Clerk", "Ana Ruiz,Nurse"],
                                  ["Ana Ruiz,Nurse,", "Ana Ruiz,Nurse", "Bo Li,Clerk"]])
def test_an_exact_duplicate_roster_row_is_warned(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                 rows: list[str]) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("name,role,department\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        people = load_roster(roster)
    assert len(people) == 3
    second = 2 + next(i for i in range(1, 3) if rows[i].rstrip(",") == "Ana Ruiz,Nurse")
    assert warned(caplog) == [f"warning: {roster}:{second}: the same row as line 2, exactly: two packets are built "
                              "for one person (the second with -2 in its file names); delete one of the rows"]


def test_rows_that_only_look_alike_are_not_duplicates(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("name,role\nAna Ruiz,Nurse\nAna Ruiz,Clerk\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        load_roster(roster)
    assert warned(caplog) == []


def workbook(path: Path, hide: Callable[[object], None]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in [["name", "role"], ["Ana Ruiz", "Nurse"], ["Bo Li", "Clerk"], ["Cy Dee", "Cook"], ["Di Eve", "RN"]]:
        sheet.append(row)
    hide(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def hide_rows(*numbers: int) -> Callable[[object], None]:
    def hide(sheet: object) -> None:
        for number in numbers:
            sheet.row_dimensions[number].hidden = True  # type: ignore[attr-defined]
    return hide


@pytest.mark.parametrize(("hide", "said"), [(hide_rows(3), "row 3 is hidden"),
                                            (hide_rows(3, 5), "rows 3, 5 are hidden")])
def test_hidden_workbook_rows_are_warned(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                         hide: Callable[[object], None], said: str) -> None:
    roster = workbook(tmp_path / "roster.xlsx", hide)
    with caplog.at_level(logging.WARNING):
        people = load_roster(roster)
    assert len(people) == 4  # read like the others
    assert warned(caplog) == [f"warning: {roster}: {said} in the sheet, and read like the others (unhide them in "
                              "the spreadsheet to see every person a packet is built for, or delete the rows)"]
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        load_roster(workbook(tmp_path / "plain.xlsx", hide_rows()))
    assert warned(caplog) == []


def test_roster_language_is_quoted_as_written(tmp_path: Path) -> None:
    from generator.errors import MissionpressError

    roster = tmp_path / "roster.csv"
    roster.write_text("name,language\nAna Ruiz,en es\n", encoding="utf-8")
    with pytest.raises(MissionpressError, match=r"language: 'en es' is not supported"):
        load_roster(roster)
