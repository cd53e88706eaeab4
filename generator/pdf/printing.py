"""Print-shop options for posters: bleed, printer's marks, and the PDF variant.

``--bleed 0.125in`` extends the page's background art past the trim on every
side and sets the TrimBox (the ordered size) and BleedBox; ``--marks crop``
(or ``cross``) draws printer's marks outside the bleed.  ``--pdf-variant``
picks PDF/UA-1 (default: tagged, accessible), PDF/X-4 (print exchange, with
the print shop's CMYK output profile) or PDF/A-2b (archive).  X-4 and A-2b
files stay tagged and keep the PDF/UA identification; their random document
ID and dates are made reproducible.  PDF/X-4 allows no interactive form: a
field a template made (an ``<input>`` styled ``appearance: auto``) is drawn
into the page as it shows and removed, and the build says so.
"""

from __future__ import annotations

import hashlib
import logging
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from generator.content.pages import IN, MM
from generator.errors import MissionpressError
from generator.inputs import MB, check_regular
from generator.output import build_date

log = logging.getLogger(__name__)

VARIANTS = {"ua-1": "pdf/ua-1", "x-4": "pdf/x-4", "a-2b": "pdf/a-2b"}
MARKS = ("crop", "cross")
UNITS = {"in": IN, "mm": MM, "cm": 10 * MM, "pt": 1.0}
MAX_BLEED = 10.0  # WeasyPrint draws at most 10 pt of bleed past the trim
PROFILE_LIMIT = 32 * MB  # the largest CMYK output profiles are a few MB


def _check_cmyk_profile(path: Path) -> None:
    """An ICC profile (``acsp`` signature) whose data color space is CMYK: a regular file of
    bounded size (a device such as /dev/zero would be read forever), of which 40 bytes are read."""
    try:
        check_regular(path, f"profile {path}", PROFILE_LIMIT)
    except MissionpressError as error:
        raise MissionpressError(*error.problems, field="profile") from None
    try:
        with path.open("rb") as handle:
            header = handle.read(40)
    except OSError as exc:
        raise MissionpressError(f"profile {path}: cannot be read ({exc.strerror or exc})", field="profile") from None
    if len(header) < 40 or header[36:40] != b"acsp":
        raise MissionpressError(f"profile {path}: not an ICC color profile (ask the print shop for its .icc)",
                                field="profile")
    if header[16:20] != b"CMYK":
        space = header[16:20].decode("ascii", "replace").strip()
        raise MissionpressError(f"profile {path}: a {space} profile; PDF/X-4 for print needs the print "
                                "shop's CMYK output profile", field="profile")


def parse_length(text: str) -> float:
    """``0.125in``, ``3mm``, ``9pt`` -> points."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(in|mm|cm|pt)\s*", text)
    if not match:
        raise MissionpressError(f"bleed {text}: expected a length such as 0.125in, 3mm or 9pt", field="bleed")
    points = float(match.group(1)) * UNITS[match.group(2)]
    if points > MAX_BLEED:
        raise MissionpressError(f"bleed {text}: at most {MAX_BLEED:g} pt (0.138in, 3.5mm); print shops ask "
                                "for 0.125in (US) or 3mm (ISO)", field="bleed")
    return points


@dataclass(frozen=True)
class PrintOptions:
    bleed: float = 0.0  # points
    marks: tuple[str, ...] = ()
    variant: str = "ua-1"
    profile: Path | None = None  # the print shop's CMYK ICC profile, for PDF/X-4

    def __post_init__(self) -> None:
        if self.variant not in VARIANTS:
            raise MissionpressError(f"variant {self.variant}: choose one of {', '.join(VARIANTS)}", field="variant")
        unknown = [m for m in self.marks if m not in MARKS]
        if unknown:
            raise MissionpressError(f"marks {','.join(unknown)}: choose crop, cross or both (crop,cross)",
                                    field="marks")
        if self.variant == "x-4" and self.profile is None:
            raise MissionpressError("variant x-4: needs the print shop's CMYK output profile, an .icc file "
                                    "(ask the print shop which one, e.g. GRACoL or FOGRA39)", field="variant")
        if self.profile is not None:
            object.__setattr__(self, "profile", Path(self.profile))  # a str given through the API
            _check_cmyk_profile(self.profile)

    @property
    def for_print(self) -> bool:
        """Made for a print shop (bleed, marks or PDF/X-4): its file is named ``.print.pdf``."""
        return bool(self.bleed or self.marks) or self.variant == "x-4"

    @property
    def weasyprint_variant(self) -> str:
        return VARIANTS[self.variant]

    def page_css(self) -> str:
        """``@page`` declarations and the output profile rule, for the template."""
        css = []
        if self.bleed:
            css.append(f"@page {{ bleed: {self.bleed:.3f}pt; }}")
        if self.marks:
            css.append(f"@page {{ marks: {' '.join(self.marks)}; }}")
        if self.profile is not None:
            css.append(f'@color-profile device-cmyk {{ src: url("{self.profile.resolve().as_uri()}"); '
                       "components: cyan, magenta, yellow, black; }")
        return "\n".join(css)


def document_date() -> str:
    """The date written into PDF/X and PDF/A files (reproducible: see output.build_date)."""
    return build_date().strftime("%Y-%m-%dT%H:%M:%S+00:00")


_DID = re.compile(rb"xmp\.did:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_ID = re.compile(rb"/ID\s*\[\s*[<(][0-9a-fA-F]*[>)]\s*[<(][0-9a-fA-F]*[>)]\s*\]")


def _without_random_parts(pdf: bytes) -> bytes:
    return _ID.sub(b"", _DID.sub(b"", pdf))


def finish(pdf: bytes, options: PrintOptions) -> bytes:
    """Make X-4 and A-2b output reproducible and keep it identified as PDF/UA."""
    if options.variant == "ua-1":
        return pdf
    # WeasyPrint writes a random DocumentID into PDF/X metadata: derive it from the content
    # (same length, so the cross-reference offsets stay right).
    digest = uuid.uuid5(uuid.NAMESPACE_OID, hashlib.sha256(_without_random_parts(pdf)).hexdigest())
    pdf = _DID.sub(f"xmp.did:{digest}".encode(), pdf)
    return _add_ua_identifier(pdf, flatten=options.variant == "x-4")


def _add_ua_identifier(pdf: bytes, flatten: bool = False) -> bytes:
    import io

    import pikepdf

    from generator.pdf import forms

    with pikepdf.open(io.BytesIO(pdf)) as document:
        if flatten and "/AcroForm" in document.Root:
            count = forms.flatten(document)
            log.warning("PDF/X-4 allows no interactive form: %d form field%s drawn into the page as %s show%s "
                        "and removed (the PDF/UA-1 file keeps them)", count, "" if count == 1 else "s",
                        "it" if count == 1 else "they", "s" if count == 1 else "")
        # PDF/X files get a random first /ID from WeasyPrint; qpdf keeps the first element and
        # derives the second from the content, so derive the first from the content too.
        first_id = hashlib.md5(_without_random_parts(pdf)).digest()
        document.trailer.ID = pikepdf.Array([pikepdf.String(first_id), pikepdf.String(first_id)])
        xmp = bytes(document.Root.Metadata.read_bytes())
        if b"pdfuaid:part" not in xmp:
            xmp = xmp.replace(b"<rdf:Description ", b'<rdf:Description xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"'
                              b' pdfuaid:part="1" ', 1)
            document.Root.Metadata.write(xmp)
        out = io.BytesIO()
        document.save(out, deterministic_id=True)
        return out.getvalue()
