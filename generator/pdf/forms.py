"""Writer step for packets: the form fields WeasyPrint made, finished for readers, fillers and signers.

With ``pdf_forms`` WeasyPrint turns the template's ``<input>`` elements into
AcroForm fields (``name`` -> ``/T``, ``title`` -> ``/TU``, each widget reached
by a ``/Form`` structure element).  This step, on the written file with
pikepdf, makes of them what a new hire fills in and signs:

- **One field per name.** Inputs of one name (a task's checkbox in each
  language of a bilingual packet, its date line in each) become the widgets of
  one field, so ticking one ticks the other and a name stays unique.
- **A signature field.** The input named ``signature`` becomes an empty digital
  signature field (``/FT /Sig``) at the same place, keeping its ``/Form`` tag and
  accessible name; Acrobat, Okular or pyHanko sign it.
- **Appearances for every state.** Checkboxes get an ``/Off`` appearance beside
  WeasyPrint's tick, text and signature fields an empty one (the box and the line
  are drawn on the page), so poppler and Ghostscript, which do not make their
  own, draw the packet as printed.  Text fields are set in Helvetica (``/Helv``,
  the font every form filler knows) rather than a subset of the page's fonts that
  lacks the letters a person types.
- **Tab order.** Pages with fields tab in structure order (``/Tabs /S``).

:func:`mark` writes the packet's id, the person's name and the roster's
language into the XMP metadata, which ``collect`` reads back from a returned
copy (:func:`read_mark`), however it was renamed.  :func:`flatten` removes the
fields of a print-shop file (PDF/X-4 allows no interactive form), keeping what
they show.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name

SIGNATURE = "signature"  # the input of this name becomes the digital signature field
NAMESPACE = "urn:missionpress:packet:1.0/"  # XMP properties of a packet (see :func:`mark`)
PREFIX = "mpk"
FONT = Name("/Helv")
TEXT_LOOK = b"/Helv 10 Tf 0 g"  # the default appearance of what is typed into a text field
TICK_FONT = Name("/ZaDb")
TICK_LOOK = b"/ZaDb 0 Tf 0 g"  # a tick, sized to its box
MAX_FIELDS = 5_000  # fields read from one file: a packet has a few dozen


def _widgets(pdf: pikepdf.Pdf) -> list[tuple[pikepdf.Page, Dictionary]]:
    return [(page, annot) for page in pdf.pages for annot in page.obj.get("/Annots", Array())
            if isinstance(annot, Dictionary) and annot.get("/Subtype") == "/Widget"]


def finish_open(pdf: pikepdf.Pdf) -> bool:
    """The fields of an open PDF finished (see the module docstring); False when it has none."""
    form = pdf.Root.get("/AcroForm")
    if not isinstance(form, Dictionary) or not len(form.get("/Fields", Array())):
        return False
    widgets = _widgets(pdf)
    for page, widget in widgets:
        page.obj.Tabs = Name.S
        width, height = _size(widget)
        kind = widget.get("/FT")
        if kind == "/Tx" and str(widget.get("/T", "")) == SIGNATURE:
            _signature(pdf, widget, width, height)
        elif kind == "/Tx":
            widget.DA = pikepdf.String(TEXT_LOOK)
            widget.AP = Dictionary(N=_blank(pdf, width, height))
        elif kind == "/Btn" and isinstance(widget.get("/AP"), Dictionary):
            normal = widget.AP.N
            for state in list(normal.keys()):
                normal[state].BBox = Array([0, 0, width, height])
            normal.Off = _blank(pdf, width, height)
            widget.DA = pikepdf.String(TICK_LOOK)
            widget.MK.CA = pikepdf.String("4")  # a check mark, in ZapfDingbats
    form.Fields = _one_field_per_name(pdf, list(form.Fields))
    # The fields' resources: Helvetica only. WeasyPrint names the page's own resources here, which
    # would put a font that is not embedded into the page's fonts.
    _resources(pdf, form)
    if "/NeedAppearances" in form:  # every widget has its appearances now
        del form["/NeedAppearances"]
    return True


def _resources(pdf: pikepdf.Pdf, form: Dictionary) -> None:
    """Helvetica for typed text, ZapfDingbats for ticks: what a reader that redraws fields itself uses."""
    helvetica = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica, Encoding=Name.WinAnsiEncoding)
    dingbats = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.ZapfDingbats)
    form.DR = Dictionary(Font=Dictionary({str(FONT): pdf.make_indirect(helvetica),
                                          str(TICK_FONT): pdf.make_indirect(dingbats)}))
    form.DA = pikepdf.String(TEXT_LOOK)


def _size(widget: Dictionary) -> tuple[float, float]:
    x0, y0, x1, y1 = (float(v) for v in widget.Rect)
    return abs(x1 - x0), abs(y1 - y0)


def _blank(pdf: pikepdf.Pdf, width: float, height: float) -> pikepdf.Stream:
    """An appearance that draws nothing (the box or line to fill in is the page's own drawing)."""
    return pdf.make_stream(b"", Type=Name.XObject, Subtype=Name.Form, BBox=Array([0, 0, width, height]),
                           Resources=Dictionary())


def _signature(pdf: pikepdf.Pdf, widget: Dictionary, width: float, height: float) -> None:
    """A text field made an empty signature field, where the template placed it."""
    widget.FT = Name.Sig
    for key in ("/V", "/DA", "/MaxLen", "/Ff"):
        if key in widget:
            del widget[key]
    widget.AP = Dictionary(N=_blank(pdf, width, height))


def _one_field_per_name(pdf: pikepdf.Pdf, fields: list[pikepdf.Object]) -> Array:
    """Fields of the same name made the widgets of one field (the first one's value and name)."""
    by_name: dict[str, list[pikepdf.Object]] = {}
    for field in fields:
        by_name.setdefault(str(field.get("/T", "")), []).append(field)
    merged = []
    for name, group in by_name.items():
        if len(group) == 1 or not name or any("/Kids" in f for f in group):
            merged += group
            continue
        first = group[0]
        parent = pdf.make_indirect(Dictionary(T=first.T, Kids=Array(group)))
        for key in ("/FT", "/TU", "/V", "/DA"):
            if key in first:
                parent[key] = first[key]
        for widget in group:
            for key in ("/T", "/TU", "/V", "/FT"):
                if key in widget:
                    del widget[key]
            widget.Parent = parent
        merged.append(parent)
    return Array(merged)


def add_fields(pdf: pikepdf.Pdf, fields: list[pikepdf.Object]) -> None:
    """``fields`` (copied into ``pdf`` with their pages) added to its form (made if it has none)."""
    form = pdf.Root.get("/AcroForm")
    if not isinstance(form, Dictionary):
        pdf.Root.AcroForm = pdf.make_indirect(Dictionary(Fields=Array()))
        form = pdf.Root.AcroForm
        _resources(pdf, form)
    form.Fields = Array([*form.get("/Fields", Array()), *fields])


def group(pdf: pikepdf.Pdf, fields: list[pikepdf.Object], name: str) -> pikepdf.Object:
    """``fields`` made the kids of one field named ``name`` (their full names become ``name.field``)."""
    parent = pdf.make_indirect(Dictionary(T=pikepdf.String(name), Kids=Array(fields)))
    for field in fields:
        field.Parent = parent
    return parent


# --- The packet's identity, in the XMP metadata --------------------------------


@dataclass(frozen=True)
class Mark:
    """What ties a returned packet to its person: the packet id (the file stem), name and language."""

    packet: str
    name: str
    language: str


def mark(pdf: pikepdf.Pdf, what: Mark) -> None:
    """``what`` written into the XMP metadata (a description of its own, beside WeasyPrint's)."""
    metadata = pdf.Root.get("/Metadata")
    if not isinstance(metadata, pikepdf.Stream):
        return
    xmp = bytes(metadata.read_bytes())
    values = "".join(f"<{PREFIX}:{key}>{html.escape(value, quote=False)}</{PREFIX}:{key}>"
                     for key, value in (("packet", what.packet), ("name", what.name), ("language", what.language)))
    description = f'<rdf:Description rdf:about="" xmlns:{PREFIX}="{NAMESPACE}">{values}</rdf:Description>'
    xmp = unmark_xmp(xmp).replace(b"</rdf:RDF>", description.encode("utf-8") + b"</rdf:RDF>", 1)
    metadata.write(xmp)


_DESCRIPTION = re.compile(rb'<rdf:Description rdf:about="" xmlns:' + PREFIX.encode()
                          + rb'="[^"]*">.*?</rdf:Description>', re.S)


def unmark_xmp(xmp: bytes) -> bytes:
    """XMP metadata without a packet's mark (a print file of many packets is no one's)."""
    return _DESCRIPTION.sub(b"", xmp)


def read_mark(pdf: pikepdf.Pdf) -> Mark | None:
    """The mark :func:`mark` wrote, or None (a file missionpress did not make as a packet)."""
    metadata = pdf.Root.get("/Metadata")
    if not isinstance(metadata, pikepdf.Stream):
        return None
    try:
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            values = {key: str(xmp.get(f"{{{NAMESPACE}}}{key}", "")) for key in ("packet", "name", "language")}
    except Exception:  # noqa: BLE001  (damaged XMP: the file is simply not a packet)
        return None
    return Mark(**values) if values["packet"] else None


def flatten(pdf: pikepdf.Pdf) -> int:
    """The form's fields drawn into their pages as artifacts, and removed; how many widgets there were.

    What each widget shows (its appearance in its present state) is drawn where it
    stood, marked as an artifact (the text around a box says what it is); the
    ``/Form`` elements that reached the widgets leave the structure tree.
    """
    widgets = _widgets(pdf)
    gone = {widget.objgen for _, widget in widgets}
    for n, (page, widget) in enumerate(widgets):
        look = _appearance(widget)
        if look is None:
            continue
        x0, y0 = (min(float(widget.Rect[i]), float(widget.Rect[i + 2])) for i in (0, 1))
        name = f"/Fx{n}"
        if "/Resources" not in page.obj:
            page.obj.Resources = Dictionary()
        if "/XObject" not in page.obj.Resources:
            page.obj.Resources.XObject = Dictionary()
        page.obj.Resources.XObject[name] = look
        page.contents_add(pdf.make_stream(f"/Artifact BMC q 1 0 0 1 {x0:.3f} {y0:.3f} cm {name} Do Q EMC\n"
                                          .encode()), prepend=False)
    for page, _ in widgets:
        page.obj.Annots = Array([a for a in page.obj.Annots if a.objgen not in gone])
    _untag(pdf, gone)
    if "/AcroForm" in pdf.Root:
        del pdf.Root["/AcroForm"]
    return len(widgets)


def _appearance(widget: Dictionary) -> pikepdf.Stream | None:
    normal = widget.get("/AP", Dictionary()).get("/N")
    if isinstance(normal, Dictionary) and not isinstance(normal, pikepdf.Stream):
        normal = normal.get(str(widget.get("/AS", "/Off")))
    return normal if isinstance(normal, pikepdf.Stream) else None


def _untag(pdf: pikepdf.Pdf, gone: set[tuple[int, int]]) -> None:
    """Structure elements that reach only removed widgets leave the tree; their parent-tree entries go."""
    root = pdf.Root.get("/StructTreeRoot")
    if not isinstance(root, Dictionary):
        return
    stack = [root]
    while stack:
        element = stack.pop()
        kids = element.get("/K")
        if not isinstance(kids, Array):
            kids = Array([kids]) if kids is not None else Array()
        kept = []
        for kid in kids:
            objr = isinstance(kid, Dictionary) and kid.get("/Type") == "/OBJR"
            if objr and kid.get("/Obj") is not None and kid.Obj.objgen in gone:
                continue
            if isinstance(kid, Dictionary) and kid.get("/S") == "/Form" and _reaches_only(kid, gone):
                continue
            kept.append(kid)
            if isinstance(kid, Dictionary) and "/S" in kid:
                stack.append(kid)
        if "/K" in element:
            element.K = Array(kept)
    nums = root.get("/ParentTree", Dictionary()).get("/Nums")
    if isinstance(nums, Array):
        for i in range(1, len(nums), 2):
            entry = nums[i]
            if isinstance(entry, Dictionary) and "/S" in entry and _reaches_only(entry, gone):
                nums[i] = None


def _reaches_only(element: Dictionary, gone: set[tuple[int, int]]) -> bool:
    kids = element.get("/K")
    items = list(kids) if isinstance(kids, Array) else [kids]
    objrs = [k for k in items if isinstance(k, Dictionary) and k.get("/Type") == "/OBJR"]
    return bool(objrs) and len(objrs) == len(items) and all(k.Obj.objgen in gone for k in objrs)
