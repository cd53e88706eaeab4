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
