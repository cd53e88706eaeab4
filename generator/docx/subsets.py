"""Writer: HTML -> DOCX, the part of each font a Word file carries: what editing can need.

A Word file embeds its faces so that a computer without them still shows them,
also in text a person types later.  So a face is cut down not to the characters
the document happens to use but to a repertoire for editing in Latin-script
languages (:data:`EDITING`): Basic Latin, Latin-1, Latin Extended-A and -B
(Polish, Czech, Turkish, Romanian, Navajo's ǫ...), the modifier letters ʼ and
ʻ and the spacing accents, Latin Extended Additional (Vietnamese ư ở...), the
combining marks (ǫ́ is o-ogonek and a combining acute), general punctuation,
€ ₫ № ™, and the ballot boxes of the packets' checklists.  (The rest of the
modifier letters and currency signs would add 9 KB to each face.)  Characters
of the document outside the repertoire are kept too.  All OpenType layout
features and scripts stay (kerning, ligatures, mark positioning), and every
name record, so the family keeps its name.

TrueType hinting instructions are dropped: they are two fifths of a subset's
size, and without them a packet with four faces fits in 300 KB (with them the
fonts alone would take about 340 KB).  LibreOffice and macOS ignore the
instructions anyway (FreeType's light hinting, Core Text), and Word draws
unhinted outlines with anti-aliasing, as it does for most web fonts; print is
never hinted.

The subset is *not* marked ``w:subsetted`` in the font table, and the settings
have no ``w:saveSubsetFonts``: the attribute means "only the glyphs this
document shows" (ECMA-376 Part 1, 17.8.3.*), and LibreOffice (since 7.5)
refuses such a font for editing, while Word keeps a font that is not marked
when it saves the file again.  HarfBuzz's subsetter (the one WeasyPrint uses
for the PDFs) makes the same bytes from the same font and characters, in
milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import uharfbuzz as hb

EDITING: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x00FF),  # Latin-1 Supplement
    (0x0100, 0x017F),  # Latin Extended-A
    (0x0180, 0x024F),  # Latin Extended-B
    (0x02BB, 0x02BC),  # ʻ ʼ: the okina and the modifier apostrophe (Hawaiian, Navajo, Ukrainian in Latin)
    (0x02C6, 0x02C7),  # ˆ ˇ (Windows-1252's spacing accents, with ˘ ˙ ˚ ˛ ˜ ˝ below)
    (0x02D8, 0x02DD),
    (0x0300, 0x036F),  # Combining Diacritical Marks
    (0x1E00, 0x1EFF),  # Latin Extended Additional (Vietnamese)
    (0x2000, 0x206F),  # General Punctuation
    (0x20AB, 0x20AC),  # ₫ €
    (0x2116, 0x2116),  # №
    (0x2122, 0x2122),  # ™
    (0x2610, 0x2612),  # ☐ ☑ ☒: the checklists' ballot boxes
)


EDITING_SET = frozenset(c for first, last in EDITING for c in range(first, last + 1))
# Layout feature tags, script tags, name IDs and name languages: all of them (an empty set inverted).
_ALL = (hb.SubsetInputSets.LAYOUT_FEATURE_TAG, hb.SubsetInputSets.LAYOUT_SCRIPT_TAG,
        hb.SubsetInputSets.NAME_ID, hb.SubsetInputSets.NAME_LANG_ID)
_FLAGS = hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.NOTDEF_OUTLINE | hb.SubsetFlags.NAME_LEGACY


def beyond(text: Iterable[str]) -> frozenset[int]:
    """The code points of ``text`` outside :data:`EDITING` (controls and spaces aside)."""
    return frozenset(c for piece in text for c in map(ord, piece) if c > 0x20 and c not in EDITING_SET)


def subset(path: Path, extra: frozenset[int] = frozenset()) -> bytes:
    """The font at ``path`` cut down to :data:`EDITING` and ``extra``, without hinting instructions."""
    data = path.read_bytes()
    plan = hb.SubsetInput()
    plan.unicode_set.update(EDITING_SET | extra)
    for which in _ALL:
        everything = plan.sets(which)
        everything.clear()
        everything.invert()
    plan.flags = _FLAGS
    made = hb.subset(hb.Face(hb.Blob(data)), plan)
    if made is None:  # a font HarfBuzz cannot cut (an unusual table layout): it travels whole
        return data
    return bytes(made.blob.data)
