"""The DOCX writer, read back as a reader meets it: python-docx, the XML parts, LibreOffice."""

from __future__ import annotations

import base64
import io
import re
import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import etree

from generator.content.pages import page
from generator.content.theme import Theme
from generator.docx.faces import Face
from generator.docx.ooxml import bookmark_names
from generator.docx.package import content_size
from generator.docx.widths import advance
from generator.docx.writer import CLASS_STYLES, write_docx
from generator.errors import MissionpressError

THEME = Theme.model_validate(
    {
        "colors": {"primary": "#BA0C2F", "accent": "#007A86", "rule": "#A7A8AA",
                   "muted": "#63666A", "text": "#1F1F1F", "background": "#FFFFFF"},
        "fonts": {"body": "Noto Sans", "heading": "Noto Serif"},
        "sizes": {"body": 11, "small": 9, "h3": 13, "h2": 16, "h1": 22, "title": 30},
    }
)
LETTER = page("letter")
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
      "a": "http://schemas.openxmlformats.org/drawingml/2006/main"}


def png(width: int, height: int) -> bytes:
    """A tiny solid red PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunks = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


PNG_URL = "data:image/png;base64," + base64.b64encode(png(48, 24)).decode()


def html(body: str, *, lang: str | None = "en", title: str | None = "Mission", head: str = "") -> str:
    lang_attr = f' lang="{lang}"' if lang is not None else ""
    title_el = f"<title>{title}</title>" if title is not None else ""
    return (f'<!DOCTYPE html>\n<html{lang_attr}><head><meta charset="utf-8">{title_el}{head}'
            f"<style>p {{ color: red }}</style></head>\n<body>\n{body}\n</body></html>")


def docx_bytes(body: str, *, pg=LETTER, template: str = "test.html", fetch=None, **kwargs) -> bytes:
    return write_docx(html(body, **kwargs), theme=THEME, page=pg, template=template, fetch=fetch)


def build(body: str, **kwargs) -> docx.document.Document:
    return docx.Document(io.BytesIO(docx_bytes(body, **kwargs)))


def part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read(name))


def styles_of(document) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs]


def num_pr(paragraph) -> tuple[int, int] | None:
    """(numId, ilvl) of a numbered paragraph."""
    ppr = paragraph._p.pPr
    if ppr is None or ppr.numPr is None:
        return None
    return ppr.numPr.numId.val, ppr.numPr.ilvl.val


# --- block structure -------------------------------------------------------------------------


def test_headings_and_classes_map_to_named_styles():
    document = build(
        '<header><p class="subtitle">UNM</p><h1 class="title">Statement</h1></header>'
        "<h1>One</h1><h2>Two</h2><h3>Three</h3><h4>Four</h4><p>Body</p>"
        '<div class="small"><p>Fine print</p>loose</div><p class="lead">Lead</p>'
        "<blockquote><p>Quoted</p></blockquote><figure><figcaption>Cap</figcaption></figure>"
    )
    assert styles_of(document) == [
        ("Subtitle", "UNM"), ("Title", "Statement"), ("Heading 1", "One"), ("Heading 2", "Two"),
        ("Heading 3", "Three"), ("Heading 4", "Four"), ("Normal", "Body"), ("Small", "Fine print"),
        ("Small", "loose"), ("Lead", "Lead"), ("Quote", "Quoted"), ("Caption", "Cap"),
    ]
    assert set(CLASS_STYLES.values()) <= {s.name for s in document.styles}


def test_a_small_heading_is_a_label_style_based_on_its_heading():
    document = build('<h2 class="small">Core values</h2>')
    heading = document.paragraphs[0]
    assert heading.style.name == "Label" and heading.style.base_style.name == "Heading 2"
    assert heading.style.font.size == Pt(THEME.sizes.small) and not heading.runs[0].font.size


def test_each_ordered_list_restarts_and_nested_lists_take_levels():
    data = docx_bytes(
        "<ol><li>One</li><li>Two<ol><li>Two a</li><li>Two b</li></ol></li><li>Three</li></ol>"
        "<p>Between</p><ol><li>Again one</li></ol><ol start='5'><li>Five</li></ol>"
    )
    document = docx.Document(io.BytesIO(data))
    numbers = {p.text: num_pr(p) for p in document.paragraphs}
    first, nested, second, fifth = (numbers[t][0] for t in ("One", "Two a", "Again one", "Five"))
    assert len({first, nested, second, fifth}) == 4
    assert numbers["One"] == numbers["Three"] == (first, 0)
    assert numbers["Two a"] == numbers["Two b"] == (nested, 1)
    numbering = part(data, "word/numbering.xml")

    def start(num_id: int, ilvl: int) -> int:
        override = numbering.find(f"w:num[@w:numId='{num_id}']/w:lvlOverride[@w:ilvl='{ilvl}']", NS)
        return 1 if override is None else int(override.find("w:startOverride", NS).get(qn("w:val")))

    assert (start(first, 0), start(nested, 1), start(second, 0), start(fifth, 0)) == (1, 1, 1, 5)
    abstract = {numbering.find(f"w:num[@w:numId='{n}']/w:abstractNumId", NS).get(qn("w:val"))
                for n in (first, nested, second)}
    assert len(abstract) == 1  # one decimal definition, many instances
    assert all(p.style.name == "List Number" for p in document.paragraphs if num_pr(p))


def test_bullet_list_uses_list_bullet_with_real_numbering():
    data = docx_bytes("<ul><li>Alpha</li><li>Beta</li></ul>")
    document = docx.Document(io.BytesIO(data))
    items = document.paragraphs
    assert [p.style.name for p in items] == ["List Bullet", "List Bullet"]
    num_id = num_pr(items[0])[0]
    numbering = part(data, "word/numbering.xml")
    abstract_id = numbering.find(f"w:num[@w:numId='{num_id}']/w:abstractNumId", NS).get(qn("w:val"))
    fmt = numbering.find(f"w:abstractNum[@w:abstractNumId='{abstract_id}']/w:lvl/w:numFmt", NS)
    assert fmt.get(qn("w:val")) == "bullet"


def test_list_styles_carry_their_numbering():
    data = docx_bytes("<p>x</p>")
    styles, numbering = part(data, "word/styles.xml"), part(data, "word/numbering.xml")
    for style_id, fmt in (("ListNumber", "decimal"), ("ListBullet", "bullet")):
        num_id = styles.find(f"w:style[@w:styleId='{style_id}']/w:pPr/w:numPr/w:numId", NS).get(qn("w:val"))
        abstract = numbering.find(f"w:num[@w:numId='{num_id}']/w:abstractNumId", NS).get(qn("w:val"))
        level = numbering.find(f"w:abstractNum[@w:abstractNumId='{abstract}']/w:lvl", NS)
        assert level.find("w:numFmt", NS).get(qn("w:val")) == fmt
        assert level.find("w:pStyle", NS).get(qn("w:val")) == style_id


def test_later_paragraphs_of_an_item_continue_it_unnumbered():
    document = build("<ol><li><p>First</p><p>More</p></li><li>Second</li></ol>")
    first, more, second = document.paragraphs
    assert num_pr(first) and num_pr(second) and num_pr(more) is None
    assert more.style.name == "List Continue"
    assert more.paragraph_format.left_indent > 0


def test_table_header_row_repeats_and_spans_merge():
    document = build(
        "<table><caption>People</caption><thead><tr><th>Name</th><th>Role</th></tr></thead>"
        "<tbody><tr><td>Ana</td><td><p>Lead</p><ul><li>x</li></ul></td></tr>"
        "<tr><td colspan='2'>Both</td></tr></tbody></table>"
    )
    assert document.paragraphs[0].style.name == "Caption"
    table = document.tables[0]
    assert table.style.name == "Missionpress Table"
    rows = table._tbl.tr_lst
    assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
    assert all(row.find("w:trPr/w:tblHeader", NS) is None for row in rows[1:])
    assert [c.text for c in table.rows[0].cells] == ["Name", "Role"]
    assert rows[2].tc_lst[0].grid_span == 2
    assert table.cell(1, 1).paragraphs[1].style.name == "List Bullet"


def test_table_columns_hold_their_longest_word_in_its_own_face():
    document = build("<table><tr><th>Responsabilidad</th><th>Notes</th></tr>"
                     f"<tr><td>Compassion</td><td>{'words that wrap ' * 12}</td></tr>"
                     "<tr><td><strong>Professionalism</strong></td><td>x</td></tr></table>")
    first, second = (column.width.pt for column in document.tables[0].columns)
    pad = 2 * 0.5 * 11 + 0.5  # the cell margins (0.5em each side) and the rule
    bold = advance("Responsabilidad", Face("Noto Sans", bold=True), 11)
    assert bold > advance("Responsabilidad", Face("Noto Sans"), 11) + 4  # the header's bold needs more room
    assert bold + pad <= first <= bold + pad + 2  # the word and no more: the long text takes the rest
    assert first >= advance("Professionalism", Face("Noto Sans", bold=True), 11) + pad
    assert first + second == pytest.approx(content_size(LETTER)[0], abs=0.1)


def test_a_table_word_breaks_after_a_hyphen_and_not_at_a_no_break_space():
    document = build("<table><tr><td>Professionalism-Professionalism</td><td>Lobo\u00a0Respect</td>"
                     f"<td>{'words that wrap ' * 20}</td></tr></table>")
    first, second, _ = (column.width.pt for column in document.tables[0].columns)
    pad = 2 * 0.5 * 11 + 0.5
    regular = Face("Noto Sans")
    assert first < advance("Professionalism-Professionalism", regular, 11)  # it may break after the hyphen
    assert first >= advance("Professionalism-", regular, 11) + pad
    assert second >= advance("Lobo\u00a0Respect", regular, 11) + pad  # but not at the no-break space


def test_first_row_of_th_is_a_header_and_td_row_is_not():
    document = build("<table><tr><th>A</th></tr><tr><td>1</td></tr></table>"
                     "<table><tr><td>B</td></tr></table>")
    with_th, without = (t._tbl.tr_lst[0] for t in document.tables)
    assert with_th.find("w:trPr/w:tblHeader", NS) is not None
    assert without.find("w:trPr/w:tblHeader", NS) is None


def test_page_break_class_breaks_before_the_next_paragraph():
    document = build('<p>One</p><div class="page-break"></div><p>Two</p><section class="new-page">'
                     "<h2>Three</h2></section>")
    breaks = [p.paragraph_format.page_break_before for p in document.paragraphs]
    assert breaks == [None, True, True]


def test_hr_is_a_bordered_paragraph_in_the_rule_color():
    document = build("<p>a</p><hr><p>b</p>")
    bottom = document.paragraphs[1]._p.find("w:pPr/w:pBdr/w:bottom", NS)
    assert bottom.get(qn("w:color")) == "A7A8AA"


# --- inline content --------------------------------------------------------------------------


def test_emphasis_and_strong_runs_carry_character_styles():
    document = build("<p>a <em>b</em> <strong>c</strong> <strong><em>d</em></strong> <i>e</i></p>")
    runs = document.paragraphs[0].runs
    styled = {r.text: (r.style.name, r.italic) for r in runs if r.text.strip()}
    assert styled["b"] == ("Emphasis", None)
    assert styled["c"] == ("Strong", None)
    assert styled["d"] == ("Strong", True)
    assert styled["e"] == ("Emphasis", None)


def test_external_and_internal_links():
    document = build('<p>See <a href="https://example.org/a?b=1">our site</a> and '
                     '<a href="#goals">the goals</a>.</p><h2 id="goals">Goals</h2>')
    external, internal = document.paragraphs[0].hyperlinks
    assert external.url == "https://example.org/a?b=1"
    assert external.runs[0].style.name == "Hyperlink"
    rel = document.part.rels[external._hyperlink.rId]
    assert rel.is_external
    assert internal.fragment == "goals"
    start = document.paragraphs[1]._p.find("w:bookmarkStart", NS)
    assert start.get(qn("w:name")) == "goals"


def test_bookmark_names_are_valid_and_unique_as_word_compares_them():
    names = bookmark_names(["Goal", "goal", "goal-1", "goal_1", "1st", "x" * 60, "x" * 61])
    assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,39}", n) for n in names.values())
    assert len({n.lower() for n in names.values()}) == len(names)
    assert names["1st"] == "id_1st"


def test_link_to_a_missing_id_is_an_error():
    with pytest.raises(MissionpressError, match=r'^test\.html:4: <a href="#nowhere"> points at no element'):
        docx_bytes('<p><a href="#nowhere">x</a></p>')


def test_whitespace_collapses_but_no_break_spaces_stay():
    document = build("<p>\n  Call&nbsp;us   at\t <em> 505&nbsp;555 </em>\n now  <br>\n next </p>")
    assert document.paragraphs[0].text == "Call\u00a0us at 505\u00a0555 now\nnext"


def test_sub_sup_and_small():
    runs = build("<p>H<sub>2</sub>O x<sup>2</sup> <small>fine</small></p>").paragraphs[0].runs
    by_text = {r.text: r for r in runs}
    sub, sup = (r.font for r in runs if r.text == "2")
    assert (sub.subscript, sup.superscript) == (True, True)
    assert by_text["fine"].font.size == Pt(THEME.sizes.small)


def test_page_number_and_count_are_fields():
    data = docx_bytes('<p>Page <span class="page-number"></span> of <span class="page-count"></span></p>')
    instructions = [t.text.strip() for t in part(data, "word/document.xml").iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]


# --- page furniture and contents -------------------------------------------------------------

BOOK = (
    '<section class="cover"><p class="subtitle">UNM</p><h1 class="title">The Book</h1></section>'
    '<header class="running"><span class="chapter-title"></span></header>'
    '<footer class="running">Page <span class="page-number"></span> of <span class="page-count"></span></footer>'
    '<nav class="toc new-page"><p class="toc-heading">Contents</p>'
    '<ol><li><a href="#one">One &amp; <em>only</em></a><ol><li><a href="#one-a">One a</a></li></ol></li>'
    '<li><a href="#2-two">Two</a></li></ol></nav>'
    '<section class="chapter new-page"><h1 id="one">One &amp; only</h1><h2 id="one-a">One a</h2></section>'
    '<section class="chapter new-page"><h1 id="2-two">Two</h1></section>'
)


def instructions(root: etree._Element) -> list[str]:
    return [" ".join(t.text.split()) for t in root.iter(qn("w:instrText"))]


def field_results(root: etree._Element, instruction: str) -> list[str]:
    """The cached result text of every complex field whose instruction starts with ``instruction``."""
    results, depth, current, collecting = [], 0, [], None
    for el in root.iter(qn("w:fldChar"), qn("w:instrText"), qn("w:t")):
        kind = el.get(qn("w:fldCharType"))
        if kind == "begin":
            depth += 1
        elif el.tag == qn("w:instrText") and " ".join(el.text.split()).startswith(instruction):
            collecting, current = depth, []
        elif kind == "end":
            if collecting == depth:
                results.append("".join(current))
                collecting = None
            depth -= 1
        elif el.tag == qn("w:t") and collecting == depth:
            current.append(el.text or "")
    return results


def test_cover_is_a_first_page_without_header_or_footer():
    data = docx_bytes(BOOK)
    section = docx.Document(io.BytesIO(data)).sections[0]
    assert section.different_first_page_header_footer
    for story in (section.first_page_header, section.first_page_footer):
        assert not story.is_linked_to_previous
        assert [p.text for p in story.paragraphs] == [""]
        assert story.paragraphs[0].style.name == "Normal"  # not Header: its rule would show
    assert part(data, "word/header1.xml") is not None


def test_the_block_after_the_cover_starts_a_new_page():
    document = build('<section class="cover"><h1 class="title">T</h1></section><p>Next</p>')
    title, following = document.paragraphs
    assert title.paragraph_format.page_break_before is None
    assert following.paragraph_format.page_break_before


def test_a_cover_that_is_not_first_is_an_error():
    with pytest.raises(MissionpressError, match=r':4: <section class="cover"> must come first'):
        docx_bytes('<p>x</p><section class="cover"><h1>T</h1></section>')


def test_running_header_and_footer_leave_the_body_for_the_section():
    document = build(BOOK)
    body = [p.text for p in document.paragraphs]
    assert not any("Page" in text for text in body)
    section = document.sections[1]  # the first chapter's section, after the contents
    header, footer = section.header, section.footer
    assert not header.is_linked_to_previous and not footer.is_linked_to_previous
    (head,), (foot,) = header.paragraphs, footer.paragraphs
    assert (head.style.name, foot.style.name) == ("Header", "Footer")
    assert head.text == "One & only"  # STYLEREF's cached result: the first chapter
    assert document.sections[-1].header.paragraphs[0].text == "Two"  # each chapter's pages: its title
    assert foot.text == "Page 1 of 1"
    assert instructions(header._element) == ['STYLEREF "Heading 1"']
    assert instructions(footer._element) == ["PAGE", "NUMPAGES"]
    styles = document.styles
    assert styles["Header"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert styles["Footer"].font.size == Pt(THEME.sizes.small)
    assert str(styles["Footer"].font.color.rgb) == "63666A"


def test_a_page_break_and_link_target_pending_before_a_running_header_go_to_the_body():
    document = build('<p>a</p><div class="page-break" id="here"></div><footer class="running">'
                     '<span class="page-number"></span></footer><p>b</p><p><a href="#here">back</a></p>')
    _, after, _ = document.paragraphs
    assert after.text == "b" and after.paragraph_format.page_break_before
    assert after._p.find("w:bookmarkStart", NS).get(qn("w:name")) == "here"
    footer = document.sections[0].footer._element
    assert footer.find(".//w:bookmarkStart", NS) is None
    assert footer.find(".//w:pageBreakBefore", NS) is None


def test_running_is_for_header_and_footer_only():
    with pytest.raises(MissionpressError, match=r':4: <div class="running">: only <header> and <footer>'):
        docx_bytes('<div class="running">x</div>')


def test_contents_become_one_toc_field_with_linked_entries():
    data = docx_bytes(BOOK)
    document = docx.Document(io.BytesIO(data))
    root = part(data, "word/document.xml")
    toc = [i for i in instructions(root) if i.startswith("TOC")]
    assert toc == ['TOC \\o "1-2" \\h \\z']  # as deep as the contents list goes
    begin = root.find(".//w:fldChar[@w:fldCharType='begin']", NS)
    assert begin.getparent().getnext().find("w:instrText", NS).text.strip().startswith("TOC")
    heading = next(p for p in document.paragraphs if p.text == "Contents")
    assert heading.style.name == "TOC Heading" and heading.paragraph_format.page_break_before
    entries = [p for p in document.paragraphs if re.fullmatch(r"TOC\d", p.style.style_id)]
    assert [(p.style.style_id, p.text) for p in entries] == [
        ("TOC1", "One & only\t"), ("TOC2", "One a\t"), ("TOC1", "Two\t")]
    names = {start.get(qn("w:name")) for start in root.iterfind(".//w:bookmarkStart", NS)}
    anchors = [link.get(qn("w:anchor")) for p in entries for link in p._p.iterfind("w:hyperlink", NS)]
    pagerefs = [i.split()[1] for i in instructions(root) if i.startswith("PAGEREF")]
    assert anchors == pagerefs == ["one", "one_a", "id_2_two"]
    assert set(anchors) <= names
    assert all(i.endswith("\\h") for i in instructions(root) if i.startswith("PAGEREF"))
    # One field: a begin in the first entry, the end closing the last.
    ends = entries[-1]._p.findall("w:r/w:fldChar[@w:fldCharType='end']", NS)
    assert len(ends) == 1
    settings = part(data, "word/settings.xml")
    assert settings.find("w:updateFields", NS) is None  # the result is right: nothing to ask


def test_toc_heading_and_entries_stay_out_of_heading_styles():
    document = build(BOOK)
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == ["One & only", "Two"]
    assert [p.text for p in document.paragraphs if p.style.name == "Title"] == ["The Book"]


def test_contents_page_numbers_come_from_the_caller_or_stay_empty():
    root = part(docx_bytes(BOOK), "word/document.xml")
    assert field_results(root, "PAGEREF") == ["", "", ""]
    data = write_docx(html(BOOK), theme=THEME, page=LETTER, template="t.html",
                      page_numbers={"one": 3, "one-a": 3, "2-two": 5, "elsewhere": 9})
    assert field_results(part(data, "word/document.xml"), "PAGEREF") == ["3", "3", "5"]


def test_contents_styles_have_a_dotted_right_tab_at_the_margin():
    styles = build(BOOK).styles
    for name in ("toc 1", "toc 2", "toc 3"):
        (stop,) = styles[name].paragraph_format.tab_stops
        assert stop.alignment == WD_TAB_ALIGNMENT.RIGHT and stop.leader == WD_TAB_LEADER.DOTS
        assert abs(stop.position - Pt(LETTER.width - 2 * LETTER.margin)) <= 635
    assert styles["toc 1"].font.bold and not styles["toc 2"].font.bold
    assert styles["toc 2"].paragraph_format.left_indent > 0


def test_a_contents_entry_without_a_link_has_no_page_number():
    document = build('<nav class="toc"><ol><li>Plain</li></ol></nav>')
    (entry,) = document.paragraphs
    assert entry.text == "Plain" and entry.style.style_id == "TOC1"


def test_contents_deeper_than_three_levels_are_an_error():
    with pytest.raises(MissionpressError, match="3 levels deep at most"):
        docx_bytes('<nav class="toc"><ol><li>a<ol><li>b<ol><li>c<ol><li>d</li></ol></li></ol></li></ol>'
                   "</li></ol></nav>")


def test_chapter_title_outside_a_running_header_is_a_styleref_field_too():
    data = docx_bytes('<p><span class="chapter-title"></span></p><h1>First</h1>')
    assert instructions(part(data, "word/document.xml")) == ['STYLEREF "Heading 1"']


# --- images ----------------------------------------------------------------------------------


def test_image_alt_text_lands_in_doc_pr_and_size_follows_css_pixels():
    data = docx_bytes(f'<figure><img src="{PNG_URL}" alt="A red banner" width="96"></figure>')
    doc_pr = part(data, "word/document.xml").find(".//wp:docPr", NS)
    assert (doc_pr.get("descr"), doc_pr.get("title")) == ("A red banner", "A red banner")
    shape = docx.Document(io.BytesIO(data)).inline_shapes[0]
    assert (shape.width, shape.height) == (914400, 457200)  # 96 px = 1 in, aspect kept


def test_decorative_image_has_empty_descr_and_the_decorative_flag():
    data = docx_bytes(f'<p><img src="{PNG_URL}" alt=""></p><p><img src="{PNG_URL}" alt="Two"></p>')
    first, second = part(data, "word/document.xml").iterfind(".//wp:docPr", NS)
    assert first.get("descr") == ""
    flag = "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative"
    assert first.find(f".//{flag}").get("val") == "1"
    assert (first.get("id"), second.get("id")) == ("1", "2")


def test_image_without_alt_is_an_error_naming_template_line_and_src():
    with pytest.raises(MissionpressError) as error:
        docx_bytes('<p>x</p>\n<p><img src="logo.png"></p>', template="poster.html",
                   fetch=lambda url: png(2, 2))
    message = str(error.value)
    assert message.startswith('poster.html:5: <img src="logo.png"> has no alt attribute')
    assert "alt" in message


def test_images_come_through_fetch_and_fit_the_page():
    seen = []

    def fetch(url: str) -> bytes:
        seen.append(url)
        return png(4000, 100)

    document = build('<p><img src="file:///project/wide.png" alt="Wide"></p>', fetch=fetch)
    assert seen == ["file:///project/wide.png"]
    content_width = Pt(LETTER.width - 2 * LETTER.margin)
    assert abs(document.inline_shapes[0].width - content_width) <= 1


# --- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize("element", ["script", "video", "iframe", "svg", "code", "pre", "h5", "dl"])
def test_unsupported_element_error_names_element_template_and_line(element):
    with pytest.raises(MissionpressError) as error:
        docx_bytes(f"<p>one</p>\n<section>\n<{element}>x</{element}></section>", template="handbook.html")
    message = str(error.value)
    assert message.startswith(f"handbook.html:6: <{element}> is not supported by the Word writer")
    assert "render it only for the PDF" in message


@pytest.mark.parametrize(
    ("body", "expected"),
    [("<p><span><li>x</li></span></p>", r":4: <li> must be inside <ol> or <ul>, not <span>"),
     ("<section><em><div>x</div></em></section>", r":4: <div> cannot be inside <em>"),
     ("<ol><p>x</p></ol>", r":4: <p> cannot be inside <ol>"),
     ("<ul>loose<li>x</li></ul>", r":4: <ul> holds text outside its items")],
)
def test_elements_out_of_place_are_errors(body, expected):
    with pytest.raises(MissionpressError, match=expected):
        docx_bytes(body)


def test_comments_are_ignored_and_link_targets_in_lists_get_bookmarks():
    document = build('<p>a<!-- note -->b</p><!-- between --><ol><li id="step-2">Step</li></ol>'
                     '<p><a href="#step-2">back</a></p>')
    first, item, link = document.paragraphs
    assert first.text == "ab"
    assert item._p.find("w:bookmarkStart", NS).get(qn("w:name")) == "step_2"
    assert link.hyperlinks[0].fragment == "step_2"


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [({"lang": None}, "has no lang attribute"), ({"title": None}, "<title> is missing"),
     ({"title": "  "}, "<title> is missing")],
)
def test_lang_and_title_are_required(kwargs, expected):
    with pytest.raises(MissionpressError, match=expected):
        docx_bytes("<p>x</p>", **kwargs)


def test_pages_over_22_inches_are_refused():
    with pytest.raises(MissionpressError, match="Word cannot open pages over 22 in"):
        docx_bytes("<p>x</p>", pg=page("18x24"))


# --- styles, language, page, package ---------------------------------------------------------


def test_document_language_in_doc_defaults_and_core_properties():
    data = docx_bytes("<p>hola</p>", lang="es")
    lang = part(data, "word/styles.xml").find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert lang.get(qn("w:val")) == "es-US"
    assert docx.Document(io.BytesIO(data)).core_properties.language == "es-US"


def test_elements_with_their_own_lang_mark_their_runs():
    document = build('<p>Hello</p><section lang="es"><p>Hola <span lang="nv">Yá\'át\'ééh</span></p>'
                     "</section>")
    english, spanish = document.paragraphs
    assert english.runs[0]._r.find("w:rPr/w:lang", NS) is None
    langs = [r._r.find("w:rPr/w:lang", NS).get(qn("w:val")) for r in spanish.runs]
    assert langs == ["es-US", "nv"]


def test_heading_fonts_are_named_not_theme_fonts():
    data = docx_bytes("<h1>x</h1>")
    styles = part(data, "word/styles.xml")
    heading = styles.find("w:style[@w:styleId='Heading1']", NS)
    fonts = heading.find("w:rPr/w:rFonts", NS)
    assert {fonts.get(qn(f"w:{slot}")) for slot in ("ascii", "hAnsi", "eastAsia", "cs")} == {"Noto Serif"}
    assert heading.find("w:rPr/w:color", NS).get(qn("w:val")) == "BA0C2F"
    theme_attrs = [a for el in styles.iter(qn("w:rFonts")) for a in el.attrib if "heme" in a]
    assert theme_attrs == []
    default_fonts = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
    assert default_fonts.get(qn("w:ascii")) == "Noto Sans"


@pytest.mark.parametrize(("size", "orientation"), [("letter", "portrait"), ("tabloid", "landscape")])
def test_page_size_orientation_and_margins(size, orientation):
    pg = page(size, orientation)
    section = build("<p>x</p>", pg=pg).sections[0]
    assert (section.page_width, section.page_height) == (Pt(pg.width), Pt(pg.height))
    assert section.orientation == (WD_ORIENT.LANDSCAPE if orientation == "landscape" else WD_ORIENT.PORTRAIT)
    assert section.left_margin == section.top_margin == Pt(pg.margin)


def test_core_properties_come_from_the_head(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    head = '<meta name="author" content="UNM"><meta name="description" content="Our statement">'
    props = build("<p>x</p>", title="Mission  Statement", head=head).core_properties
    assert (props.title, props.author, props.subject) == ("Mission Statement", "UNM", "Our statement")
    assert (props.comments, props.last_modified_by, props.revision) == ("", "", 1)
    assert props.created.year == 2023 and props.modified == props.created


def test_same_html_gives_the_same_bytes(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    body = f'<h1>T</h1><ol><li>a</li></ol><p><a href="https://x.org">x</a><img src="{PNG_URL}" alt="i"></p>'
    first, second = docx_bytes(body), docx_bytes(body)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        infos = package.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert "docProps/thumbnail.jpeg" not in {info.filename for info in infos}


# --- a real reader ---------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_shows_restarted_numbers_and_the_page_break(tmp_path: Path):
    source = tmp_path / "lists.docx"
    source.write_bytes(docx_bytes(
        "<ol><li>Alpha</li><li>Beta</li></ol><p>Between</p><ol><li>Gamma</li></ol>"
        '<div class="page-break"></div><p>Second page <span class="page-number"></span></p>'
    ))
    profile = (tmp_path / "profile").as_uri()  # private: parallel runs do not share LibreOffice's user folder
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "lists.pdf"), "-"],
                          check=True, capture_output=True, text=True).stdout
    first, second = text.split("\f")[:2]
    assert [line.split() for line in first.splitlines() if "." in line] == [
        ["1.", "Alpha"], ["2.", "Beta"], ["1.", "Gamma"]]
    assert "Second page 2" in second
