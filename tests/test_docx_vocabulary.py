"""The classes that give Word files the PDF's look: columns, rows, checkboxes, lines, keeping together."""

from __future__ import annotations

import io

import docx
from docx.oxml.ns import qn

from generator.check.docx_reading import open_docx
from generator.check.docx_rules import check_docx
from generator.docx.writer import write_docx
from tests.test_docx_writer import LETTER, NS, PNG_URL, THEME, build, docx_bytes, html, part

W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"


def test_columns_are_a_section_of_columns_with_a_break_between_languages():
    data = docx_bytes('<p>Before</p><main class="columns"><div lang="en"><p>One</p></div>'
                      '<div lang="es"><p>Uno</p></div></main><p>After</p>')
    body = part(data, "word/document.xml").find("w:body", NS)
    sects = list(body.iter(qn("w:sectPr")))
    assert len(sects) == 3  # before, the columns, after
    cols = sects[1].find("w:cols", NS)
    assert (cols.get(qn("w:num")), cols.get(qn("w:sep"))) == ("2", "1")
    assert sects[2].find("w:type", NS).get(qn("w:val")) == "continuous"
    uno = next(p for p in body.iter(qn("w:p")) if "".join(t.text for t in p.iter(qn("w:t"))) == "Uno")
    assert uno.find("w:r/w:br", NS).get(qn("w:type")) == "column"


def test_a_row_is_a_borderless_one_row_table_with_a_picture_cell_as_wide_as_its_picture(tmp_path):
    data = docx_bytes('<footer class="row"><div lang="en"><p>Core values</p></div><div lang="es"><p>Valores</p></div>'
                      f'<div class="link"><p><img src="{PNG_URL}" alt="QR" width="96" height="96"><br>Read</p></div>'
                      "</footer><p>After</p>")
    document = docx.Document(io.BytesIO(data))
    (table,) = document.tables
    assert table.style.name == "Layout Row" and len(table.rows) == 1
    assert [c.text for c in table.rows[0].cells] == ["Core values", "Valores", "\nRead"]
    en, es, link = (c.width.pt for c in table.rows[0].cells)
    gap = 1.2 * THEME.sizes.body  # the gap is the right margin of each cell but the last
    assert link == 72 and en == es and en + es + link == LETTER.width - 2 * LETTER.margin
    assert table.rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None
    margins = [c._tc.tcPr.find(qn("w:tcMar")) for c in table.rows[0].cells]
    assert [m.find(qn("w:right")).get(qn("w:w")) if m is not None else None for m in margins] == [
        str(round(gap * 20))] * 2 + [None]
    assert document.paragraphs[-1].text == "After"
    path = tmp_path / "row.docx"
    path.write_bytes(data)
    assert [f for f in check_docx(path, open_docx(path)) if f[0] == "docx-table-header"] == []


def test_an_inline_list_is_one_row_and_a_small_heading_a_label():
    document = build('<h2 class="small">Core Values</h2><ul class="inline"><li>Integrity</li><li>Respect</li></ul>')
    label, row = document.paragraphs
    assert label.style.name == "Label"
    assert row.style.name == "Value List" and row.text == "Integrity\u2003 Respect"


def test_tasks_start_with_a_tickable_checkbox_and_keep_together():
    document = build('<ul class="tasks"><li>Badge</li><li>Parking</li></ul>')
    first, second = document.paragraphs
    for paragraph in (first, second):
        assert paragraph.style.name == "Checklist" and paragraph._p.pPr.numPr is None
        checkbox = paragraph._p.find(f"{qn('w:sdt')}/{qn('w:sdtPr')}/{W14}checkbox")
        assert checkbox.find(f"{W14}checked").get(f"{W14}val") == "0"
    assert first.text.endswith("\tBadge") and first.paragraph_format.keep_with_next
    assert not second.paragraph_format.keep_with_next


def test_short_lists_keep_together_and_long_ones_may_break():
    short = build("<ol>" + "<li>x</li>" * 8 + "</ol>").paragraphs
    long = build("<ol>" + "<li>x</li>" * 9 + "</ol>").paragraphs
    assert [bool(p.paragraph_format.keep_with_next) for p in short] == [True] * 7 + [False]
    assert not any(p.paragraph_format.keep_with_next for p in long)


def test_signature_blanks_become_a_tab_to_an_underlined_stop():
    (line,) = build('<p class="signature-line">Date: ____________________</p>').paragraphs
    assert line.style.name == "Signature Line" and line.text == "Date: \t"
    (stop,) = line.style.paragraph_format.tab_stops
    assert stop.leader.name == "LINES"


def test_table_rows_do_not_split_and_columns_follow_their_text():
    document = build("<table><tr><th>Value</th><th>In the clinic</th></tr>"
                     "<tr><td>Integrity</td><td>Documenting care accurately and completely, "
                     "every time and for every patient</td></tr></table>")
    (table,) = document.tables
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
    first, second = (column.width for column in table.columns)
    assert first < second / 2


def test_a_statement_section_uses_its_own_styles_in_a_packet():
    body = ('<section class="statement"><h1>Statement</h1><p>Text</p><ol><li>Goal</li></ol></section>'
            "<h1>Letter</h1><p>Dear</p>")
    packet = html(body).replace("<body>", '<body class="packet">')
    document = docx.Document(io.BytesIO(write_docx(packet, theme=THEME, page=LETTER, template="t.html")))
    assert [p.style.name for p in document.paragraphs] == [
        "Statement Heading 1", "Statement Text", "Statement List Number", "Heading 1", "Normal"]
    assert document.styles["Statement Text"].font.size.pt == round(THEME.sizes.body * 0.94 * 2) / 2  # half points
    assert document.styles["Statement Heading 1"].base_style.name == "Heading 1"
