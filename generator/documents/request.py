"""What to build: a validated request per document, and the defaults of ``documents.yaml``.

A :class:`Request` checks and normalises itself when made (size spelling,
language codes, formats, which options go with which document), so the CLI,
the Python API and ``documents.yaml`` all meet the same rules and the same
defaults.  Problems name the request's field (``size``, ``roster``...); the CLI
shows them as its flags.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from generator.content import i18n
from generator.content.model import Strict, load_model
from generator.content.pages import SIZES, canonical
from generator.documents.layouts import CLASSIC
from generator.documents.layouts import NAME as LAYOUT_NAME
from generator.errors import MissionpressError, bad_value
from generator.names import output_name
from generator.paths import BUILTIN_CONTENT
from generator.pdf.printing import PrintOptions

MAX_JOBS_PER_CORE = 4

DOCUMENTS = ("poster", "handbook", "onboarding")
FORMATS = ("pdf", "docx", "html")
ORIENTATIONS = ("portrait", "landscape")
HANDBOOK_SIZES = ("letter", "A4")
# A poster is for the wall; handbooks and packets are also handed out to edit in Word.
DEFAULT_FORMATS = {"poster": ("pdf",), "handbook": ("pdf", "docx"), "onboarding": ("pdf", "docx")}

Document = Literal["poster", "handbook", "onboarding"]
Format = Literal["pdf", "docx", "html"]


def language(spec: str) -> str:
    """``"EN+es"`` -> ``"en+es"``; the one parser of language codes (see :func:`i18n.parse`)."""
    return "+".join(i18n.parse(spec))


@dataclass(frozen=True)
class Request:
    """One document to build, in one or more formats.

    >>> Request("poster", size="a3").size, Request("handbook").formats
    ('A3', ('pdf', 'docx'))
    """

    document: Document
    size: str = "letter"
    orientation: Literal["portrait", "landscape"] = "portrait"
    formats: tuple[str, ...] = ()  # empty: the document's default formats
    lang: str = "en"
    # Onboarding packets only:
    roster: Path | None = None
    only: str | None = None
    jobs: int | None = None
    combined: bool = False
    skip_invalid: bool = False
    # Posters only:
    print_options: PrintOptions = field(default_factory=PrintOptions)
    layout: str = CLASSIC  # a poster layout: a template on the search path (see documents/layouts.py)

    def __post_init__(self) -> None:
        if self.document not in DOCUMENTS:
            raise bad_value("document", self.document, f"choose one of {', '.join(DOCUMENTS)}")
        self._set("size", _size(self.document, self.size))
        if self.orientation not in ORIENTATIONS:
            raise bad_value("orientation", self.orientation, "choose portrait or landscape")
        self._set("formats", _formats(self.document, self.formats))
        self._set("lang", language(self.lang))
        if self.roster is not None:
            self._set("roster", Path(self.roster))
        self._check_options()

    def _set(self, name: str, value: object) -> None:
        object.__setattr__(self, name, value)

    def _check_options(self) -> None:
        packet_only = [name for name, value in (("roster", self.roster), ("only", self.only),
                                                ("jobs", self.jobs), ("combined", self.combined),
                                                ("skip_invalid", self.skip_invalid)) if value]
        if self.document != "onboarding" and packet_only:
            raise bad_value(packet_only[0], getattr(self, packet_only[0]),
                            f"only onboarding packets take {', '.join(packet_only)}")
        if self.document == "onboarding" and self.roster is None:
            raise bad_value("roster", "", "onboarding packets need the roster (a .csv or .xlsx file)")
        if self.jobs is not None and (not isinstance(self.jobs, int) or isinstance(self.jobs, bool) or self.jobs < 1):
            raise bad_value("jobs", self.jobs, "expected a whole number of 1 or more")
        most = MAX_JOBS_PER_CORE * (os.cpu_count() or 1)
        if self.jobs is not None and self.jobs > most:  # each worker is a process with its own fonts and layout
            raise bad_value("jobs", self.jobs, f"{self.jobs} worker processes on {os.cpu_count()} cores would only "
                            f"slow the build down (use at most {most}, or leave it out for one per core)")
        if self.document != "poster" and self.print_options != PrintOptions():
            raise bad_value("print_options", "", "bleed, marks, PDF variant and ICC profile are for posters")
        if self.document != "poster" and self.layout != CLASSIC:
            raise bad_value("layout", self.layout, "layouts are for posters")
        if not LAYOUT_NAME.match(self.layout):
            raise bad_value("layout", self.layout, "a layout name is lowercase letters, digits and hyphens, "
                            "e.g. classic or showcase")

    def filename(self, fmt: str) -> str:
        """``poster-24x36.pdf``, ``handout-letter.docx``, ``poster-A3-landscape-showcase.html``; for a print
        shop ``poster-24x36.print.pdf``."""
        return output_name(self.document, self.size, self.orientation, self.lang, fmt, self.layout,
                           self.print_options.for_print)


def _size(document: str, size: str) -> str:
    known = canonical(size)
    if known is None:
        raise bad_value("size", size, f"unknown page size (choose one of: {', '.join(SIZES)})")
    if document == "handbook" and known not in HANDBOOK_SIZES:
        raise bad_value("size", size, f"the handbook is made in {' or '.join(HANDBOOK_SIZES)} (choose one of them)")
    return known


def _formats(document: str, formats: tuple[str, ...] | str) -> tuple[str, ...]:
    chosen = (formats,) if isinstance(formats, str) else tuple(formats)
    if not chosen:
        return DEFAULT_FORMATS[document]
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown:
        raise bad_value("formats", ",".join(unknown), f"choose from {', '.join(FORMATS)}")
    return tuple(dict.fromkeys(chosen))


# --- The default documents: documents.yaml --------------------------------------


class DefaultDocument(Strict):
    document: Document
    size: str = "letter"
    orientation: Literal["portrait", "landscape"] = "portrait"
    format: list[Format] | None = Field(default=None, min_length=1)  # None: the document's default
    lang: str = "en"
    roster: str | None = None  # onboarding: a file of the content folder
    layout: str = CLASSIC  # posters: classic, showcase, or a layout of the templates

    @field_validator("lang")
    @classmethod
    def _language_codes(cls, lang: str) -> str:
        try:
            return language(lang)
        except MissionpressError:
            raise ValueError(f"'{lang}' is not a language (write en, es or en+es)") from None

    @field_validator("format", mode="before")
    @classmethod
    def _one_or_more(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value

    @field_validator("size")
    @classmethod
    def _known_size(cls, size: str) -> str:
        known = canonical(size)
        if known is None:
            raise ValueError(f"unknown page size '{size}' (choose one of: {', '.join(SIZES)})")
        return known


class Defaults(Strict):
    documents: list[DefaultDocument] = Field(default_factory=list)


def default_requests(content: Path) -> list[Request]:
    """The documents listed in the content folder's ``documents.yaml`` (else the built-in list)."""
    path = content / "documents.yaml"
    if not path.exists():
        path = BUILTIN_CONTENT / "documents.yaml"
    listed = load_model(path, Defaults).documents
    for document in listed:
        roster = (path.parent / document.roster).resolve() if document.roster else None
        if roster is not None and not roster.is_relative_to(path.parent.resolve()):
            raise MissionpressError(f"{path}: roster: {document.roster} is outside the content folder "
                                    "(put the roster in the content folder, or build with --roster FILE)")
    try:
        return [Request(d.document, d.size, d.orientation, tuple(d.format or ()), d.lang,
                        roster=path.parent / d.roster if d.roster else None, layout=d.layout)
                for d in listed]
    except MissionpressError as error:
        raise MissionpressError(*(f"{path}: {problem}" for problem in error.problems)) from None
