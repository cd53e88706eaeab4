"""`missionpress check` on Word packages: fonts embedded, stylesWithEffects consistent."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from generator.check.docx_rules import check_docx


def rules(path: Path) -> list[str]:
    return [f"{rule}: {message}" for rule, message in check_docx(path)]


@pytest.fixture(scope="module")
def handout(posters: dict[str, Path]) -> Path:
    return posters["handout-letter.docx"]


def rewrite(source: Path, target: Path, change: dict[str, bytes | None]) -> Path:
    """A copy of a package with members replaced (or dropped, for None)."""
    with zipfile.ZipFile(source) as z, zipfile.ZipFile(target, "w") as out:
        for name in z.namelist():
            data = change.get(name, z.read(name))
            if data is not None:
                out.writestr(name, data)
    return target


def test_the_handout_passes_both_rules(handout: Path) -> None:
    assert not [r for r in rules(handout) if r.startswith(("docx-fonts", "docx-styles-with"))]


def test_text_in_a_font_the_file_does_not_carry_is_reported(tmp_path: Path) -> None:
    document = docx.Document()
    document.core_properties.title = "Plain"
    document.add_paragraph("Text").runs[0].font.name = "Noto Sans"
    document.save(str(tmp_path / "plain.docx"))
    (found,) = [r for r in rules(tmp_path / "plain.docx") if r.startswith("docx-fonts-embedded")]
    assert "Noto Sans" in found and "Embed fonts" in found


def test_an_embedded_font_with_a_wrong_key_is_reported(handout: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(handout) as z:
        table = z.read("word/fontTable.xml").decode()
    start = table.index('w:fontKey="{') + len('w:fontKey="{')
    broken = table[:start] + ("0" if table[start] != "0" else "1") + table[start + 1:]
    bad = rewrite(handout, tmp_path / "bad-key.docx", {"word/fontTable.xml": broken.encode()})
    found = [r for r in rules(bad) if r.startswith("docx-fonts-embedded")]
    assert found and "does not open with its key" in found[0]


def test_styles_with_effects_naming_missing_numbering_is_reported(tmp_path: Path) -> None:
    document = docx.Document()  # python-docx's template carries a stylesWithEffects.xml
    document.core_properties.title = "Lists gone"
    numbering = document.part.numbering_part.element
    for num in list(numbering.iterchildren("{*}num")):
        numbering.remove(num)
    saved = io.BytesIO()
    document.save(saved)
    (tmp_path / "lists-gone.docx").write_bytes(saved.getvalue())
    found = [r for r in rules(tmp_path / "lists-gone.docx") if r.startswith("docx-styles-with-effects")]
    assert found and "refers to numbering" in found[0]
