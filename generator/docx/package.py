"""Writer: HTML -> DOCX, the package around the text.

Page setup of a section, core properties (title, author, language, fixed
dates) and the reproducible zip: the same document gives the same bytes,
whatever the clock says (python-docx #1042).
"""

from __future__ import annotations

import hashlib
import io
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Pt

from generator.content.i18n import LOCALES
from generator.content.pages import WORD_MAX, Page
from generator.docx.reuse import shared_blob
from generator.errors import MissionpressError
from generator.output import build_date

ZIP_TIME = (1980, 1, 1, 0, 0, 0)
CORE_TEXT_LIMIT = 255  # characters python-docx (and the OPC schema's users) accept
FIRST_MEMBERS = ("[Content_Types].xml", "_rels/.rels")
COMPATIBILITY_MODE = 15  # Word 2013 and later
FONT_LEVEL = 9  # deflate level of embedded fonts (subsets: 10 ms a face, once per process)
MEMBER_LEVEL = 6  # of the other members
# The settings after w:autoHyphenation, in the schema's order (ECMA-376 Part 1, 17.15.1.78).
AFTER_AUTO_HYPHENATION = (
    "w:consecutiveHyphenLimit", "w:hyphenationZone", "w:doNotHyphenateCaps", "w:showEnvelope",
    "w:summaryLength", "w:clickAndTypeStyle", "w:defaultTableStyle", "w:evenAndOddHeaders",
    "w:bookFoldRevPrinting", "w:bookFoldPrinting", "w:bookFoldPrintingSheets",
    "w:drawingGridHorizontalSpacing", "w:drawingGridVerticalSpacing", "w:displayHorizontalDrawingGridEvery",
    "w:displayVerticalDrawingGridEvery", "w:doNotUseMarginsForDrawingGridOrigin",
    "w:drawingGridHorizontalOrigin", "w:drawingGridVerticalOrigin", "w:doNotShadeFormData", "w:noPunctuationKerning",
    "w:characterSpacingControl", "w:printTwoOnOne", "w:strictFirstAndLastChars", "w:noLineBreaksAfter",
    "w:noLineBreaksBefore", "w:savePreviewPicture", "w:doNotValidateAgainstSchema", "w:saveInvalidXml",
    "w:ignoreMixedContent", "w:alwaysShowPlaceholderText", "w:doNotDemarcateInvalidXml", "w:saveXmlDataOnly",
    "w:useXSLTWhenSaving", "w:saveThroughXslt", "w:showXMLTags", "w:alwaysMergeEmptyNamespace",
    "w:updateFields", "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars",
    "w:rsids", "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions",
    "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary", "w:shapeDefaults",
    "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
)
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
def word_lang(code: str) -> str:
    """The Word language tag of an HTML ``lang``: ``en`` -> ``en-US``, others as given."""
    code = code.strip()
    return LOCALES.get(code.lower(), code).replace("_", "-")


@dataclass(frozen=True)
class Metadata:
    """What the HTML ``<head>`` says about the document."""

    title: str
    lang: str
    author: str = ""
    description: str = ""
    keywords: str = ""


def check_page(page: Page) -> None:
    """Word cannot open pages over 22 in."""
    if page.width > WORD_MAX or page.height > WORD_MAX:
        raise MissionpressError(
            f"size {page.name}: Word cannot open pages over 22 in "
            f"({page.width / 72:g} x {page.height / 72:g} in); the Word version of a poster is a handout: "
            "make the Word file at letter or tabloid, and the large poster as PDF", field="size"
        )


def setup_section(section: Section, page: Page) -> None:
    """Page size, orientation and margins of ``section`` from ``page`` (points)."""
    section.orientation = WD_ORIENT.LANDSCAPE if page.landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Pt(page.width), Pt(page.height)
    margin = Pt(page.margin)
    section.top_margin = section.bottom_margin = margin
    section.left_margin = section.right_margin = margin
    section.header_distance = section.footer_distance = Pt(page.margin / 2)
    section.gutter = 0


def content_size(page: Page) -> tuple[float, float]:
    """Width and height (points) inside the margins."""
    return page.width - 2 * page.margin, page.height - 2 * page.margin


def _limit(text: str) -> str:
    return text if len(text) <= CORE_TEXT_LIMIT else text[: CORE_TEXT_LIMIT - 1] + "\u2026"


def set_properties(document: Document, meta: Metadata) -> None:
    """Core properties from the HTML head; nothing of python-docx's defaults is left."""
    props = document.core_properties
    props.title = _limit(meta.title)
    props.author = _limit(meta.author)
    props.subject = _limit(meta.description)
    props.keywords = _limit(meta.keywords)
    props.language = meta.lang
    props.comments = ""
    props.category = ""
    props.last_modified_by = ""
    props.revision = 1
    props.created = props.modified = build_date()
    _drop_thumbnail(document)
    _reset_proofing(document)


def _drop_thumbnail(document: Document) -> None:
    """The template's thumbnail shows python-docx's blank page, not this document."""
    rels = document.part.package.rels
    for r_id in [r_id for r_id, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
        del rels[r_id]


def _reset_proofing(document: Document) -> None:
    """The template claims spelling was checked ("clean"); let Word check this text."""
    settings = document.settings.element
    for proof_state in settings.findall(qn("w:proofState")):
        settings.remove(proof_state)


def modern_settings(document: Document) -> None:
    """Word 2013+ layout (no "[Compatibility Mode]"), no leftovers of python-docx's template.

    Hyphenation is on (``w:autoHyphenation``), in each paragraph's language (``w:lang`` of the
    document defaults, and of the runs and paragraph marks of text in another language), as the
    PDF hyphenates.  ``stylesWithEffects.xml`` is Word 2010's copy of the styles: the template's copy names
    numberings and defaults this document does not have, so it goes.  Nothing asks Word to
    update fields on open: every field result is written already.
    """
    settings = document.settings.element
    for setting in settings.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), str(COMPATIBILITY_MODE))
    for tag in ("w:updateFields", "w:useFELayout"):
        for old in list(settings.iter(qn(tag))):
            old.getparent().remove(old)
    rels = document.part.rels
    for r_id in [r_id for r_id, rel in rels.items() if rel.reltype == STYLES_WITH_EFFECTS]:
        del rels[r_id]
    for old in settings.findall(qn("w:autoHyphenation")):
        settings.remove(old)
    settings.insert_element_before(OxmlElement("w:autoHyphenation"), *AFTER_AUTO_HYPHENATION)


class _Precompressed:
    """Stands in for zlib's compressor of one zip member whose deflated bytes are known."""

    def __init__(self, deflated: bytes) -> None:
        self.deflated = deflated

    def compress(self, _data: bytes) -> bytes:
        deflated, self.deflated = self.deflated, b""
        return deflated

    def flush(self) -> bytes:
        return b""


_deflated: dict[tuple[int, bytes], bytes] = {}
_deflated_objects: dict[int, tuple[bytes, int, bytes]] = {}  # id(data) -> (data, level, deflated)
DEFLATED_KEEP = 64  # contents remembered per process
PER_DOCUMENT = ("word/document.xml", "docProps/core.xml")  # never the same twice: not remembered
SHARED_MEMBER = "word/styles.xml"  # most often the same bytes object again (generator.docx.reuse)


def _deflate(data: bytes, level: int, kept: bool = False) -> bytes:
    """``data`` deflated as zipfile does (raw stream, ``level``), once per process for each content.

    ``kept``: the same bytes object comes again (an embedded font, read once per process):
    it is known by its identity, without hashing its megabytes again.
    """
    known = _deflated_objects.get(id(data))
    if known is not None and known[0] is data and known[1] == level:
        return known[2]
    key = (level, hashlib.sha1(data).digest())
    if key not in _deflated:
        if len(_deflated) >= DEFLATED_KEEP:
            _deflated.pop(next(iter(_deflated)))
        compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
        _deflated[key] = compressor.compress(data) + compressor.flush()
    if kept:
        if len(_deflated_objects) >= DEFLATED_KEEP:
            _deflated_objects.pop(next(iter(_deflated_objects)))
        _deflated_objects[id(data)] = (data, level, _deflated[key])
    return _deflated[key]


def _members(document: Document) -> dict[str, bytes]:
    """The package's members as ``document.save`` would zip them, without zipping."""
    package = document.part.package
    parts = list(package.parts)
    for part in parts:
        part.before_marshal()
    members: dict[str, bytes] = {}

    class Collect:  # python-docx's physical writer interface, into ``members``
        def write(self, uri: Any, blob: bytes) -> None:
            members[uri.membername] = blob

    collect: Any = Collect()
    PackageWriter._write_content_types_stream(collect, parts)
    PackageWriter._write_pkg_rels(collect, package.rels)
    for part in parts:  # as PackageWriter._write_parts, but XML that documents share is serialized once
        collect.write(part.partname, shared_blob(part) or part.blob)
        if len(part.rels):
            collect.write(part.partname.rels_uri, part.rels.xml)
    return members


def reproducible_bytes(document: Document) -> bytes:
    """The package zipped with fixed times, attributes and member order.

    The members that are the same in every document of a batch (embedded fonts, the
    styles, the theme, pictures...) are deflated once per process and their deflated
    bytes reused: the zip is byte for byte what deflating them again would give.
    """
    members = _members(document)
    order = [n for n in FIRST_MEMBERS if n in members] + sorted(set(members) - set(FIRST_MEMBERS))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            level = FONT_LEVEL if name.endswith(".odttf") else MEMBER_LEVEL
            if name in PER_DOCUMENT:
                target.writestr(info, members[name], compresslevel=level)
                continue
            with target.open(info, "w") as member:  # zipfile's headers and CRC, our deflated bytes
                deflated = _deflate(members[name], level, kept=name.endswith(".odttf") or name == SHARED_MEMBER)
                member._compressor = _Precompressed(deflated)  # type: ignore[attr-defined]
                member.write(members[name])
    return out.getvalue()
