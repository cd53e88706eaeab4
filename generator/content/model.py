"""Stage 1: load and validate content files into models.

YAML is read with the line of every key kept, then validated by pydantic;
every problem in a file is collected and reported at once as
``FILE:LINE: field: what is wrong (how to fix)``.  Unknown keys are errors,
so a typo such as ``vison`` cannot pass silently.

Content is data, so YAML is read as plain data only: aliases and anchors
(``*a``, ``&a``: an alias bomb multiplies work), tags (``!!python/object``),
duplicate keys (the second silently wins), nesting deeper than
``MAX_DEPTH`` and control characters (terminal escapes, direction
overrides) are refused at their file line.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from pathlib import Path
from typing import Annotated, Any, TypeVar

import yaml
from markdown_it import MarkdownIt
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

from generator.errors import MissionpressError, printable, quoted, where
from generator.inputs import MB, read_bytes

M = TypeVar("M", bound=BaseModel)
Loc = tuple[str | int, ...]


class Strict(BaseModel):
    """Base of every content model: no unknown keys, no silent coercion."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# --- YAML with line numbers -------------------------------------------------

MAX_TEXT_FILE = 1 * MB  # a YAML file or catalog (the statement is a few KB; parsing 1 MB takes seconds)
MAX_DEPTH = 20  # nested mappings and lists in a YAML file
# Control characters other than tab and line ends, and invisible characters that reorder text.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
MAX_MARKS = 4  # combining marks on one letter: Vietnamese and Navajo use up to 2
STACKED_MARKS = re.compile(f"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]{{{MAX_MARKS + 1},}}")


def control_problem(text: str) -> str | None:
    """What is wrong with the first control character or pile of accents in ``text``, if any."""
    found = CONTROL.search(text)
    if found is None:
        stacked = STACKED_MARKS.search(text)
        if stacked is None:
            return None
        return (f"{len(stacked.group(0))} accents stacked on one letter, over the limit of {MAX_MARKS} "
                "(they would pile up off the page; retype the word)")
    char = found.group(0)
    name = unicodedata.name(char, "CONTROL CHARACTER")
    return (f"contains {printable(char)} (U+{ord(char):04X} {name}), a control character that cannot be printed "
            "(delete it; it is often pasted in invisibly)")


def _lines(node: yaml.Node, loc: Loc, out: dict[Loc, int], problems: list[tuple[int, str]], offset: int) -> None:
    out[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: dict[object, int] = {}
        for key, value in node.value:
            name = key.value
            line = key.start_mark.line + 1
            if isinstance(name, str) and name in seen:
                problems.append((line, f"{printable(name)}: duplicate key, also at line {seen[name] + offset} "
                                       "(keep one of them; the second would silently replace the first)"))
            elif isinstance(name, str):
                seen[name] = line
            _lines(key, (*loc, name), {}, problems, offset)
            out[(*loc, name)] = line
            _lines(value, (*loc, name), out, problems, offset)
            out[(*loc, name)] = line
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _lines(item, (*loc, i), out, problems, offset)
    elif isinstance(node, yaml.ScalarNode):
        problem = control_problem(node.value)
        if problem:
            problems.append((node.start_mark.line + 1, problem))


class _Refused(yaml.MarkedYAMLError):
    """A YAML feature content files may not use."""


class _ContentLoader(yaml.SafeLoader):
    """SafeLoader without aliases, anchors or tags, and with bounded nesting."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.depth = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(None, None, f"alias *{event.anchor} is not allowed in content files "
                           "(write the value out in full)", event.start_mark)
        if getattr(event, "anchor", None):
            raise _Refused(None, None, f"anchor &{event.anchor} is not allowed in content files "
                           "(write each value out in full)", event.start_mark)
        if getattr(event, "tag", None) and not (isinstance(event, yaml.ScalarEvent) and event.tag == "!"):
            tag = str(event.tag).replace("tag:yaml.org,2002:", "!!")
            raise _Refused(None, None, f"tag {tag} is not allowed: content is plain data "
                           "(remove the tag; quote the value if it is text)", event.start_mark)
        nested = isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent))
        self.depth += nested
        if self.depth > MAX_DEPTH:
            raise _Refused(None, None, f"nested more than {MAX_DEPTH} levels deep (content needs only a few; "
                           "check the indentation and brackets)", event.start_mark)
        node = super().compose_node(parent, index)  # type: ignore[misc]
        self.depth -= nested
        return node


def read_text(path: Path, limit: int = MAX_TEXT_FILE) -> str:
    """A UTF-8 text file without control characters, or an error that says how to fix it."""
    data = read_bytes(path, str(path), limit)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise MissionpressError(
            f"{where(path, line)}: not UTF-8 text (byte {exc.start}); save the file as UTF-8"
        ) from None
    text = text.replace("\r\n", "\n")
    found = CONTROL.search(text) or STACKED_MARKS.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        raise MissionpressError(f"{where(path, line)}: {control_problem(found.group(0))}")
    return text


def parse_yaml(text: str, path: Path, first_line: int = 1) -> tuple[Any, dict[Loc, int]]:
    """The data of YAML ``text`` and the file line of every key and item in it.

    ``first_line`` is the file line where ``text`` starts (front matter starts at 2).
    """
    offset = first_line - 1
    try:
        loader = _ContentLoader(text)
    except yaml.YAMLError as exc:
        raise MissionpressError(f"{where(path, first_line)}: {exc}".split("\n")[0]) from None
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except _Refused as exc:
        line = exc.problem_mark.line + 1 + offset if exc.problem_mark else None
        raise MissionpressError(f"{where(path, line)}: {exc.problem}") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + offset if mark else None
        what = exc.problem or "invalid YAML"
        started = ""
        if exc.context and exc.context_mark and exc.context_mark.line + 1 + offset != line:
            started = f"; {exc.context} that starts at line {exc.context_mark.line + 1 + offset}"
        raise MissionpressError(
            f"{where(path, line)}: YAML syntax error: {what}{started} "
            "(check indentation and closing quotes; quote text containing ': ' or ' #')"
        ) from None
    except yaml.YAMLError as exc:
        raise MissionpressError(f"{where(path)}: YAML error: {exc} (save the file as plain UTF-8 text)") from None
    finally:
        loader.dispose()
    lines: dict[Loc, int] = {}
    problems: list[tuple[int, str]] = []
    if node is not None:
        _lines(node, (), lines, problems, offset)
    if problems:
        raise MissionpressError(*(f"{where(path, line + offset)}: {what}" for line, what in sorted(problems)))
    return data, {loc: line + offset for loc, line in lines.items()}


def _line_for(loc: Loc, lines: dict[Loc, int]) -> int | None:
    while loc not in lines and loc:
        loc = loc[:-1]
    return lines.get(loc)


def _field_name(loc: Loc) -> str:
    out = ""
    for part in loc:
        name = str(part) if len(str(part)) <= 60 and str(part).isprintable() else quoted(part)
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{name}" if out else name)
    return out or "(top level)"


def _explain(error: Any, model: type[BaseModel], loc: Loc) -> str:
    kind = error["type"]
    if kind == "missing":
        return "required field is missing (add it)"
    if kind == "extra_forbidden":
        known = _known_keys(model, loc[:-1])
        guess = difflib.get_close_matches(str(loc[-1]), known, n=1)
        hint = f"did you mean '{guess[0]}'?" if guess else f"known fields: {', '.join(known)}"
        return f"unknown field ({hint})"
    if kind in ("string_type", "list_type", "dict_type", "model_type", "int_type", "bool_type"):
        expected = {
            "string_type": "text",
            "list_type": "a list",
            "dict_type": "a mapping",
            "model_type": "a mapping of fields",
            "int_type": "a whole number",
            "bool_type": "true or false",
        }[kind]
        got = type(error.get("input")).__name__
        return f"expected {expected}, got {got} (put text in quotes if it looks like a number or date)"
    message = str(error["msg"]).removeprefix("Value error, ")
    return message


def _known_keys(model: type[BaseModel], loc: Loc) -> list[str]:
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part) if hasattr(current, "model_fields") else None
        if field is None:
            return []
        annotation = field.annotation
        args = getattr(annotation, "__args__", ())
        current = next((a for a in (annotation, *args) if hasattr(a, "model_fields")), None)
        if current is None:
            return []
    return sorted(current.model_fields) if current is not None else []


def validate(data: Any, lines: dict[Loc, int], path: Path, model: type[M]) -> M:
    """``data`` as ``model``, or one error listing every problem at its file line."""
    if not isinstance(data, dict):
        raise MissionpressError(f"{where(path, min(lines.values(), default=1))}: "
                                "expected a mapping of fields (key: value lines)")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = tuple(p for p in error["loc"] if not str(p).startswith("function-"))
            line = _line_for(loc, lines)
            problems.append(f"{where(path, line)}: {_field_name(loc)}: {_explain(error, model, loc)}")
        raise MissionpressError(*problems) from None


def load_model(path: Path, model: type[M]) -> M:
    """Read ``path`` and validate it as ``model``, reporting every problem at once."""
    data, lines = parse_yaml(read_text(path), path)
    return validate(data, lines, path, model)


# --- The statement ----------------------------------------------------------

_inline = MarkdownIt("zero").enable(["emphasis", "escape"])
_EMPHASIS = re.compile(r"(?<![*\w])\*([^*\n]+?)\*(?![*\w])")


_NBSP_CHAIN = re.compile(r"[^\s<>]*(?:<[^<>]+>[^\s<>]*)*(?:\u00a0[^\s<>]*(?:<[^<>]+>[^\s<>]*)*)+")


def inline_html(text: str) -> str:
    """Inline Markdown (emphasis only) to HTML; everything else is escaped text.

    Words joined by no-break spaces are wrapped in ``<span class="nobreak">``:
    WeasyPrint mis-breaks lines when a no-break space meets an inline element
    (one word per line after it), and ``white-space: nowrap`` keeps the
    published no-break spaces while laying the line out correctly.
    """
    html = _inline.renderInline(text)
    return _NBSP_CHAIN.sub(lambda m: f'<span class="nobreak">{m.group(0)}</span>', html)


def plain(text: str) -> str:
    """The published wording: inline Markdown markers removed."""
    return re.sub(r"\*{1,2}([^*]+)\*{1,2}", r"\1", text)


MAX_URL = 300  # characters of the statement's web address, which the QR code carries
MAX_ENTRY = 20_000  # characters in one statement entry (the poster says when less already does not fit)
MAX_GOALS = 40


def _not_blank(value: str) -> str:
    if len(value) > MAX_ENTRY:
        raise ValueError(f"is {len(value):,} characters, over the limit of {MAX_ENTRY:,} for one entry "
                         "(the statement must fit on one poster; shorten it)")
    if not value.strip():
        raise ValueError("is empty (write the text, or remove the entry)")
    if value != value.strip():
        raise ValueError("has spaces at its start or end (remove them)")
    return value


Text = Annotated[str, AfterValidator(_not_blank)]


def points(low: float, high: float) -> Any:
    """A validator of a size in points, over ``low`` and under ``high`` (not .nan, not .inf)."""
    def check(value: float) -> float:
        if not math.isfinite(value):
            raise ValueError(f"{value} is not a number of points (write a number such as 11 or 10.5)")
        if not low < value < high:
            raise ValueError(f"{value:g} points is out of range (give more than {low:g} and less than {high:g})")
        return value
    return check


MAX_ORGANIZATION = 150  # characters of the organization's name: it is set in display type on one or two lines
MAX_SHORT_NAME = 40  # the name people say, in titles and running heads


def _one_line(value: str) -> str:
    if "\n" in value or "\r" in value or "\t" in value:
        raise ValueError("spans several lines (write the name on one line)")
    return value


def _name(limit: int) -> Any:
    def check(value: str) -> str:
        if len(value) > limit:
            raise ValueError(f"is {len(value):,} characters, over the limit of {limit} for a name (it must fit on "
                             "the printed page; shorten it)")
        return _one_line(_not_blank(value))
    return check


class Organization(Strict):
    name: str
    short_name: str

    _check_name = field_validator("name")(_name(MAX_ORGANIZATION))
    _check_short = field_validator("short_name")(_name(MAX_SHORT_NAME))


class Headings(Strict):
    vision: str
    mission: str
    goals: str
    values: str

    _check = field_validator("vision", "mission", "goals", "values")(_not_blank)


class Statement(Strict):
    """An organization's vision, mission, goals and values, in one language."""

    language: str = Field(pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$")
    draft_translation: bool = False
    organization: Organization
    title: str
    headings: Headings
    vision: str
    mission: str
    goals_intro: str
    goals: list[Text] = Field(min_length=1, max_length=MAX_GOALS)
    values: str
    url: str | None = None  # the published statement page: printed with a QR code

    _check = field_validator("title", "vision", "mission", "goals_intro", "values")(_not_blank)

    @field_validator("url")
    @classmethod
    def _web_address(cls, url: str | None) -> str | None:
        if url is not None and len(url) > MAX_URL:
            raise ValueError(f"is {len(url):,} characters, over the limit of {MAX_URL} for a web address (the QR "
                             "code must stay readable: give a shorter address)")
        if url is not None and not re.fullmatch(r"https?://[^\s/$.?#]\S*", url):
            raise ValueError(f"{quoted(url)} is not a web address (write it in full on one line, e.g. "
                             "https://example.org/about)")
        return url

    @field_validator("values")
    @classmethod
    def _values_mark_core(cls, values: str) -> str:
        if not _EMPHASIS.search(values):
            raise ValueError(
                "marks no core value (put each core value in *asterisks*, e.g. *integrity*)"
            )
        return values

    @property
    def core_values(self) -> list[str]:
        """The words of the values statement set apart with *emphasis*."""
        return _EMPHASIS.findall(self.values)

    def sentences(self) -> list[str]:
        """Every published sentence, as plain text, for checks and tests."""
        parts = [self.title, self.vision, self.goals_intro, *self.goals]
        for paragraph in (self.mission, plain(self.values)):
            parts += re.split(r"(?<=[.!?])\s+", paragraph)
        return [p for p in parts if p]


def statement_file(content_dir: Path, lang: str = "en") -> Path:
    return content_dir / ("statement.yaml" if lang == "en" else f"statement.{lang}.yaml")


def load_statement(content_dir: Path, lang: str = "en") -> Statement:
    return load_model(statement_file(content_dir, lang), Statement)
