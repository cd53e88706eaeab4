"""Writer: HTML -> DOCX, which font faces a written document shows.

A face is a family with bold and italic on or off.  It is what a reader
resolves for every run of text, every list number and every empty
paragraph's mark: the document defaults, then the paragraph style's chain of
``basedOn``, then the numbering level (for a number), then the character
style's chain, then the run's own properties.  Only the faces found here are
embedded (:mod:`generator.docx.fonts`), so a document that never sets italic
text carries no italic font.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from docx.document import Document
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement


@dataclass(frozen=True, order=True)
class Face:
    family: str
    bold: bool = False
    italic: bool = False

    @property
    def slot(self) -> str:
        """The fontTable element that embeds this face: ``embedRegular``, ``embedBoldItalic``..."""
        return "embed" + ({(False, False): "Regular", (True, False): "Bold", (False, True): "Italic",
                           (True, True): "BoldItalic"}[self.bold, self.italic])


# A partial run look: family, bold, italic; None leaves the inherited value.
Props = tuple[str | None, bool | None, bool | None]
NOTHING: Props = (None, None, None)


def _on(el: BaseOxmlElement | None) -> bool | None:
    if el is None:
        return None
    return el.get(qn("w:val"), "true").lower() not in ("0", "false", "off")


def props(rpr: BaseOxmlElement | None) -> Props:
    """What a ``w:rPr`` sets of family (the ``ascii`` slot), bold and italic."""
    if rpr is None:
        return NOTHING
    fonts = rpr.find(qn("w:rFonts"))
    family = fonts.get(qn("w:ascii")) if fonts is not None else None
    return family, _on(rpr.find(qn("w:b"))), _on(rpr.find(qn("w:i")))


def over(base: Props, top: Props) -> Props:
    """``top`` laid over ``base``: what ``top`` sets wins."""
    return tuple(t if t is not None else b for b, t in zip(base, top, strict=True))  # type: ignore[return-value]


class Resolver:
    """Resolves the face of runs through the document's styles and numbering."""

    def __init__(self, document: Document) -> None:
        styles = document.styles.element
        self.styles = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
        defaults = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
        self.base = over(("", False, False), props(defaults))
        self.default_paragraph = next((i for i, s in self.styles.items() if s.get(qn("w:type")) == "paragraph"
                                       and s.get(qn("w:default")) in ("1", "true")), None)
        self.levels = _levels(document)
        self._chains: dict[str | None, Props] = {}

    def chain(self, style_id: str | None) -> Props:
        """What a style and the styles it is based on set, nearest first."""
        key = style_id
        if key not in self._chains:
            result, seen, current = NOTHING, set(), style_id
            while current is not None and current in self.styles and current not in seen:
                seen.add(current)
                style = self.styles[current]
                result = over(props(style.find(qn("w:rPr"))), result)
                based = style.find(qn("w:basedOn"))
                current = based.get(qn("w:val")) if based is not None else None
            self._chains[key] = result
        return self._chains[key]

    def paragraph_props(self, p: BaseOxmlElement) -> tuple[Props, BaseOxmlElement | None]:
        """The paragraph style's look over the defaults, and the paragraph's ``w:pPr``."""
        ppr = p.find(qn("w:pPr"))
        style = ppr.find(qn("w:pStyle")) if ppr is not None else None
        style_id = style.get(qn("w:val")) if style is not None else self.default_paragraph
        return over(self.base, self.chain(style_id)), ppr

    def faces(self, roots: Iterable[BaseOxmlElement], known: Known | None = None) -> set[Face]:
        """The faces of every paragraph in ``roots``; those of the ``known`` children of a root are given."""
        found: set[Face] = set(known.faces) if known else set()
        skip = {id(el) for el in known.elements} if known else set()
        for root in roots:
            for part in root.iterchildren() if skip else (root,):
                if id(part) not in skip:
                    for p in part.iter(qn("w:p")):
                        found.update(self._paragraph(p))
        return found

    def _paragraph(self, p: BaseOxmlElement) -> Iterator[Face]:
        paragraph, ppr = self.paragraph_props(p)
        number = self._number(ppr, paragraph)
        if number is not None:
            yield number
        shown = False
        for run in p.iter(qn("w:r")):
            if not any((t.text or "") for t in run.iter(qn("w:t"))) and run.find(qn("w:sym")) is None:
                continue
            shown = True
            rpr = run.find(qn("w:rPr"))
            rstyle = rpr.find(qn("w:rStyle")) if rpr is not None else None
            look = over(paragraph, self.chain(rstyle.get(qn("w:val"))) if rstyle is not None else NOTHING)
            yield _face(over(look, props(rpr)))
        if not shown:  # an empty paragraph still takes its line height from its font
            yield _face(paragraph)

    def _number(self, ppr: BaseOxmlElement | None, paragraph: Props) -> Face | None:
        num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        num_id = num_pr.find(qn("w:numId")) if num_pr is not None else None
        if num_id is None:
            style = ppr.find(qn("w:pStyle")) if ppr is not None else None
            num_pr = self._style_numbering(style.get(qn("w:val")) if style is not None else None)
            num_id = num_pr.find(qn("w:numId")) if num_pr is not None else None
            if num_id is None:
                return None
        ilvl_el = num_pr.find(qn("w:ilvl")) if num_pr is not None else None
        ilvl = ilvl_el.get(qn("w:val")) if ilvl_el is not None else "0"
        level = self.levels.get((num_id.get(qn("w:val")), ilvl))
        if level is None:
            return None
        return _face(over(paragraph, props(level.find(qn("w:rPr")))))

    def _style_numbering(self, style_id: str | None) -> BaseOxmlElement | None:
        seen: set[str] = set()
        while style_id is not None and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            style = self.styles[style_id]
            num_pr = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            if num_pr is not None:
                return num_pr
            based = style.find(qn("w:basedOn"))
            style_id = based.get(qn("w:val")) if based is not None else None
        return None


def _face(look: Props) -> Face:
    return Face(look[0] or "", bool(look[1]), bool(look[2]))


def _levels(document: Document) -> dict[tuple[str, str], BaseOxmlElement]:
    """(numId, ilvl) -> the ``w:lvl`` that draws its number."""
    try:
        numbering = document.part.numbering_part.element
    except NotImplementedError:  # pragma: no cover - every document the writer makes has one
        return {}
    abstracts = {a.get(qn("w:abstractNumId")): a for a in numbering.findall(qn("w:abstractNum"))}
    levels: dict[tuple[str, str], BaseOxmlElement] = {}
    for num in numbering.findall(qn("w:num")):
        abstract = abstracts.get(num.find(qn("w:abstractNumId")).get(qn("w:val")))
        for lvl in abstract.findall(qn("w:lvl")) if abstract is not None else ():
            levels[(num.get(qn("w:numId")), lvl.get(qn("w:ilvl")))] = lvl
    return levels


@dataclass
class Known:
    """Body elements whose faces are known already (copied from a document that resolved them)."""

    elements: list[BaseOxmlElement] = field(default_factory=list)
    faces: set[Face] = field(default_factory=set)


def used_faces(document: Document, known: Known | None = None) -> set[Face]:
    """Every face the body, headers and footers of ``document`` show (those of ``known`` as given)."""
    roots = [document.element.body]
    for section in document.sections:
        for story in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            if not story.is_linked_to_previous:
                roots.append(story._element)
    return Resolver(document).faces(roots, known)
