"""The command line as a user meets it: messages, exit statuses, files written."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from generator.cli import main
from generator.paths import BUILTIN_CONTENT
from tests.readers import normalise, pdftotext, published_sentences


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    status = main(["-q", *argv])
    return status, capsys.readouterr().err


def content_copy(tmp_path: Path, old: str = "", new: str = "") -> Path:
    folder = tmp_path / "content"
    shutil.copytree(BUILTIN_CONTENT, folder)
    if old:
        statement = folder / "statement.yaml"
        text = statement.read_text(encoding="utf-8")
        assert old in text
        statement.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


DEFAULT_FILES = sorted([
    "poster-24x36.pdf", "poster-letter.pdf", "handout-letter.docx", "poster-24x36.es.pdf", "poster-letter.es.pdf",
    "poster-24x36.en+es.pdf", "poster-letter.en+es.pdf", "handbook-letter.pdf", "handbook-letter.docx", "onboarding",
])

VALIDATION_CASES = {
    "yaml syntax": ("title: UNM HSC Vision, Mission and Core Values", "title: [UNM HSC",
                    "statement.yaml:", "YAML syntax error"),
    "missing field": ('goals_intro: "In order', '# goals_intro: "In order',
                      "statement.yaml:", "goals_intro: required field is missing"),
    "wrong type": ("title: UNM HSC Vision, Mission and Core Values", "title: [UNM, HSC]",
                   "statement.yaml:11:", "title: expected text, got list"),
    "empty goal": ("  - Provide the environment and resources to enable our people and programs to do their best",
                   '  - ""', "statement.yaml:35:", "goals[4]: is empty"),
    "unknown key": ("vision: >-", "vison: >-", "statement.yaml:17:",
                    "vison: unknown field (did you mean 'vision'?)"),
}


@pytest.mark.parametrize("case", list(VALIDATION_CASES))
def test_content_mistakes_give_file_line_field_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    old, new, location, message = VALIDATION_CASES[case]
    folder = content_copy(tmp_path, old, new)
    status, err = run(capsys, "build", "poster", "--content", str(folder), "--out", str(tmp_path / "out"))
    assert status == 2
    assert f"{folder}/{location}" in err and message in err
    assert "Traceback" not in err
    assert not list((tmp_path / "out").glob("*"))


def test_every_problem_of_a_file_is_reported_at_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = content_copy(tmp_path, "vision: >-", "vison: >-")
    text = (folder / "statement.yaml").read_text(encoding="utf-8").replace("language: en", "language: 7")
    (folder / "statement.yaml").write_text(text, encoding="utf-8")
    status, err = run(capsys, "build", "poster", "--content", str(folder), "--out", str(tmp_path))
    assert status == 2
    assert "language: expected text" in err and "vison: unknown field" in err and "vision: required" in err


def test_default_build_writes_the_documents_listed_in_content(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["build", "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert status == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == DEFAULT_FILES
    roster = (BUILTIN_CONTENT / "roster.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert len(list((tmp_path / "onboarding").glob("*.pdf"))) == len(roster)
    assert len(list((tmp_path / "onboarding").glob("*.docx"))) == len(roster)
    assert "[1/9] poster 24x36 pdf" in err and f"built {9 + 2 * len(roster)} files" in err
    assert not list(tmp_path.rglob(".*.part"))
    assert "the PDF renderer ignores" not in err, err  # the built-in stylesheets hold nothing it skips


def test_word_refuses_pages_over_22_inches(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, err = run(capsys, "build", "poster", "--size", "24x36", "--format", "docx", "--out", str(tmp_path))
    assert status == 2
    assert err.startswith("error: --size 24x36: Word cannot open pages over 22 in") and "letter or tabloid" in err
    assert not list(tmp_path.iterdir())


def test_unknown_size_lists_the_known_ones(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, err = run(capsys, "build", "poster", "--size", "legal", "--out", str(tmp_path))
    assert status == 2
    assert "--size legal: unknown page size (choose one of: letter, tabloid, 18x24, 24x36, A4" in err


def test_help_teaches_by_example(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["build", "--help"])
    out = capsys.readouterr().out
    assert exit_.value.code == 0
    assert "missionpress build poster --size 24x36" in out and "--orientation" in out


def test_python_dash_m_runs_the_same_command(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "generator", "build", "poster", "--size", "A4",
                             "--out", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "poster-A4.pdf").read_bytes().startswith(b"%PDF-")
    # The process ends without Python's teardown: its messages still reach the pipe, whole, in order.
    assert result.stderr.splitlines()[-1].startswith(f"built 1 file in {tmp_path}")
    assert "wrote" in result.stderr.splitlines()[-2]


def test_a_failing_command_ends_with_its_status_and_message_through_a_pipe(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "generator", "build", "poster", "--size", "B5",
                             "--out", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.startswith("error: --size B5: unknown page size")
    assert not list(tmp_path.iterdir())


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    for run_dir in ("one", "two"):
        assert main(["-q", "build", "poster", "--format", "all", "--out", str(tmp_path / run_dir)]) == 0
    for name in ("poster-letter.pdf", "handout-letter.docx", "poster-letter.html"):
        assert _sha(tmp_path / "one" / name) == _sha(tmp_path / "two" / name), name


def test_a_failed_build_keeps_the_previous_file_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["-q", "build", "poster", "--out", str(tmp_path)]) == 0
    before = _sha(tmp_path / "poster-letter.pdf")

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("generator.output.os.replace", interrupted)
    assert main(["-q", "build", "poster", "--out", str(tmp_path)]) == 130
    assert "interrupted" in capsys.readouterr().err
    assert _sha(tmp_path / "poster-letter.pdf") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["poster-letter.pdf"]


def test_html_renders_with_plain_weasyprint_to_the_same_page(tmp_path: Path) -> None:
    assert main(["-q", "build", "poster", "--format", "all", "--out", str(tmp_path)]) == 0
    plain = tmp_path / "plain.pdf"
    result = subprocess.run([sys.executable, "-m", "weasyprint", str(tmp_path / "poster-letter.html"), str(plain)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    with pikepdf.open(plain) as doc:
        assert len(doc.pages) == 1
    text = normalise(pdftotext(plain, "-raw"))  # the poster's columns read one after the other
    assert all(s in text for s in published_sentences())
    assert normalise(pdftotext(tmp_path / "poster-letter.pdf", "-raw")) == text


def test_a_low_contrast_theme_is_refused_with_its_ratio(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = content_copy(tmp_path)
    theme = folder / "theme.yaml"
    theme.write_text(theme.read_text(encoding="utf-8").replace('muted: "#63666A"', 'muted: "#A7A8AA"'),
                     encoding="utf-8")
    status, err = run(capsys, "build", "poster", "--content", str(folder), "--out", str(tmp_path / "out"))
    assert status == 2
    assert (f"{folder}/theme.yaml:8: colors.muted: #A7A8AA on background #FFFFFF has contrast 2.38:1, "
            "subtitles, captions and page furniture need 4.5:1 (WCAG 2.2 AA)") in err
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_check_passes_a_clean_build_and_names_each_failure(
    default_build: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(default_build)]) == 0
    out = capsys.readouterr().out
    assert out.strip().endswith("passed, 0 failed")
    import weasyprint

    broken = tmp_path / "broken"
    broken.mkdir()
    weasyprint.HTML(string="<html><title>x</title><h1>Plain</h1></html>").write_pdf(broken / "mine.pdf")
    assert main(["check", str(broken)]) == 1
    out = capsys.readouterr().out
    assert f"{broken / 'mine.pdf'}: pdf-tagged:" in out and "checked 1 file: 0 passed, 1 failed" in out
    assert main(["check", "--json", str(broken)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and "pdf-language" in report["rules"]


def test_build_check_checks_what_it_built(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-q", "build", "poster", "--format", "all", "--check", "--out", str(tmp_path)]) == 0
    assert "checked 2 files: 2 passed, 0 failed" in capsys.readouterr().out


def test_handbook_and_packets_are_byte_identical_from_build_to_build(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("name,start_date,language\nAna Díaz,2026-08-17,en+es\n", encoding="utf-8")
    for run_dir in ("one", "two"):
        out = str(tmp_path / run_dir)
        assert main(["-q", "build", "handbook", "--out", out]) == 0
        assert main(["-q", "build", "onboarding", "--roster", str(roster), "--out", out]) == 0
    names = [p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*.*") if p.name[0] != "."]
    assert len(names) == 4
    for name in names:
        assert _sha(tmp_path / "one" / name) == _sha(tmp_path / "two" / name), name


def test_document_flags_without_a_document_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, err = run(capsys, "build", "--size", "A3", "--lang", "es", "--out", str(tmp_path))
    assert status == 2 and "--size, --lang: name the document these are for" in err
    assert not list(tmp_path.iterdir())


def test_an_unknown_theme_font_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = content_copy(tmp_path)
    theme = folder / "theme.yaml"
    theme.write_text(theme.read_text(encoding="utf-8").replace("body: Noto Sans", "body: Noto Sanz"), encoding="utf-8")
    status, err = run(capsys, "build", "poster", "--content", str(folder), "--out", str(tmp_path / "out"))
    assert status == 2 and f"{folder}/theme.yaml:12: fonts.body: no font family 'Noto Sanz'" in err


def test_a_bad_source_date_epoch_is_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    status, err = run(capsys, "build", "poster", "--format", "docx", "--out", str(tmp_path))
    assert status == 2 and "SOURCE_DATE_EPOCH=yesterday: not a count of seconds" in err
