"""Finishing tags on a small PDF made by hand (no rendering): furniture, header scopes, languages."""

from __future__ import annotations

import io

import pikepdf
from pikepdf import Array, Dictionary, Name

from generator.pdf import tags

CONTENT = b"""/P <</MCID 0>> BDC BT /F1 12 Tf 72 700 Td (Name) Tj ET EMC
/P <</MCID 1>> BDC BT /F1 12 Tf 172 700 Td (Value) Tj ET EMC
/P <</MCID 2>> BDC BT /F1 12 Tf 72 680 Td (Integrity) Tj ET EMC
/P <</MCID 3>> BDC BT /F1 12 Tf 172 680 Td (1) Tj ET EMC
/Figure <</MCID 4>> BDC q 7717171 0 1 1 re 101 0 1 1 re 115 0 1 1 re f Q EMC
/P <</MCID 5>> BDC BT /F1 12 Tf 72 660 Td (Hola) Tj ET EMC
/Figure <</MCID 6>> BDC q 7717171 1 1 1 re 101 1 1 1 re 115 1 1 1 re f Q EMC
/Span <</MCID 7>> BDC BT /F1 12 Tf 72 40 Td (Page 1 of 1) Tj ET EMC
"""


def _element(pdf: pikepdf.Pdf, role: str, parent: Dictionary, page: Dictionary, kids: list[object],
             **extra: object) -> Dictionary:
    element = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + role), P=parent, Pg=page, **extra))
    element.K = Array(kids)
    return element


def _sample() -> bytes:
    """A table (a column header row, a row header), a Spanish paragraph between markers, a footer."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    page = pdf.pages[0].obj
    page.Contents = pdf.make_stream(CONTENT)
    page.StructParents = 0
    root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    document = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, P=root))
    root.K = Array([document])
    table = _element(pdf, "Table", document, page, [])
    first, second = _element(pdf, "TR", table, page, []), _element(pdf, "TR", table, page, [])
    cells = [
        _element(pdf, "TH", first, page, [0], ID=pikepdf.String("t-0-0"), A=Dictionary(O=Name.Table)),
        _element(pdf, "TH", first, page, [1], ID=pikepdf.String("t-0-1"), A=Dictionary(O=Name.Table)),
        _element(pdf, "TH", second, page, [2], ID=pikepdf.String("t-1-0"), A=Dictionary(O=Name.Table)),
        _element(pdf, "TD", second, page, [3], A=Dictionary(O=Name.Table, Headers=Array([
            pikepdf.String("t-1-0"), pikepdf.String("t-0-1")]))),
    ]
    first.K, second.K = Array(cells[:2]), Array(cells[2:])
    table.K = Array([first, second])
    spanish = _element(pdf, "P", document, page, [])
    start, end = _element(pdf, "NonStruct", spanish, page, [4]), _element(pdf, "NonStruct", spanish, page, [6])
    text = _element(pdf, "Span", spanish, page, [5])
    spanish.K = Array([start, text, end])
    footer = _element(pdf, "NonStruct", document, page, [7])  # in the parent tree only, as WeasyPrint writes it
    document.K = Array([table, spanish])
    root.ParentTree = Dictionary(Nums=Array([0, Array([*cells, start, text, end, footer])]))
    pdf.Root.StructTreeRoot = root
    pdf.Root.Lang = pikepdf.String("en")
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)
    return out.getvalue()


def test_furniture_becomes_a_pagination_artifact_and_leaves_the_parent_tree() -> None:
    with pikepdf.open(io.BytesIO(tags.finish(_sample()))) as pdf:
        content = pdf.pages[0].Contents.read_bytes()
        entries = pdf.Root.StructTreeRoot.ParentTree.Nums[1]
        assert b"/Artifact <</Type /Pagination>> BDC BT /F1 12 Tf 72 40 Td (Page 1 of 1)" in content
        assert b"/MCID 7" not in content
        assert entries[7] is None and entries[4] is None and entries[6] is None
        assert isinstance(entries[5], Dictionary)


def test_header_cells_get_column_or_row_scope() -> None:
    with pikepdf.open(io.BytesIO(tags.finish(_sample()))) as pdf:
        table = pdf.Root.StructTreeRoot.K[0].K[0]
        scopes = [str(cell.A.Scope) for row in table.K for cell in row.K if cell.S == "/TH"]
    assert scopes == ["/Column", "/Column", "/Row"]


def test_language_markers_give_lang_and_disappear() -> None:
    with pikepdf.open(io.BytesIO(tags.finish(_sample()))) as pdf:
        spanish = pdf.Root.StructTreeRoot.K[0].K[1]
        content = pdf.pages[0].Contents.read_bytes()
        assert str(spanish.Lang) == "es"
        assert [str(kid.S) for kid in spanish.K] == ["/Span"]  # the marker elements are gone
        assert b"7717171" not in content and b"/MCID 4" not in content and b"(Hola)" in content


def test_finishing_is_reproducible() -> None:
    assert tags.finish(_sample()) == tags.finish(_sample())


def test_language_css_only_for_documents_that_change_language() -> None:
    assert tags.language_css('<html lang="en"><body><p lang="en">x</p></body></html>') is None
    css = tags.language_css('<html lang="en"><body><div lang="es">x</div><p lang=en>y</p></body></html>')
    assert css is not None
    assert 'body [lang="es"]' in css and 'body [lang="en"]' in css and css.count("position: absolute") == 4
    assert tags.language_css('<html lang=en><body><p lang="x y">z</p></body></html>') is None  # not a tag
