"""Requests validate themselves in the library; file names come from one place."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.documents.request import DEFAULT_FORMATS, Request, default_requests
from generator.errors import MissionpressError
from generator.names import output_name, parse_name, twins
from generator.paths import BUILTIN_CONTENT
from generator.pdf.printing import PrintOptions


def test_a_request_normalises_size_language_and_formats() -> None:
    request = Request("poster", size="a3", lang="ES+en", formats=("docx", "pdf", "docx"))
    assert (request.size, request.lang, request.formats) == ("A3", "es+en", ("docx", "pdf"))


@pytest.mark.parametrize("document", ["poster", "handbook"])
def test_default_formats_are_the_documents_own(document: str) -> None:
    assert Request(document).formats == DEFAULT_FORMATS[document]  # type: ignore[arg-type]


@pytest.mark.parametrize(("kwargs", "field", "says"), [
    ({"document": "poster", "size": "B7"}, "size", "unknown page size"),
    ({"document": "handbook", "size": "24x36"}, "size", "letter or A4"),
    ({"document": "poster", "orientation": "sideways"}, "orientation", "portrait or landscape"),
    ({"document": "poster", "formats": ("pdf", "odt")}, "formats", "choose from pdf, docx, html"),
    ({"document": "poster", "lang": "english"}, "lang", "en, es or en+es"),
    ({"document": "poster", "lang": "en+en"}, "lang", "en, es or en+es"),
    ({"document": "onboarding"}, "roster", "need the roster"),
    ({"document": "poster", "only": "Ana"}, "only", "only onboarding packets"),
    ({"document": "onboarding", "roster": "r.csv", "jobs": 0}, "jobs", "1 or more"),
    ({"document": "handbook", "print_options": PrintOptions(bleed=9.0)}, "print_options", "for posters"),
    ({"document": "card"}, "document", "poster, handbook, onboarding"),
])
def test_a_bad_request_names_its_field(kwargs: dict[str, object], field: str, says: str) -> None:
    with pytest.raises(MissionpressError) as caught:
        Request(**kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert str(caught.value).startswith(field) and says in str(caught.value)


def test_documents_yaml_lists_requests_with_the_same_defaults(tmp_path: Path) -> None:
    (tmp_path / "documents.yaml").write_text("documents:\n  - {document: handbook, size: a4}\n"
                                             "  - {document: poster, lang: ES}\n", encoding="utf-8")
    handbook, poster = default_requests(tmp_path)
    assert (handbook.size, handbook.formats) == ("A4", DEFAULT_FORMATS["handbook"])
    assert (poster.lang, poster.formats) == ("es", ("pdf",))


def test_documents_yaml_problems_name_the_file(tmp_path: Path) -> None:
    (tmp_path / "documents.yaml").write_text("documents:\n  - {document: handbook, size: A3}\n", encoding="utf-8")
    with pytest.raises(MissionpressError, match=r"documents\.yaml: size A3: the handbook is made in letter or A4"):
        default_requests(tmp_path)


def test_the_built_in_documents_yaml_is_valid() -> None:
    kinds = [r.document for r in default_requests(BUILTIN_CONTENT)]
    assert {"poster", "handbook", "onboarding"} <= set(kinds)


@pytest.mark.parametrize(("args", "name"), [
    (("poster", "24x36", "portrait", "en", "pdf"), "poster-24x36.pdf"),
    (("poster", "letter", "portrait", "en", "docx"), "handout-letter.docx"),
    (("poster", "A3", "landscape", "en+es", "html"), "poster-A3-landscape.en+es.html"),
    (("handbook", "A4", "portrait", "es", "docx"), "handbook-A4.es.docx"),
])
def test_output_names_read_back(args: tuple[str, str, str, str, str], name: str) -> None:
    assert output_name(*args) == name
    parsed = parse_name(name)
    assert parsed is not None
    document, size, orientation, lang, fmt = args
    assert (parsed.document, parsed.size, parsed.landscape, parsed.lang, parsed.fmt) == \
        (document, size, orientation == "landscape", lang, fmt)


def test_names_missionpress_does_not_make_are_not_read() -> None:
    assert parse_name("poster-B7.pdf") is None
    assert parse_name("minutes-2026.pdf") is None


def test_a_posters_twin_is_its_handout() -> None:
    assert twins("poster-letter-landscape.es.pdf") == ["poster-letter-landscape.es.docx",
                                                       "handout-letter-landscape.es.docx"]
    assert twins("handbook-A4.pdf") == ["handbook-A4.docx"]


def test_a_print_shop_poster_has_a_name_of_its_own() -> None:
    plain = Request("poster", lang="en+es")
    for options in (PrintOptions(bleed=9.0), PrintOptions(marks=("crop",))):
        shop = Request("poster", lang="en+es", print_options=options)
        assert shop.filename("pdf") == "poster-letter.en+es.print.pdf" != plain.filename("pdf")
        assert shop.filename("docx") == plain.filename("docx") == "handout-letter.en+es.docx"
    parsed = parse_name("poster-A3-landscape-showcase.es.print.pdf")
    assert parsed is not None and parsed.for_print and (parsed.size, parsed.layout, parsed.lang) == \
        ("A3", "showcase", "es")
    assert not parse_name("poster-A3.pdf").for_print  # type: ignore[union-attr]
    assert "handout-letter.docx" in twins("poster-letter.print.pdf")
