"""Spanish and bilingual documents: content verbatim, language tags, one-page posters, gaps named."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pikepdf
import pytest
from docx import Document

from generator.cli import main
from generator.content.model import load_statement
from generator.documents.build import Project, Request, build
from generator.paths import BUILTIN_CONTENT, BUILTIN_TEMPLATES
from tests.readers import footers, normalise, pdftotext, published_sentences

SPANISH = load_statement(BUILTIN_CONTENT, "es")


def spanish_sentences() -> list[str]:
    return [normalise(s) for s in SPANISH.sentences()]


def docx_text(path: Path) -> str:
    return normalise("\n".join(p.text for p in Document(str(path)).paragraphs))


def struct_langs(pdf: Path) -> set[str]:
    """The /Lang values set on structure elements (a change of language marked in place)."""
    found: set[str] = set()
    with pikepdf.open(pdf) as doc:
        stack = [doc.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Dictionary):
                if "/Lang" in node and "/S" in node:
                    found.add(str(node.Lang))
                kids = node.get("/K")
                stack += list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
    return found


def docx_langs(path: Path) -> set[str]:
    with zipfile.ZipFile(path) as package:
        xml = package.read("word/document.xml").decode() + package.read("word/styles.xml").decode()
    import re

    return set(re.findall(r'w:lang w:val="([^"]+)"', xml))


@pytest.fixture(scope="module")
def spanish(tmp_path_factory: pytest.TempPathFactory, project: Project) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("es")
    made = build(Request("poster", "letter", formats=("pdf", "docx"), lang="es"), project, out)
    made += build(Request("poster", "letter", formats=("pdf", "docx"), lang="en+es"), project, out)
    return {p.name: p for p in made}


def test_spanish_poster_carries_the_spanish_statement_with_its_language(spanish: dict[str, Path]) -> None:
    pdf, docx = spanish["poster-letter.es.pdf"], spanish["handout-letter.es.docx"]
    for text in (normalise(pdftotext(pdf, "-raw")), docx_text(docx)):  # the PDF in columns: drawing order
        assert not [s for s in spanish_sentences() if s not in text]
        assert "Our mission is to provide" not in text
    with pikepdf.open(pdf) as doc:
        assert doc.Root.Lang == "es"
    assert Document(str(docx)).core_properties.language == "es-US"
    assert "es-US" in docx_langs(docx)


def test_bilingual_poster_carries_both_languages_each_tagged(spanish: dict[str, Path]) -> None:
    pdf, docx = spanish["poster-letter.en+es.pdf"], spanish["handout-letter.en+es.docx"]
    for text in (normalise(pdftotext(pdf, "-raw")), docx_text(docx)):
        assert not [s for s in spanish_sentences() if s not in text]
        assert not [s for s in published_sentences() if s not in text]
    with pikepdf.open(pdf) as doc:
        assert doc.Root.Lang == "en" and len(doc.pages) == 1
    assert "es" in struct_langs(pdf)
    assert {"en-US", "es-US"} <= docx_langs(docx)


# Spanish and bilingual posters of every size and orientation fit one page: the sweep builds each
# and checks it (tests/test_sweep_classic.py, tests/test_sweep_showcase.py: pdf-page-count).


def test_spanish_handbook_in_both_formats(tmp_path: Path, project: Project) -> None:
    pdf, docx = build(Request("handbook", "letter", formats=("pdf", "docx"), lang="es"), project, tmp_path)
    text = normalise(pdftotext(pdf))
    assert "Contenido" in text and "Página 2 de" in text and "Meta 3" in text
    assert not [s for s in spanish_sentences()[1:] if s not in text]
    with pikepdf.open(pdf) as doc:
        assert doc.Root.Lang == "es"
    headings = [p.text for p in Document(str(docx)).paragraphs if p.style.name == "Heading 1"]
    assert headings[:2] == ["Cómo usar este manual", "Visión"]


def test_bilingual_handbook_alternates_languages(tmp_path: Path, project: Project) -> None:
    (docx,) = build(Request("handbook", "letter", formats=("docx",), lang="en+es"), project, tmp_path)
    headings = [p.text for p in Document(str(docx)).paragraphs if p.style.name == "Heading 1"]
    assert headings[:4] == ["How to Use This Handbook", "Cómo usar este manual", "Vision", "Visión"]


def test_a_roster_mixing_languages_gives_each_person_theirs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("name,start_date,language\nAna Díaz,2026-08-17,es\nLuis Ortiz,2026-08-17,en\n"
                      "Mai Trần,2026-08-17,en+es\nKee Begay,2026-08-17,\n", encoding="utf-8")
    status = main(["build", "onboarding", "--roster", str(roster), "--out", str(tmp_path), "--jobs", "1"])
    err = capsys.readouterr().err
    assert status == 0, err
    assert "made from draft translations pending review" in err
    texts = {p.name.split("-")[0]: normalise(pdftotext(p)) for p in (tmp_path / "onboarding").glob("*.pdf")}
    assert "Le damos la bienvenida, Ana Díaz" in texts["ana"] and "Welcome, Ana" not in texts["ana"]
    assert "17 de agosto de 2026" in texts["ana"]
    shown = footers(next((tmp_path / "onboarding").glob("ana-*.pdf")))
    assert [s.rsplit("\u00b7 ", 1)[-1] for s in shown[1:]] == [f"Página {n} de {len(shown)}"
                                                             for n in range(2, len(shown) + 1)]
    assert "Welcome, Luis Ortiz" in texts["luis"] and "bienvenida" not in texts["luis"]
    assert "Welcome, Mai Trần" in texts["mai"] and "Le damos la bienvenida, Mai Trần" in texts["mai"]
    assert "Welcome, Kee Begay" in texts["kee"]
    docx = next((tmp_path / "onboarding").glob("ana-*.docx"))
    assert Document(str(docx)).core_properties.language == "es-US"


def test_an_unknown_roster_language_is_a_file_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("name,language\nAna Díaz,es\nJean Dupont,fr\n", encoding="utf-8")
    status = main(["build", "onboarding", "--roster", str(roster), "--out", str(tmp_path)])
    assert status == 2
    assert f"{roster}:3: language: 'fr' is not supported" in capsys.readouterr().err


def copy_content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(BUILTIN_CONTENT, folder)
    return folder


def test_a_missing_spanish_key_is_reported_by_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = copy_content(tmp_path)
    statement = folder / "statement.es.yaml"
    lines = statement.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("vision:"))
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith(" "))
    statement.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")
    status = main(["build", "poster", "--lang", "es", "--content", str(folder), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert status == 2 and f"{statement}:" in err and "vision: required field is missing" in err


def test_a_missing_label_names_the_catalog_and_the_label(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    templates = tmp_path / "templates"
    (templates / "locale").mkdir(parents=True)
    catalog = (BUILTIN_TEMPLATES / "locale" / "es.po").read_text(encoding="utf-8")
    (templates / "locale" / "es.po").write_text(catalog.replace('msgid "Core Values"', 'msgid "Core Valuez"'),
                                                encoding="utf-8")
    status = main(["build", "poster", "--lang", "es", "--templates", str(templates), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert status == 2 and f'{templates}/locale/es.po: no es translation for "Core Values"' in err
    assert main(["check-content", "--templates", str(templates)]) == 1
    assert '"Core Values"' in capsys.readouterr().out


def test_a_missing_translated_file_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = copy_content(tmp_path)
    (folder / "onboarding" / "welcome.es.md").unlink()
    (folder / "handbook" / "glossary.es.md").unlink()
    assert main(["check-content", "--content", str(folder)]) == 1
    out = capsys.readouterr().out
    assert f"{folder}/onboarding/welcome.es.md: missing (es translation of welcome.md)" in out
    assert f"{folder}/handbook/glossary.es.md: missing (es translation of glossary.md)" in out
    status = main(["build", "handbook", "--lang", "es", "--content", str(folder), "--out", str(tmp_path / "o")])
    assert status == 2 and "glossary.es.md: missing es translation of glossary.md" in capsys.readouterr().err


def test_the_shipped_content_has_no_gaps(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-content", "--content", str(BUILTIN_CONTENT)]) == 0
    assert "0 gaps" in capsys.readouterr().out


def test_a_language_without_content_says_which_languages_exist(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["build", "poster", "--lang", "nv", "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert status == 2 and "statement.nv.yaml: no statement in language 'nv'" in err and "en, es" in err
