"""Every default Word file as a person meets it on an office computer without our fonts.

LibreOffice renders each .docx of the default build once, with fontconfig pointed at a
folder of system fonts that has no Noto: what it shows comes from the fonts embedded in
the file.  The pages are compared with the PDF twins; the handbook's contents numbers
with the pages where the headings stand.  The package itself is read back: embedded
fonts de-obfuscate to editing subsets of the bundled faces, an independent integrity
checker finds nothing, and python-docx edits keep the numbering.
"""

from __future__ import annotations

import copy
import io
import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from fontTools.ttLib import TTFont

from generator.content.fonts import family_name
from generator.docx.fonts import obfuscate
from generator.docx.subsets import EDITING_SET
from generator.paths import FONTS
from tests.readers import normalise, require_tool

SYSTEM_FONTS = Path("/usr/share/fonts/truetype/dejavu")  # fonts-dejavu-core, LibreOffice's own dependency
FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>{fonts}</dir><cachedir>{cache}</cachedir></fontconfig>
"""
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"


def twins(build: Path) -> dict[Path, Path]:
    """Each default .docx and the PDF made from the same document."""
    pairs = {build / "handout-letter.docx": build / "poster-letter.pdf",
             build / "handbook-letter.docx": build / "handbook-letter.pdf"}
    pairs.update({p: p.with_suffix(".pdf") for p in sorted((build / "onboarding").glob("*.docx"))})
    return pairs


def render(files: list[Path], out: Path) -> dict[Path, Path]:
    """LibreOffice's PDF of each .docx, on a system whose only fonts have no Noto."""
    soffice = require_tool("soffice")
    if not SYSTEM_FONTS.is_dir():
        pytest.fail(f"{SYSTEM_FONTS} is missing: install fonts-dejavu-core")
    assert not any("noto" in f.name.lower() for f in SYSTEM_FONTS.iterdir())
    out.mkdir(parents=True, exist_ok=True)
    conf = out / "fonts.conf"
    conf.write_text(FONTS_CONF.format(fonts=SYSTEM_FONTS, cache=out / "fc-cache"), encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(out), "FONTCONFIG_FILE": str(conf)}
    subprocess.run([soffice, f"-env:UserInstallation={(out / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), *map(str, files)],
                   check=True, capture_output=True, env=env, timeout=300)
    made = {f: out / f"{f.stem}.pdf" for f in files}
    assert all(p.exists() for p in made.values()), made
    return made


def pages(pdf: Path) -> list[str]:
    require_tool("pdftotext")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return text.split("\f")[:-1]


def fonts_of(pdf: Path) -> set[str]:
    """The base font names ``pdffonts`` lists, without subset prefixes."""
    require_tool("pdffonts")
    lines = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
    return {line.split()[0].split("+")[-1] for line in lines[2:] if line.strip()}


@pytest.fixture(scope="module")
def rendered(default_build: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[Path, Path]:
    return render(list(twins(default_build)), tmp_path_factory.mktemp("lo-no-noto"))


def test_every_word_file_has_the_pages_of_its_pdf(default_build: Path, rendered: dict[Path, Path]) -> None:
    counts = {docx_file.name: (len(pages(rendered[docx_file])), len(pages(pdf)))
              for docx_file, pdf in twins(default_build).items()}
    assert counts["handout-letter.docx"] == (1, 1)
    assert {name: c for name, c in counts.items() if c[0] != c[1]} == {}


def test_libreoffice_shows_the_embedded_noto_faces_and_no_substitute(rendered: dict[Path, Path]) -> None:
    for docx_file, pdf in rendered.items():
        names = fonts_of(pdf)
        assert {"NotoSans-Regular", "NotoSerif-Bold"} <= names, (docx_file.name, names)
        assert [n for n in names if not n.startswith("Noto")] == [], (docx_file.name, names)
        # The checklist's boxes (U+2610) come from the embedded Noto Sans Symbols2, not the computer.
        assert ("NotoSansSymbols2-Regular" in names) == (docx_file.parent.name == "onboarding"), docx_file.name


def test_handbook_contents_point_at_the_pages_where_the_headings_stand(default_build: Path,
                                                                        rendered: dict[Path, Path]) -> None:
    shown = pages(rendered[default_build / "handbook-letter.docx"])
    entries = [(m.group(1).strip(), int(m.group(2))) for page in shown[1:3]
               for m in re.finditer(r"^\s*(\S.*?)\.{3,}\s*(\d+)\s*$", page, re.MULTILINE)]
    assert len(entries) > 20
    for title, number in entries:
        assert normalise(title) in normalise(shown[number - 1]), (title, number)
    assert shown[1].strip().splitlines()[0].strip() == "Contents"  # no chapter title over it
    # Every chapter's pages carry its title in the header, as the PDF's running header.
    handbook = docx.Document(str(default_build / "handbook-letter.docx"))
    chapters = [p.text for p in handbook.paragraphs if p.style.name == "Heading 1"]
    headers = [page.strip().splitlines()[0].strip() for page in shown[3:]]
    assert [h for h in dict.fromkeys(headers)] == chapters


def embedded_fonts(docx_file: Path) -> dict[str, TTFont]:
    """The fonts a .docx embeds, de-obfuscated with their keys: part name -> font."""
    with zipfile.ZipFile(docx_file) as z:
        table = z.read("word/fontTable.xml").decode()
        rels = z.read("word/_rels/fontTable.xml.rels").decode()
        fonts = {}
        for r_id, key in re.findall(r'r:id="(rId\d+)" w:fontKey="(\{[0-9A-F-]+\})"', table):
            target = re.search(rf'Id="{r_id}"[^>]*Target="([^"]+)"', rels).group(1)
            fonts[target] = TTFont(io.BytesIO(obfuscate(z.read(f"word/{target}"), key)))
    return fonts


LATIN_FEATURES = {"GPOS:kern", "GPOS:mark", "GPOS:mkmk", "GSUB:ccmp", "GSUB:liga", "GSUB:locl"}


def features(font: TTFont) -> set[str]:
    return {f"{tag}:{r.FeatureTag}" for tag in ("GSUB", "GPOS") if tag in font
            for r in font[tag].table.FeatureList.FeatureRecord}


def test_embedded_fonts_are_editing_subsets_of_the_bundled_faces_shown(default_build: Path) -> None:
    bundled = {(family_name(f), f["head"].macStyle & 3): f for f in map(TTFont, FONTS.glob("*.ttf"))}
    for docx_file in twins(default_build):
        with zipfile.ZipFile(docx_file) as z:
            table = z.read("word/fontTable.xml").decode()
            settings = z.read("word/settings.xml").decode()
            names = set(z.namelist())
        embedded = []
        for target, font in embedded_fonts(docx_file).items():
            whole = bundled[(family_name(font), font["head"].macStyle & 3)]
            embedded.append(whole.reader.file.name.rsplit("/", 1)[-1])
            cmap, whole_cmap = set(font.getBestCmap()), set(whole.getBestCmap())
            # Everything of the editing repertoire the face has, and nothing beyond the face.
            assert EDITING_SET & whole_cmap <= cmap <= whole_cmap, (docx_file.name, target)
            # Kerning, marks over letters, composed accents, ligatures: what Latin text needs stays.
            assert LATIN_FEATURES & features(whole) <= features(font) <= features(whole), (docx_file.name, target)
            assert not {"fpgm", "prep", "cvt "} & set(font.keys()), (docx_file.name, target)  # hints dropped
            assert font["OS/2"].fsType == 0  # installable: LibreOffice and Word use it for editing
        assert "subsetted" not in table  # a subset for editing, not of the characters shown
        assert "word/stylesWithEffects.xml" not in names
        assert 'w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"' in settings
        assert "<w:embedTrueTypeFonts/>" in settings and "saveSubsetFonts" not in settings
        assert "updateFields" not in settings
        assert {"NotoSans-Regular.ttf", "NotoSerif-Bold.ttf"} <= set(embedded), docx_file.name
        assert "<w:family w:val=\"roman\"/>" in table and "<w:panose1 w:val=\"0202" in table
    assert len(embedded_fonts(default_build / "handout-letter.docx")) == 3  # no italic text on the handout


def test_an_independent_integrity_checker_finds_nothing(default_build: Path) -> None:
    from docx_integrity.inspector import check

    found = {f.name: [str(x) for x in check(f)] for f in twins(default_build)}
    assert {name: x for name, x in found.items() if x} == {}


def ooxml_findings(files: list[Path]) -> dict[str, list[str]]:
    """What an independent OOXML validator (openxml-audit: the Open XML SDK's schema and semantic
    checks in Python, strict, for Microsoft 365) reports of each file, every severity."""
    from openxml_audit import FileFormat, OpenXmlValidator

    validator = OpenXmlValidator(file_format=FileFormat.MICROSOFT_365, strict=True)
    found = {f.name: [str(e) for e in validator.validate(f).errors] for f in files}
    return {name: errors for name, errors in found.items() if errors}


def test_an_independent_ooxml_validator_finds_nothing_in_strict_mode(default_build: Path) -> None:
    assert ooxml_findings(list(twins(default_build))) == {}


def test_checklist_boxes_tick_and_signature_lines_hold(default_build: Path) -> None:
    packet = docx.Document(str(sorted((default_build / "onboarding").glob("*.docx"))[0]))
    tasks = [p for p in packet.paragraphs if p.style.name == "Checklist"]
    assert len(tasks) >= 15
    assert all(p._p.find(f"{qn('w:sdt')}/{qn('w:sdtPr')}/{W14}checkbox") is not None for p in tasks)
    signatures = [p for p in packet.paragraphs if p.style.name == "Signature Line"]
    assert len(signatures) == 4 and "_" not in "".join(p.text for p in signatures)
    # Name printed; typed name and date are content controls to fill in; the signature a ruled line.
    assert [p.text.count("\t") for p in signatures] == [0, 0, 1, 0]
    controls = [p._p.find(f".//{qn('w:sdt')}/{qn('w:sdtPr')}") for p in signatures]
    assert controls[0] is None and controls[2] is None
    assert controls[1].find(qn("w:text")) is not None and controls[3].find(qn("w:date")) is not None
    (stop,) = packet.styles["Signature Line"].paragraph_format.tab_stops
    assert stop.leader is not None and stop.leader.name == "LINES"
    assert packet.styles["Signature Line"].paragraph_format.space_before.pt == pytest.approx(24.2)


def test_python_docx_edits_keep_the_numbering(default_build: Path, tmp_path: Path) -> None:
    handout = docx.Document(str(default_build / "handout-letter.docx"))
    goals = [p for p in handout.paragraphs if p.style.name == "List Number"]
    assert len(goals) == 6
    # Add a goal as python-docx users do: a copy of the last goal with new text.
    new_goal = copy.deepcopy(goals[-1]._p)
    goals[-1]._p.addnext(new_goal)
    Paragraph(new_goal, goals[-1]._parent).text = "Seventh goal added later."
    # Apply "List Number" to a new paragraph: the style alone numbers it.
    handout.add_paragraph("Styled later.", style="List Number")
    edited = tmp_path / "edited.docx"
    handout.save(str(edited))
    # Every page: the handout fills its one page, so a paragraph added at its end starts a second.
    text = normalise(" ".join(pages(render([edited], tmp_path / "lo")[edited])))
    assert "6. Nurture" in text and "7. Seventh goal added later." in text
    assert re.search(r"\b\d+\. Styled later\.", text)


def test_builds_stay_byte_identical_with_fonts_embedded(default_build: Path) -> None:
    from generator.documents.build import Project, Request, build
    from generator.paths import BUILTIN_CONTENT

    out = default_build.parent / "again"
    (made,) = build(Request("poster", "letter", formats=("docx",)), Project(BUILTIN_CONTENT), out)
    assert made.read_bytes() == (default_build / "handout-letter.docx").read_bytes()
    assert made.stat().st_size > 150_000  # three faces travel with it


def lines_of(pdf: Path, page_number: int) -> list[dict]:
    """The text lines of a page, as pdfplumber reads them (``top``, ``x0``, ``chars``...)."""
    import pdfplumber

    with pdfplumber.open(pdf) as opened:
        return opened.pages[page_number].extract_text_lines()


def line_with(lines: list[dict], start: str) -> dict:
    return next(line for line in lines if line["text"].replace(" ", "").startswith(start.replace(" ", "")))


def test_covers_stand_where_the_pdfs_have_them_with_the_code_beside_its_label(default_build: Path,
                                                                             rendered: dict[Path, Path]) -> None:
    import pdfplumber

    packet = sorted((default_build / "onboarding").glob("*.docx"))[0]
    for docx_file, first in ((default_build / "handbook-letter.docx", "Our Vision"), (packet, "Welcome")):
        pdf = twins(default_build)[docx_file]
        shown, printed = lines_of(rendered[docx_file], 0), lines_of(pdf, 0)
        for start in ("University of New Mexico", first, "Read it online"):
            assert abs(line_with(shown, start)["top"] - line_with(printed, start)["top"]) <= 12, (docx_file.name, start)
        with pdfplumber.open(rendered[docx_file]) as opened:
            logo, qr = sorted(opened.pages[0].images, key=lambda i: i["top"])
        assert logo["bottom"] - logo["top"] == pytest.approx(40 * 1.5, abs=1)  # .cover img.logo: 1.5 x 40 pt
        label = line_with(shown, "Read it online")
        assert qr["x1"] < label["x0"] and qr["top"] <= label["top"] <= qr["bottom"], docx_file.name
        assert abs(qr["top"] - (line_with(printed, "Read it online")["top"] - 3.4)) <= 12, docx_file.name
    # The handbook's subtitle at the PDF's size and colour.
    shown = line_with(lines_of(rendered[default_build / "handbook-letter.docx"], 0), "A handbook")
    printed = line_with(lines_of(default_build / "handbook-letter.pdf", 0), "A handbook")
    assert round(shown["chars"][0]["size"]) == round(printed["chars"][0]["size"]) == 16
    colour = [tuple(round(v, 2) for v in line["chars"][0]["non_stroking_color"]) for line in (shown, printed)]
    assert colour[0] == colour[1], colour


def test_the_packets_statement_sets_its_headings_text_and_goal_numbers_as_the_pdf(default_build: Path,
                                                                                    rendered: dict[Path, Path]) -> None:
    packet = sorted((default_build / "onboarding").glob("*.docx"))[0]
    pdf = twins(default_build)[packet]
    number = next(n for n, text in enumerate(pages(pdf)) if "Values Statement" in text)
    shown, printed = lines_of(rendered[packet], number), lines_of(pdf, number)
    for lines in (shown, printed):
        headings = {line_with(lines, h)["chars"][0]["size"] for h in ("Vision", "Mission", "Goals", "Values Statement")}
        assert len({round(size, 1) for size in headings}) == 1, headings
    text = [line_with(lines, "Our mission is")["chars"][0]["size"] for lines in (shown, printed)]
    assert abs(text[0] - text[1]) <= 0.25, text  # the PDF's size, on Word's half points
    for lines in (shown, printed):  # plain numbers, in the text's colour
        goal, text_char = line_with(lines, "1.")["chars"][0], line_with(lines, "Our mission")["chars"][0]
        assert "Bold" not in goal["fontname"] and goal["non_stroking_color"] == text_char["non_stroking_color"]
