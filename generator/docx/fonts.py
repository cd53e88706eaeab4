"""Writer: HTML -> DOCX, the bundled fonts embedded in the package (ECMA-376 Part 1, 17.8.1).

Each face the document shows (:mod:`generator.docx.faces`) that the bundled
fonts provide is stored as ``word/fonts/fontN.odttf``, cut down to what
editing in Latin-script languages can need (:mod:`generator.docx.subsets`:
never marked as a subset, which LibreOffice would refuse for editing), and
obfuscated as Word does: the first 32 bytes are XORed with the font key, a
GUID whose 16 bytes are taken from its hexadecimal text read backwards (the
last two hex digits are the first key byte; LibreOffice's importer, docx4j
and Word agree on this order).  The key is derived from the embedded bytes,
so builds stay byte-identical.

``word/fontTable.xml`` is rewritten to name every family the document uses,
with the panose number, family class, pitch and Unicode/code-page signature
of the bundled font, so a reader that ignores embedded fonts still chooses a
serif for the serif; embedded faces get ``w:embedRegular``... with their
``w:fontKey``.  ``w:embedTrueTypeFonts`` in the settings tells Word to keep
them when it saves.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from fontTools.ttLib import TTFont
from lxml import etree

from generator.content.fonts import family_name, font_files
from generator.docx.faces import Face, Known, used_faces
from generator.docx.reuse import shared_value
from generator.docx.subsets import beyond, subset
from generator.paths import FONTS

OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
OBFUSCATED_BYTES = 32
PANOSE_FIELDS = ("bFamilyType", "bSerifStyle", "bWeight", "bProportion", "bContrast", "bStrokeVariation",
                 "bArmStyle", "bLetterForm", "bMidline", "bXHeight")
SANS_SERIF_STYLES = range(11, 14)  # panose serif styles: normal, obtuse and perpendicular sans
DEFAULT_LINE_HEIGHT = 1.2
SLOTS = ("embedRegular", "embedBold", "embedItalic", "embedBoldItalic")
POST_FIXED_PITCH = 12  # offset of isFixedPitch (uint32) in the post table: version, italicAngle, underline


@dataclass(frozen=True)
class FontFile:
    """One bundled face and what the font table says about its family."""

    face: Face
    path: Path
    panose: str  # 20 hex digits
    family_class: str  # "roman" (serif) or "swiss" (sans serif)
    pitch: str  # "fixed" or "variable"
    signature: tuple[int, ...]  # usb0-usb3, csb0, csb1
    height: float  # Word's single line height, in ems: (winAscent + winDescent) / unitsPerEm


@lru_cache(maxsize=16)
def _read(path: Path) -> FontFile:
    with TTFont(path, lazy=True) as font:
        os2, family = font["OS/2"], family_name(font)
        style = font["head"].macStyle
        panose = [getattr(os2.panose, name) for name in PANOSE_FIELDS]
        fixed = _fixed_pitch(font)
        height = (os2.usWinAscent + os2.usWinDescent) / font["head"].unitsPerEm
        signature = (os2.ulUnicodeRange1, os2.ulUnicodeRange2, os2.ulUnicodeRange3, os2.ulUnicodeRange4,
                     getattr(os2, "ulCodePageRange1", 0), getattr(os2, "ulCodePageRange2", 0))
    return FontFile(
        face=Face(family, bool(style & 1), bool(style & 2)),
        path=path,
        panose="".join(f"{v:02X}" for v in panose),
        family_class="swiss" if panose[0] == 2 and panose[1] in SANS_SERIF_STYLES else "roman",
        pitch="fixed" if fixed else "variable",
        signature=signature,
        height=height,
    )


def _fixed_pitch(font: TTFont) -> bool:
    """The ``post`` table's isFixedPitch, read from its header: decoding the table reads every glyph name
    (a tenth of a second for the bundled fonts, in each process that writes Word)."""
    header = font.reader["post"]
    return len(header) >= POST_FIXED_PITCH + 4 and any(header[POST_FIXED_PITCH:POST_FIXED_PITCH + 4])


def bundled(folders: Sequence[Path] = (FONTS,)) -> dict[Face, FontFile]:
    """Face -> font file, the first folder that has a face winning."""
    return dict(_bundled(tuple(folders)))


@lru_cache(maxsize=8)
def _bundled(folders: tuple[Path, ...]) -> dict[Face, FontFile]:
    found: dict[Face, FontFile] = {}
    for folder in folders:
        for path in font_files(folder) if folder.is_dir() else ():
            info = _read(path.resolve())
            found.setdefault(info.face, info)
    return found


def line_height(family: str, folders: Sequence[Path] = (FONTS,)) -> float:
    """Word's single line height of ``family`` in ems (1.2 for a family not bundled)."""
    heights = [f.height for f in bundled(folders).values() if f.face.family == family]
    return heights[0] if heights else DEFAULT_LINE_HEIGHT


def font_key(data: bytes) -> str:
    """The font key GUID of a font, derived from its bytes: ``{XXXXXXXX-XXXX-...}``."""
    return "{" + str(uuid.UUID(bytes=hashlib.sha256(data).digest()[:16])).upper() + "}"


def _key_bytes(key: str) -> bytes:
    """The 16 XOR bytes of a font key: its hex digits read as bytes, last byte first."""
    return bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]


def obfuscate(data: bytes, key: str) -> bytes:
    """Obfuscate (or, applied again, restore) a font: XOR the first 32 bytes with the key."""
    xor = _key_bytes(key)
    head = bytes(b ^ xor[i % len(xor)] for i, b in enumerate(data[:OBFUSCATED_BYTES]))
    return head + data[OBFUSCATED_BYTES:]


def _obfuscated(path: Path, extra: frozenset[int]) -> tuple[str, bytes]:
    """The key and obfuscated bytes of a font file's subset with ``extra`` characters, made once per
    process while the file is unchanged."""
    stat = path.stat()
    return _obfuscate_file(path, stat.st_mtime_ns, stat.st_size, extra)


@lru_cache(maxsize=32)
def _obfuscate_file(path: Path, _mtime_ns: int, _size: int, extra: frozenset[int]) -> tuple[str, bytes]:
    data = subset(path, extra)
    key = font_key(data)
    return key, obfuscate(data, key)


def _texts(document: Document) -> Iterator[str]:
    """Every text the document shows: body, headers and footers, list numbers and bullets."""
    roots = [document.element]
    roots += [part.element for part in document.part.package.parts
              if str(part.partname).startswith(("/word/header", "/word/footer")) and hasattr(part, "element")]
    for root in roots:
        for t in root.iter(qn("w:t")):
            yield t.text or ""
    for level_text in document.part.numbering_part.element.iter(qn("w:lvlText")):
        yield level_text.get(qn("w:val"), "")


def _families(document: Document) -> list[str]:
    """Every family the styles, numbering and text name, in first-seen order."""
    names = dict.fromkeys(shared_value(document.styles.element, "families", _named))  # the styles: once
    for root in (document.element, document.part.numbering_part.element):
        names.update(dict.fromkeys(_named(root)))
    return list(names)


def _named(root: BaseOxmlElement) -> tuple[str, ...]:
    """The families ``root``'s run fonts name, in first-seen order."""
    names: dict[str, None] = {}
    for fonts in root.iter(qn("w:rFonts")):
        for slot in ("ascii", "hAnsi"):
            name = fonts.get(qn(f"w:{slot}"))
            if name:
                names[name] = None
    return tuple(names)


def embed_fonts(document: Document, folders: Sequence[Path] = (FONTS,), known: Known | None = None) -> list[Face]:
    """Embed the bundled faces ``document`` shows (``known``: of copied blocks); rewrite its font table.
    The faces embedded."""
    available = bundled(folders)
    extra = beyond(_texts(document))
    faces = sorted(face for face in used_faces(document, known) if face in available)
    table_part = document.part.part_related_by(RT.FONT_TABLE)
    for r_id in [r_id for r_id, rel in table_part.rels.items() if rel.reltype == RT.FONT]:
        del table_part.rels[r_id]
    by_family: dict[str, list[FontFile]] = {}
    for face in faces:
        by_family.setdefault(face.family, []).append(available[face])
    table = parse_xml(f'<w:fonts {nsdecls("w", "r")}/>')
    for number, name in enumerate(_table_names(document, by_family), 1):
        files = by_family.get(name, [])
        info = [f for f in available.values() if f.face.family == name]
        entry = _entry(name, files or info)
        for font in sorted(files, key=lambda f: SLOTS.index(f.face.slot)):
            key, obfuscated = _obfuscated(font.path, extra)
            partname = PackURI(f"/word/fonts/font{number}{font.face.slot[5:].lower()}.odttf")
            part = Part(partname, OBFUSCATED_FONT, obfuscated, document.part.package)
            r_id = table_part.relate_to(part, RT.FONT)
            embed = parse_xml(f'<w:{font.face.slot} {nsdecls("w", "r")} r:id="{r_id}" w:fontKey="{key}"/>')
            entry.append(embed)
        table.append(entry)
    table_part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)
    _embed_setting(document)
    return faces


def _table_names(document: Document, embedded: dict[str, list[FontFile]]) -> list[str]:
    names = _families(document)
    return names + [n for n in embedded if n not in names]


def _entry(name: str, files: Iterable[FontFile]) -> etree._Element:
    entry = parse_xml(f'<w:font {nsdecls("w")} w:name="{_attr(name)}"/>')
    files = list(files)
    if not files:
        return entry
    first = min(files, key=lambda f: (f.face.bold, f.face.italic))
    usb, csb = first.signature[:4], first.signature[4:]
    sig = " ".join([*(f'w:usb{i}="{v:08X}"' for i, v in enumerate(usb)),
                    *(f'w:csb{i}="{v:08X}"' for i, v in enumerate(csb))])
    for xml in (f'<w:panose1 w:val="{first.panose}"/>', '<w:charset w:val="00"/>',
                f'<w:family w:val="{first.family_class}"/>', f'<w:pitch w:val="{first.pitch}"/>',
                f"<w:sig {sig}/>"):
        entry.append(parse_xml(xml.replace("/>", f" {nsdecls('w')}/>", 1)))
    return entry


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _embed_setting(document: Document) -> None:
    """``w:embedTrueTypeFonts``, in schema order; no ``w:saveSubsetFonts``, which would ask Word to cut
    the fonts down to the characters shown when it saves."""
    settings = document.settings.element
    for tag in ("w:embedTrueTypeFonts", "w:saveSubsetFonts"):
        for old in settings.findall(qn(tag)):
            settings.remove(old)
    anchor = None
    for tag in ("w:writeProtection", "w:view", "w:zoom", "w:removePersonalInformation", "w:removeDateAndTime",
                "w:doNotDisplayPageBoundaries", "w:displayBackgroundShape", "w:printPostScriptOverText",
                "w:printFractionalCharacterWidth", "w:printFormsData"):
        found = settings.findall(qn(tag))
        anchor = found[-1] if found else anchor
    flag = parse_xml(f"<w:embedTrueTypeFonts {nsdecls('w')}/>")
    if anchor is None:
        settings.insert(0, flag)
    else:
        anchor.addnext(flag)
