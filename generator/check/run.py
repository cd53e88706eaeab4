"""check: prove that every output is accessible and printable, and say what to fix.

:func:`check_paths` takes files or folders (searched recursively for ``*.pdf`` and
``*.docx``; dot-files, dot-folders and Word's ``~$`` lock files skipped), checks each
file, pairs a PDF with its DOCX for parity, and returns a :class:`Report`.  It reads
any PDF or DOCX, not only missionpress outputs.  A path that does not exist raises
:class:`~generator.errors.MissionpressError`; a file that cannot be opened is the
failure ``unreadable``, never a crash.

Rule ids (stable; every failure message says what is wrong and how to fix it):

``unreadable``            the file cannot be opened as a PDF / Word document at all, or it is
                          larger than check reads (``generator.check.bounds``: pages, objects,
                          unpacked parts).

PDF (:mod:`generator.check.pdf_rules`):

``pdf-tagged``            a structure tree whose elements reach content (not hollow: empty or
                          self-referencing elements alone fail), /MarkInfo /Marked true, and
                          marked content (BDC with an MCID) in the page content.
``pdf-untagged-content``  every marked-content sequence with an MCID in a page's content is
                          reached from the structure tree (else it must be an /Artifact).
``pdf-furniture-artifact`` running headers and footers (a page's first or last line that reads
                          like a page number, or repeats on most pages at the same height) are
                          artifacts, not tagged content.
``pdf-table-header-scope`` every TH element has /Scope Column, Row or Both.
``pdf-ua-identifier``     the XMP metadata holds the PDF/UA identifier ``pdfuaid:part``.
``pdf-language``          the catalog /Lang is set (and looks like a language tag).
``pdf-title``             a title (XMP dc:title or Info /Title) and /DisplayDocTitle true,
                          so the window shows the title, not the file name.
``pdf-fonts-embedded``    every font of every page (Type0 descendants and fonts of form
                          XObjects included) is embedded; Type3 fonts count as embedded.
``pdf-heading-levels``    H1-H6 in tree order start at H1 and never skip a level going down.
``pdf-figure-alt``        every Figure element has a non-empty /Alt (or ActualText).
``pdf-page-count``        a file named ``poster-<SIZE>[-landscape][.<lang>].pdf`` has one page.
``pdf-page-size``         a file named ``poster-<SIZE>...`` or ``handbook-<SIZE>...`` has pages of
                          that size (TrimBox if present, else MediaBox; within 1 pt).
``pdf-text-inside-page``  every character lies inside its page's MediaBox (0.5 pt slack).
``pdf-image-resolution``  on posters (``poster-*``), every image prints at 300 dpi or more.
``pdf-form-fields``       every form field has an accessible name (/TU, on it or a parent field)
                          and is reached by a /Form structure element; a page with fields tabs
                          in structure order (/Tabs /S).
``pdf-javascript``        no JavaScript: not in the open action or additional actions, the
                          JavaScript name tree, a page's actions, a link's or a form field's.
``pdf-notdef-glyphs``     no glyph drawn from a font's .notdef (glyph 0: an empty box), read for
                          composite fonts, with the characters it stands for.

Typography (:mod:`generator.check.typography_rules`; lines and paragraphs read from the
structure tree, or from positions in an untagged PDF; (warning) marks a warning, which is
reported but does not fail the file):

``pdf-broken-word``       a word cut across two lines with no hyphen: the line's last fragment
                          and the next line's first make a word the document uses elsewhere,
                          and the first fragment never stands as a word inside a line.
``pdf-lone-word``         (warning) a paragraph's last line is one word of 4 letters or fewer,
                          or a heading's last line is one word, under a third of the measure
                          (table cells and hyphenated tails left out).
``pdf-measure``           (warning) running text (paragraphs, list items) of two lines or more
                          over 95 characters a line.
``pdf-block-gap``         lines of two blocks side by side (not a list item's label and body)
                          less than 0.5 em apart, or overlapping.
``pdf-type-size``         (warning) running text (two lines and ten words or more) smaller than
                          the page's viewing distance needs: 9 pt at an 8.5 in short side,
                          rising linearly to 24 pt at 24 in (9 below, 24 above); when two
                          languages share the document, 0.8 of that.
``pdf-qr-size``           a QR code (a Figure whose Alt says QR, by its /BBox) under 0.8 in a side.
``pdf-heading-kept``      on a document of several pages, a heading followed by fewer than
                          3 lines of its section before the page ends.
``pdf-widow-orphan``      a paragraph split across pages leaving one line alone on either
                          page, or a list or contents of 6 entries or more leaving fewer
                          than 3 of them on either page.
``pdf-table-row-split``   a table row whose cells run across a page break.

DOCX (:mod:`generator.check.docx_rules`):

``docx-title``            the Title document property is set.
``docx-language``         a text language (w:lang) in the document defaults or Normal style.
``docx-heading-levels``   headings (Heading 1-9 by style name, or an outline level, direct or
                          through the style chain) start at Heading 1 and never skip a level
                          going down; the Title style is not a heading.
``docx-image-alt``        every drawing (wp:docPr) has alt text (descr) unless marked decorative.
``docx-table-header``     every table's first row is a header row (w:tblHeader), but a layout
                          row ("Layout Row" table style: blocks side by side, no data).
``docx-contrast``         colored text reaches WCAG AA contrast on white: 4.5:1, or 3:1 for
                          large text (18 pt, or bold 14 pt); run and style colors resolved
                          through basedOn (body, headers, footers; shading not considered).
``docx-fonts-embedded``   every font family the text shows (other than fonts every office
                          computer has) is embedded, and every embedded font opens with its key.
``docx-styles-with-effects`` a stylesWithEffects.xml, if any, names only numberings that exist
                          and has the document defaults of styles.xml.
``docx-external-relationships`` the file reaches nothing outside itself but web addresses: no
                          linked template, picture, frame or object, no part named outside it.

Parity of a PDF and its DOCX (:mod:`generator.check.parity`; reported on the DOCX):

``parity-text``           the same words in the same order.
``parity-headings``       the same H1-H3 / Heading 1-3, text and level.
``parity-goals``          the same numbered-list items (the goals), in order.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.check import docx_rules, pdf_rules, typography_rules
from generator.check import parity as parity_rules
from generator.check.bounds import reading_slot
from generator.check.docx_reading import DocxReading, open_docx
from generator.check.docx_rules import check_docx
from generator.check.parity import check_parity, pairs
from generator.check.pdf_reading import PdfReading
from generator.check.pdf_rules import check_pdf, open_pdf, run_rules
from generator.errors import MissionpressError

SUFFIXES = (".pdf", ".docx")
WARNINGS = typography_rules.WARNINGS  # rules a designer may break on purpose (see typography_rules)


@dataclass(frozen=True)
class Failure:
    """One rule one file fails: ``message`` says what is wrong and how to fix it.

    A failure of a rule in :data:`WARNINGS` is a warning: shown and counted, but the file still passes.
    """

    path: Path
    rule: str
    message: str

    @property
    def warning(self) -> bool:
        return self.rule in WARNINGS

    def __str__(self) -> str:
        return f"{self.path}: {self.rule}{' (warning)' if self.warning else ''}: {self.message}"


@dataclass
class Report:
    """The files checked and every failure, in file order."""

    checked: list[Path] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)  # named like a PDF or DOCX, not read: why

    def ok(self) -> bool:
        """No failure but warnings."""
        return all(f.warning for f in self.failures)

    def to_dict(self) -> dict[str, Any]:
        """The report as plain data: ok, the files checked, the failures, and a count per rule."""
        counts: dict[str, int] = {}
        for failure in self.failures:
            counts[failure.rule] = counts.get(failure.rule, 0) + 1
        return {
            "ok": self.ok(),
            "checked": [str(p) for p in self.checked],
            "failures": [{"path": str(f.path), "rule": f.rule, "message": f.message,
                          "severity": "warning" if f.warning else "error"} for f in self.failures],
            "rules": counts,
            "skipped": [{"path": str(path), "why": why} for path, why in self.skipped],
        }

    def to_json(self) -> str:
        """The report as JSON (stable: sorted keys, failures in file then rule order)."""
        return json.dumps(self.to_dict(), sort_keys=True, indent=2, ensure_ascii=False)


def find_files(paths: Sequence[Path], skipped: list[tuple[Path, str]] | None = None) -> list[Path]:
    """The PDF and DOCX files named, or inside the folders named (dot-files, dot-folders and Word's
    ``~$`` lock files left out; symbolic links to folders not followed), sorted, each once.  What a
    folder holds under such a name but is no regular file (a pipe, a device, a dangling link) is not
    read, and goes into ``skipped`` with what it is."""
    from generator.inputs import describe
    from generator.inputs import missing as why_missing

    missing = [f"{p}: {why_missing(p) if p.is_symlink() else 'no such file or folder (check the path)'}"
               for p in map(Path, paths) if not p.exists()]
    if missing:
        raise MissionpressError(*missing)
    found: dict[Path, Path] = {}  # resolved -> as the user spelled it
    for path in map(Path, paths):
        if path.is_dir():
            for folder, folders, names in os.walk(path):
                folders[:] = sorted(f for f in folders if not f.startswith("."))
                for name in names:
                    if not name.lower().endswith(SUFFIXES) or name.startswith((".", "~$")):
                        continue
                    if os.path.isfile(os.path.join(folder, name)):  # a pipe named x.pdf would block
                        found.setdefault((Path(folder) / name).resolve(), Path(folder) / name)
                    elif skipped is not None:
                        skipped.append((Path(folder) / name, f"not checked: it {describe(Path(folder) / name)}"))
        elif path.suffix.lower() in SUFFIXES:
            if not path.is_file():
                what = describe(Path(os.path.realpath(path))).removeprefix("is ")
                raise MissionpressError(f"{path}: is not a regular file (it is {what}; give a file)")
            found.setdefault(path.resolve(), path)
        else:
            raise MissionpressError(f"{path}: not a .pdf or .docx file (the checker reads PDF and Word files)")
    return sorted(found.values())


def check_paths(paths: Sequence[Path | str]) -> Report:
    """Check every PDF and DOCX under ``paths`` (see the module docstring)."""
    report = Report()
    files = report.checked = find_files([Path(p) for p in paths], report.skipped)
    paired = pairs(files)
    in_pair = {f for pair in paired for f in pair}
    for pdf_path, docx_path in paired:
        with reading_slot():
            report.failures += _check_pair(pdf_path, docx_path)
    for path in files:
        if path in in_pair:
            continue
        with reading_slot():
            findings = check_pdf(path) if path.suffix.lower() == ".pdf" else check_docx(path)
        report.failures += _failures(path, findings)
    order = {path: index for index, path in enumerate(files)}
    report.failures.sort(key=lambda f: order[f.path])  # stable: rule order within a file is kept
    return report


def _check_pair(pdf_path: Path, docx_path: Path) -> list[Failure]:
    """Both files' rules and their parity, each file opened once."""
    pdf = open_pdf(pdf_path)
    failures: list[Failure] = []
    try:
        if isinstance(pdf, PdfReading):
            failures += _failures(pdf_path, run_rules(pdf))
        else:
            failures.append(Failure(pdf_path, "unreadable", pdf))
        document = open_docx(docx_path)
        failures += _failures(docx_path, check_docx(docx_path, document))
        if isinstance(document, DocxReading) and isinstance(pdf, PdfReading):
            failures += _failures(docx_path, check_parity(pdf, document))
    finally:
        if isinstance(pdf, PdfReading):
            pdf.close()
    return failures


def _failures(path: Path, findings: Iterable[tuple[str, str]]) -> list[Failure]:
    return [Failure(path, rule, message) for rule, message in findings]


# Every rule id, in the order of the module docstring.
RULE_IDS = ["unreadable", *(rule for rule, _ in pdf_rules.RULES), *(rule for rule, _ in docx_rules.RULES),
            *(rule for rule, _ in parity_rules.RULES)]
