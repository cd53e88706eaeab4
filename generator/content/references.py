"""Stage 1: where markup (HTML, CSS, SVG) names a URL, and at which offset.

The sandbox's refusals and the logo's check read URLs in markup the same way:
attribute values (character references decoded), CSS ``url(...)`` and
``@import`` strings.  A URL is compared after resolving it against the base
the document was read with, as WeasyPrint resolves it.
"""

from __future__ import annotations

import html as html_text
import re
from collections.abc import Iterator
from urllib.parse import unquote, urljoin, urlsplit

# Where a document may name a URL: an attribute value, a CSS url(...) or an @import string.
REFERENCE = re.compile(r"""(?P<attribute>[\w:.-]+)\s*=\s*(?:"(?P<a1>[^"]*)"|'(?P<a2>[^']*)'|(?P<a3>[^\s"'<>=`]+))"""
                       r"""|(?P<url>url)\(\s*(?:"(?P<u1>[^"]*)"|'(?P<u2>[^']*)'|(?P<u3>[^)\s"']*))\s*\)"""
                       r"""|(?P<import>@import)\s+(?:"(?P<i1>[^"]*)"|'(?P<i2>[^']*)')""", re.I)
VALUES = ("a1", "a2", "a3", "u1", "u2", "u3", "i1", "i2")
LINK_SCHEMES = ("http", "https", "mailto")  # what a printed link may open (and #anchors inside it)
# An <a href> of HTML, and whether the element is an attachment (rel=attachment: embedded, not linked).
ANCHOR = re.compile(r"""<a\s(?:[^>"']|"[^"]*"|'[^']*')*?\bhref\s*=\s*"""
                    r"""(?:"(?P<a1>[^"]*)"|'(?P<a2>[^']*)'|(?P<a3>[^\s"'<>=`]+))(?:[^>"']|"[^"]*"|'[^']*')*>""", re.I)
ATTACHMENT = re.compile(r"""\brel\s*=\s*["']?[^"'>]*\battachment\b""", re.I)


def find_reference(text: str, url: str, base: str) -> int | None:
    """The offset in ``text`` (HTML or CSS) of a URL that resolves, against ``base``, to ``url``."""
    wanted = _normal(url)
    for offset, _, value in references(text):
        if value and _normal(urljoin(base, value)) == wanted:
            return offset
    return None


def references(text: str) -> Iterator[tuple[int, str, str]]:
    """Every attribute value, CSS ``url()`` and ``@import`` of ``text``: (offset, attribute name
    or ``url`` or ``@import``, value with character references decoded)."""
    for match in REFERENCE.finditer(text):
        group = next(g for g in VALUES if match.group(g) is not None)
        name = (match.group("attribute") or match.group("url") or match.group("import")).lower()
        value = match.group(group).strip()
        yield match.start(group), name, html_text.unescape(value) if group[0] == "a" else value


def unprintable_links(html: str) -> Iterator[tuple[int, str]]:
    """Every link of ``html`` a printed page cannot open: (offset, href).  Allowed are web and
    mail addresses and #anchors; a relative or ``file:`` link would print the build's own path."""
    for match in ANCHOR.finditer(html):
        group = next(g for g in ("a1", "a2", "a3") if match.group(g) is not None)
        href = html_text.unescape(match.group(group)).strip()
        if href.startswith("#") or urlsplit(href).scheme.lower() in LINK_SCHEMES or ATTACHMENT.search(match.group()):
            continue
        yield match.start(group), href


def _normal(url: str) -> str:
    return unquote(url).strip()
