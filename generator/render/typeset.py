"""Stage 3: small typesetting repairs on the inline HTML of the statement.

WeasyPrint 70 breaks a line badly when an inline element (the ``<em>`` of a
core value) does not fit at the end of a line: instead of moving the last word
down with it, it may break much earlier and leave one short word alone on a line
in the middle of a paragraph ("el deber inquebrantable / de / mejorar la
salud").  Gluing the word before each emphasis to it with a no-break space,
inside ``<span class="nobreak">`` (the same repair the published no-break
spaces get), gives the line breaker a break opportunity it handles correctly.

A paragraph or title whose last line holds one word alone (a runt: "...health
/ care.") reads as a stray; :func:`tie_last_words` binds the last two words with
a no-break space, so the last line always carries at least two.
"""

from __future__ import annotations

import re

from markupsafe import Markup

# A word (no tags, no spaces) then one space then an emphasis that holds only text.
_WORD_BEFORE_EMPHASIS = re.compile(r"(?<![^\s>])([^\s<>]+) (<em>[^<]*</em>[^\s<>]*)")


def glue_emphasis(html: str) -> str:
    """``con <em>integridad</em>,`` -> ``<span class="nobreak">con&nbsp;<em>integridad</em>,</span>``."""
    return _WORD_BEFORE_EMPHASIS.sub(lambda m: f'<span class="nobreak">{m.group(1)}\u00a0{m.group(2)}</span>', html)


_TAG = re.compile(r"(<[^>]*>)")


def tie_last_words(text: str) -> str:
    """The last two words of ``text`` joined by a no-break space: ``"health care."`` never ends a line on
    ``"care."`` alone.  Markup (HTML) keeps its tags: the last space between words in its text is tied."""
    if not isinstance(text, Markup):
        head, space, tail = str(text).rstrip().rpartition(" ")
        return f"{head}\u00a0{tail}" if space and head.strip() and tail else str(text)
    parts = _TAG.split(str(text))
    seen_word = False
    for index in range(len(parts) - 1, -1, -1):
        if index % 2:  # a tag
            continue
        segment = parts[index]
        for at in range(len(segment) - 1, -1, -1):
            if segment[at] == " " and seen_word:
                parts[index] = segment[:at] + "\u00a0" + segment[at + 1:]
                return Markup("".join(parts))
            seen_word = seen_word or not segment[at].isspace()
    return text


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
