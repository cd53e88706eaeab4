"""Onboarding packets, PDF: the page footer with page numbers ("Page 2 of 9", in the packet's language).

A packet is put together from pages laid out apart (the person's own pages and the
pages every packet shares, :mod:`generator.pdf.merge`), so no one layout knows where
its pages end up or how many there are.  The footer is laid out on its own instead:
once per page count, as blank pages of the packet's size whose footer says the
organization's name and "Page 2 of 9" (none on the cover), in the packet's own
stylesheet.  Each footer is then drawn over its packet page as page furniture (an
/Artifact, so screen readers skip it), with pikepdf, in the same open and save that
splices the packet together (:func:`generator.pdf.writer.write_into`).  The Word
packet has the same footer as fields (``footer.running`` in ``onboarding.html``).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from generator.render.templates import css_string

if TYPE_CHECKING:
    import pikepdf

ARTIFACT = b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n"
FOOTER = "/MissionpressFooter"  # + the page number: its name among the page's resources (not a random one)


def footer_css(organization: str, page: str, of: str) -> str:
    """The stylesheet of the footer pages: the name and "Page N of M" on every page but the first."""
    return (f"@page {{ @bottom-center {{ content: {css_string(organization)} \"\u2003\u00b7\u2003\" "
            f"{css_string(page)} \" \" counter(page) \" \" {css_string(of)} \" \" counter(pages); "
            "font-size: var(--size-small); color: var(--color-muted); } }\n"
            "@page :first { @bottom-center { content: none; } }\n"
            "@page { background: none; } html, body { background: none; }  /* drawn over the page: no paint */\n"
            "body > div.blank { height: 1pt; break-after: page; }\n"
            "body > div.blank:last-child { break-after: auto; }\n")


def footer_html(packet_html: str, css: str, count: int) -> str:
    """``count`` blank pages in the packet's stylesheet (the head of ``packet_html``) with the footer ``css``."""
    head = packet_html.split("<body", 1)[0]
    blanks = '<div class="blank"></div>' * count
    return f'{head}<body class="packet"><style>{css}</style>{blanks}</body></html>'


class PageNumbers:
    """Footers with page numbers for every packet of one language: laid out once per page count."""

    def __init__(self, html: Callable[[], str], css: str, layout: Callable[[str], Any]) -> None:
        self._html = html  # the packet's HTML (its head is the stylesheet the footers are set in)
        self._css = css
        self._layout = layout  # HTML -> a laid-out WeasyPrint document
        self._footers: dict[int, tuple[pikepdf.Pdf, list[pikepdf.Object]]] = {}

    def footers(self, count: int) -> bytes:
        """A PDF of ``count`` pages holding nothing but the footer (untagged: it is drawn as an artifact)."""
        return bytes(self._layout(footer_html(self._html(), self._css, count)).write_pdf())

    def _drawings(self, count: int) -> list[pikepdf.Object]:
        """The footers of pages 2 to ``count``, each a form XObject marked as an artifact.

        Their PDF is opened once and kept open for the life of the process (a few page
        counts at most): each packet's copies of them are read from it as it is saved.
        """
        import pikepdf  # only for batches that write PDF

        if count not in self._footers:
            footers = pikepdf.open(io.BytesIO(self.footers(count)))
            drawings = []
            for page in footers.pages[1:]:
                form = page.as_form_xobject()
                form.write(ARTIFACT + form.read_bytes() + b"\nEMC\n")
                drawings.append(form)
            self._footers[count] = footers, drawings
        return self._footers[count][1]

    def stamp(self, pdf: pikepdf.Pdf) -> None:
        """The footer drawn on every page of the open packet ``pdf`` after the cover; the caller saves it."""
        import pikepdf

        for number, (page, form) in enumerate(zip(pdf.pages[1:], self._drawings(len(pdf.pages)), strict=True), 2):
            # The same size: drawn where it stands, under a name of its own.  The name carries the page's
            # number: WeasyPrint gives all pages of a document one resource dictionary, where one name
            # would be the last page's footer on all of them.
            name = pikepdf.Name(f"{FOOTER}{number}")
            page.add_resource(pdf.copy_foreign(form), pikepdf.Name.XObject, name)
            page.contents_coalesce()  # one content stream, as WeasyPrint writes it
            page.obj.Contents.write(b"q\n" + page.obj.Contents.read_bytes() + b"\nQ\nq " + str(name).encode()
                                    + b" Do Q\n")
