"""`missionpress init`: a content folder another organization can build from at once."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from generator.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    status = main(list(argv))
    return status, capsys.readouterr().err


def test_init_writes_a_commented_folder_that_builds_at_once_and_warns_of_placeholders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "acme"
    status, err = run(capsys, "init", str(folder), "--name", "Acme Community Health: East", "--lang", "en+es")
    assert status == 0, err
    for name in ("statement.yaml", "statement.es.yaml", "theme.yaml", "documents.yaml", "logo.svg", "logo.png",
                 "roster.csv", "handbook/handbook.yaml", "handbook/introduction.es.md", "onboarding/welcome.md",
                 "onboarding/checklist.es.yaml", "onboarding/acknowledgment.md"):
        assert (folder / name).is_file(), name
    statement = (folder / "statement.yaml").read_text(encoding="utf-8")
    assert 'name: "Acme Community Health: East"' in statement  # quoted: the colon stays text
    assert "short_name: \"ACHE\"" in statement
    assert "# " in statement and "[REPLACE:" in statement
    assert f"missionpress build --content {folder}" in err

    out = tmp_path / "out"
    status, err = run(capsys, "build", "poster", "--lang", "en+es", "--content", str(folder), "--out", str(out))
    assert status == 0, err
    assert f"warning: {folder}: " in err and "placeholders left in" in err and "statement.yaml:" in err
    with pdfplumber.open(out / "poster-letter.en+es.pdf") as pdf:
        text = pdf.pages[0].extract_text()
    assert "Acme Community Health: East" in text and "[REPLACE:" in text


def test_init_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "acme"
    folder.mkdir()
    (folder / "theme.yaml").write_text("mine\n", encoding="utf-8")
    status, err = run(capsys, "init", str(folder))
    assert status == 2
    assert f"error: {folder}: already holds theme.yaml; init never overwrites" in err
    assert (folder / "theme.yaml").read_text(encoding="utf-8") == "mine\n"
    assert not (folder / "statement.yaml").exists()  # nothing written when anything was in the way


def test_init_in_spanish_writes_the_spanish_files_and_lists_spanish_documents(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "org"
    status, err = run(capsys, "-q", "init", str(folder), "--name", "Clínica del Valle", "--short-name", "CDV",
                      "--lang", "es")
    assert status == 0, err
    assert (folder / "statement.es.yaml").is_file() and (folder / "statement.yaml").is_file()
    assert "lang: es" in (folder / "documents.yaml").read_text(encoding="utf-8")
    assert 'title: "Visión, misión y valores fundamentales de CDV"' in (folder / "statement.es.yaml").read_text(
        encoding="utf-8")
