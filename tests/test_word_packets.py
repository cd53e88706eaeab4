"""Word-only packets: only what Word needs is loaded, workers make what one process makes, and the
Word writer's shortcuts (fonts read from their headers, styles shared by documents) stay right."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator.documents.onboarding.batch import Packers, Settings
from generator.documents.onboarding.filenames import assign_stems
from generator.documents.onboarding.roster import load_roster
from generator.documents.project import Project
from generator.names import PACKET_FOLDER
from generator.paths import BUILTIN_CONTENT

ROSTER = BUILTIN_CONTENT / "roster.csv"
# The PDF side's libraries made unimportable, in this process and in every worker forked from it.
WITHOUT_PDF = """
import sys
sys.modules["weasyprint"] = sys.modules["pikepdf"] = None
from generator.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_word_packets_are_made_without_loading_weasyprint_and_match_one_process(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-c", WITHOUT_PDF, "-q", "build", "onboarding", "--roster", str(ROSTER),
                             "--out", str(out), "--format", "docx", "--jobs", "2"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    people = load_roster(ROSTER).recipients
    packers = Packers(Settings(Project(), tmp_path / "here", formats=("docx",)))
    folder = out / PACKET_FOLDER
    assert sorted(p.name for p in folder.glob("*.docx")) == sorted(f"{s}.docx" for s in assign_stems(
        [p.name for p in people]))
    for stem, person in zip(assign_stems([p.name for p in people]), people, strict=True):
        assert (folder / f"{stem}.docx").read_bytes() == packers[person.language].files(person, stem)["docx"], stem


def font(path: Path, *, fixed: bool) -> Path:
    """A one-glyph TrueType font whose post table says whether it is fixed pitch."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", "a"])
    builder.setupCharacterMap({ord("a"): "a"})
    pen = TTGlyphPen(None)
    pen.moveTo((0, 0)), pen.lineTo((0, 500)), pen.lineTo((500, 0)), pen.closePath()
    builder.setupGlyf({".notdef": pen.glyph(), "a": pen.glyph()})
    builder.setupHorizontalMetrics({".notdef": (600, 0), "a": (600, 0)})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Probe Mono" if fixed else "Probe Sans", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost(isFixedPitch=int(fixed))  # format 2: glyph names, read only when the table is decoded
    builder.save(str(path))
    return path


def test_the_font_table_reads_fixed_pitch_from_the_post_table(tmp_path: Path) -> None:
    from generator.docx.fonts import _read

    assert _read(font(tmp_path / "mono.ttf", fixed=True)).pitch == "fixed"
    assert _read(font(tmp_path / "sans.ttf", fixed=False)).pitch == "variable"


def test_a_writer_that_changes_the_shared_styles_stops_the_build() -> None:
    """Documents of one theme share one styles element: a change to it would reach every later document."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    from generator.docx import package, reuse
    from tests.test_docx_writer import THEME

    def unchanged(*_: object, **__: object) -> None:
        return None

    first, second = (reuse.themed_document(THEME, "en-US", 123.0, unchanged, probe=True) for _ in range(2))
    assert first.styles.element is second.styles.element  # shared, not copied
    assert package.reproducible_bytes(first) == package.reproducible_bytes(second)
    shared = first.styles.element
    shared.append(parse_xml(f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="Added"/>'))
    try:
        with pytest.raises(RuntimeError, match="styles.xml: changed while written"):
            package.reproducible_bytes(second)
    finally:
        shared.remove(shared[-1])
