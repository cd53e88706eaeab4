"""The typographic rules of `check`: each one finds its defect in a small PDF made to show it,
names the page and the words, and says nothing about a clean page."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import pytest
from PIL import Image

from generator.check.run import RULE_IDS, WARNINGS, check_paths
from generator.check.typography_rules import RULES, needed_size
from generator.pdf import writer as pdf_writer

TYPOGRAPHY = {rule for rule, _ in RULES}
TEXT = "The statement is printed on every poster and in every packet for new staff and learners. "
# Paged tests: 20 pt lines on a page of 648 pt of text (letter, 1 in margins), nothing between blocks.
PAGED = ("body { margin: 0 } p, h2, table, td { margin: 0; padding: 0; line-height: 20pt; font-size: 11pt } "
         "h2 { font-size: 16pt }")


def pdf(folder: Path, name: str, body: str, style: str = "", size: str = "letter", tagged: bool = True) -> Path:
    """An HTML snippet as a PDF (PDF/UA-1, tagged, unless told otherwise)."""
    html = (f'<html lang="en"><head><title>Test</title><style>@page {{ size: {size}; margin: 1in }} '
            f'body {{ font: 11pt "Noto Sans"; hyphens: manual }} {style}</style></head><body>{body}</body></html>')
    path = folder / name
    document = pdf_writer.render(html, base=folder, allowed=[folder], template="test")
    path.write_bytes(pdf_writer.write(document) if tagged else document.write_pdf())
    return path


def found(path: Path) -> dict[str, list[str]]:
    """The typographic findings of one file, by rule."""
    by_rule: dict[str, list[str]] = {}
    for failure in check_paths([path]).failures:
        if failure.rule in TYPOGRAPHY:
            by_rule.setdefault(failure.rule, []).append(failure.message)
    return by_rule


def spacer(points: float) -> str:
    return f'<div style="height: {points}pt"></div>'


def test_rules_are_listed_and_three_are_warnings() -> None:
    assert TYPOGRAPHY <= set(RULE_IDS)
    assert WARNINGS == {"pdf-lone-word", "pdf-measure", "pdf-type-size"}


def test_a_clean_page_has_no_finding(tmp_path: Path) -> None:
    body = f"<h1>A clean page</h1><p style='width: 5in'>{TEXT * 4}</p><p style='width: 5in'>{TEXT * 3}</p>"
    assert found(pdf(tmp_path, "clean.pdf", body)) == {}


@pytest.mark.parametrize("tagged", [True, False], ids=["tagged", "untagged"])
def test_a_word_broken_without_a_hyphen(tmp_path: Path, tagged: bool) -> None:
    body = ("<p>Our values: integrity and responsabilidad, in every place and every day of the year.</p>"
            "<p style='width: 1.3in; font-size: 14pt; overflow-wrap: anywhere'>Responsabilidad</p>")
    [message] = found(pdf(tmp_path, "broken.pdf", body, tagged=tagged))["pdf-broken-word"]
    assert message.startswith("page 1, ") and "\u201cResponsabilidad\u201d is broken across lines as" in message
    assert "make the box wider" in message


def test_a_word_broken_at_a_hyphen_is_no_finding(tmp_path: Path) -> None:
    body = ("<p>Our values: integrity and responsibility, in every place and every day of the year.</p>"
            "<p lang='en' style='width: 1in; font-size: 14pt; hyphens: auto'>Responsibility</p>")
    assert "pdf-broken-word" not in found(pdf(tmp_path, "hyphen.pdf", body))


def test_a_paragraph_ending_on_one_short_word_warns(tmp_path: Path) -> None:
    body = f"<p style='width: 5in'>{TEXT * 2}for those we<br>serve<br>care.</p>"
    [message] = found(pdf(tmp_path, "runt.pdf", body))["pdf-lone-word"]
    assert "ends on \u201ccare.\u201d alone on its last line" in message and "no-break space" in message


def test_running_text_over_95_characters_warns(tmp_path: Path) -> None:
    body = f"<p style='font-size: 8pt'>{TEXT * 5}</p>"
    [message] = found(pdf(tmp_path, "wide.pdf", body))["pdf-measure"]
    assert "page 1, paragraph" in message and "characters" in message and "more columns" in message


def test_blocks_side_by_side_under_half_an_em_apart(tmp_path: Path) -> None:
    body = ("<div style='display: flex; width: 6in'>"
            "<p style='margin: 0; width: 2.5in; text-align: right'>atención</p>"
            "<p style='margin: 0 0 0 2pt; width: 2.5in'>2. Build the workforce</p></div>"
            "<div style='display: flex; width: 6in; margin-top: 1in'>"
            "<p style='margin: 0; width: 2.5in; text-align: right'>far enough</p>"
            "<p style='margin: 0 0 0 12pt; width: 2.5in'>apart</p></div>")
    [message] = found(pdf(tmp_path, "gap.pdf", body))["pdf-block-gap"]
    assert "\u201catención\u201d and \u201c2. Build the workforce\u201d stand 2.0 pt apart" in message


def test_viewing_distance_sizes() -> None:
    assert needed_size(8.27 * 72) == 9.0  # A4: no less than 9 pt
    assert needed_size(24 * 72) == 24.0 and needed_size(33.1 * 72) == 24.0
    assert abs(needed_size(11 * 72) - (9 + 2.5 * 15 / 15.5)) < 1e-9  # tabloid


def test_type_below_the_viewing_distance_size_warns(tmp_path: Path) -> None:
    body = f"<p>{TEXT * 4}</p>"
    [message] = found(pdf(tmp_path, "poster-18x24.pdf", body, size="18in 24in"))["pdf-type-size"]
    assert "set at 11.0 pt" in message and "needs 18.2 pt" in message
    assert "pdf-type-size" not in found(pdf(tmp_path, "letter.pdf", body))  # 11 pt is enough at letter
    # Two languages on the page may go down to 0.8 of it: 14.6 pt on 18x24.
    both = f"<p style='font-size: 15pt'>{TEXT * 3}</p><p lang='es' style='font-size: 15pt'>{TEXT * 3}</p>"
    assert "pdf-type-size" not in found(pdf(tmp_path, "both.pdf", both, size="18in 24in"))
    assert "pdf-type-size" in found(pdf(tmp_path, "one.pdf", both.replace(" lang='es'", ""), size="18in 24in"))


def test_a_qr_code_under_0_8_inch(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    Image.new("1", (29, 29), 1).save(buffer, "PNG")
    src = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    body = (f"<p>Read it online</p><img alt='QR code: https://example.org/' src='{src}' style='width: 0.5in'>"
            f"<img alt='QR code: https://example.org/big' src='{src}' style='width: 1in'>")
    [message] = found(pdf(tmp_path, "qr.pdf", body))["pdf-qr-size"]
    assert "\u201cQR code: https://example.org/\u201d" in message and "0.50 in a side" in message


def test_a_heading_with_two_lines_before_the_page_ends(tmp_path: Path) -> None:
    body = spacer(588) + f"<h2>The values across settings</h2><p style='orphans: 1'>{TEXT * 8}</p>"
    [message] = found(pdf(tmp_path, "heading.pdf", body, PAGED))["pdf-heading-kept"]
    assert "\u201cThe values across settings\u201d has only 2 line(s)" in message
    kept = spacer(548) + f"<h2>The values across settings</h2><p style='orphans: 1'>{TEXT * 8}</p>"
    assert "pdf-heading-kept" not in found(pdf(tmp_path, "kept.pdf", kept, PAGED))


def test_an_orphan_a_widow_and_a_list_leaving_two_entries(tmp_path: Path) -> None:
    orphan = spacer(628) + f"<p style='orphans: 1'>{TEXT * 6}</p>"
    [message] = found(pdf(tmp_path, "orphan.pdf", orphan, PAGED))["pdf-widow-orphan"]
    assert "an orphan: its first line alone at the foot of page 1" in message
    widow = spacer(588) + f"<p style='widows: 1'>{TEXT * 4}</p>"
    [message] = found(pdf(tmp_path, "widow.pdf", widow, PAGED))["pdf-widow-orphan"]
    assert "a widow: its last line alone at the head of page 2" in message
    items = "".join(f"<li>Entry {n}</li>" for n in range(1, 9))
    listed = spacer(528) + f"<ul style='margin: 0; line-height: 20pt'>{items}</ul>"
    [message] = found(pdf(tmp_path, "list.pdf", listed, PAGED))["pdf-widow-orphan"]
    assert "a list of 8 entries leaves only 2 of them on page 2" in message


def test_a_table_row_split_across_pages(tmp_path: Path) -> None:
    table = (f"<table><tr><td>Integrity</td><td>{TEXT}</td></tr>"
             f"<tr><td>Accountability</td><td>{TEXT * 3}</td></tr></table>")
    [message] = found(pdf(tmp_path, "row.pdf", spacer(560) + table, PAGED))["pdf-table-row-split"]
    assert "the table row \u201cAccountability | The statement" in message and "split across pages 1 and 2" in message
    assert "pdf-table-row-split" not in found(pdf(tmp_path, "whole.pdf", spacer(100) + table, PAGED))


def test_warnings_do_not_fail_a_file_and_the_json_says_which(tmp_path: Path) -> None:
    report = check_paths([pdf(tmp_path, "runt.pdf", f"<p style='width: 5in'>{TEXT * 2}for those we<br>care.</p>")])
    assert report.ok() and [f.rule for f in report.failures] == ["pdf-lone-word"]
    assert json.loads(report.to_json())["failures"][0]["severity"] == "warning"
    assert "pdf-lone-word (warning): page 1" in str(report.failures[0])
