"""Stage 3: small typesetting repairs on the inline HTML of the statement.

WeasyPrint 70 breaks a line badly when an inline element (the ``<em>`` of a
core value) does not fit at the end of a line: instead of moving the last word
down with it, it may break much earlier and leave one short word alone on a line
in the middle of a paragraph ("el deber inquebrantable / de / mejorar la
salud").  Gluing the word before each emphasis to it with a no-break space,
inside ``<span class="nobreak">`` (the same repair the published no-break
spaces get), gives the line breaker a break opportunity it handles correctly.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

# A word (no tags, no spaces) then one space then an emphasis that holds only text.
_WORD_BEFORE_EMPHASIS = re.compile(r"(?<![^\s>])([^\s<>]+) (<em>[^<]*</em>[^\s<>]*)")


def glue_emphasis(html: str) -> str:
    """``con <em>integridad</em>,`` -> ``<span class="nobreak">con&nbsp;<em>integridad</em>,</span>``."""
    return _WORD_BEFORE_EMPHASIS.sub(lambda m: f'<span class="nobreak">{m.group(1)}\u00a0{m.group(2)}</span>', html)


def balanced_rows(items: list[str], most: int) -> list[list[str]]:
    """``items`` in as few rows of at most ``most`` as can hold them, as even as can be (7, 4 -> 4 + 3).

    A row of core values that wraps on its own leaves the last value alone (6 + 1); rows
    chosen here, each ended by a forced line break in the CSS, never do.
    """
    if not items:
        return []
    count = -(-len(items) // max(most, 1))
    size, extra = divmod(len(items), count)
    rows, start = [], 0
    for index in range(count):
        end = start + size + (1 if index < extra else 0)
        rows.append(items[start:end])
        start = end
    return rows


TIE_LONGEST = 12  # a last word this long or shorter is tied to the word before it
_LAST_TWO = re.compile(r"([^\s<>]+)\s+([^\s<>]+)$")
_BLOCK = re.compile(r"(<(p|li|h[1-6]|dt|dd)\b[^>]*>)(.*?)(</\2>)", re.DOTALL)


def tie(html: str, heading: bool = False) -> Markup:
    """The last two words of a paragraph or title kept on one line, so that its last line is never one
    word alone: ``"for health care."`` -> ``"for health\u00a0care."``.

    A paragraph's are joined by a no-break space: an inline element that does not fit at the end of
    a line makes WeasyPrint 70 break the line much earlier (see above).  A heading's stay apart by a
    plain space inside ``<span class="nobreak">``, so that its bookmark reads as the heading does.
    Text is escaped, Markup kept as it is; a last word longer than ``TIE_LONGEST`` (or a pair longer
    than twice that) is left free.
    """
    text = str(html if isinstance(html, Markup) else escape(html)).rstrip()
    cut = text.rfind(">") + 1  # the text after the last tag
    pair = _LAST_TWO.search(text, cut)
    if pair is not None and (len(pair.group(2)) > TIE_LONGEST or len(pair.group(0)) > 2 * TIE_LONGEST):
        return Markup(text)  # a long pair kept on one line could overflow a narrow box
    if pair is not None and heading:
        return Markup(f'{text[:pair.start()]}<span class="nobreak">{pair.group(0)}</span>')
    inside = False
    for index in range(len(text) - 1, -1, -1):
        char = text[index]
        if char == ">":
            inside = True
        elif char == "<":
            inside = False
        elif char in " \n" and not inside:
            tail = re.sub(r"<[^>]*>", "", text[index + 1:]).strip()
            if 0 < len(tail) <= TIE_LONGEST:
                text = text[:index] + "\u00a0" + text[index + 1:]
            break
    return Markup(text)


def tie_blocks(html: str) -> Markup:
    """:func:`tie` in every paragraph, list item and heading of an HTML fragment (a Markdown chapter)."""
    return Markup(_BLOCK.sub(lambda m: m.group(1) + str(tie(Markup(m.group(3)), m.group(2).startswith("h")))
                             + m.group(4), str(html)))


LETTER = 0.58  # ems a letter of a bold face takes, a little more than most (Noto Serif Bold: 0.50-0.57)
TILE_EDGES = 1.1  # ems of a value tile that hold no letters: its padding and the gap to the next


def tile_rows(values: list[str], width: float, most: int) -> tuple[int, int]:
    """How many core-value tiles to a row of ``width`` ems, and in tenths how large their type may be,
    so that each tile holds the longest word whole (a tile breaks a value between words only).

    Rows are balanced (:func:`balanced_rows`) with at most ``most`` tiles, and never leave one tile
    alone on the last row; fewer tiles to a row while the type would have to shrink under seven
    tenths (down to two a row), then smaller type, never under six tenths.
    """
    longest = max((len(word) for value in values for word in value.split()), default=1)
    per_row, tenths = 1, 10
    for count in range(max(most, 1), 0, -1):
        per_row = len(balanced_rows(values, count)[0]) if values else 1
        if len(values) % per_row == 1 and len(values) > per_row > 2:
            continue  # tiles of a row are laid out in turn: the last row would hold one alone
        tenths = min(10, int(10 * (width / per_row - TILE_EDGES) / (LETTER * longest)))
        if tenths >= 7 or count <= 2:
            break
    return per_row, max(tenths, 6)
