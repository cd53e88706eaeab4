"""``missionpress init``: a content folder to start from, and the placeholders left in one.

The starter files live in ``templates/starter/`` (shipped in the wheel with the
templates): a commented statement, theme, documents list, a logo placeholder, a
two-row roster and handbook and onboarding stubs.  Text to replace is marked
``[REPLACE: ...]``; ``placeholders()`` finds what is left so a build can warn.
Nothing that exists is ever overwritten: ``init`` stops before writing anything
if any file it would write is already there.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from string import Template

from generator.content import i18n
from generator.errors import MissionpressError
from generator.inputs import describe as describe_path
from generator.output import atomic_write
from generator.paths import BUILTIN_TEMPLATES

log = logging.getLogger(__name__)

STARTER = BUILTIN_TEMPLATES / "starter"
MARK = "[REPLACE:"
TEXT_SUFFIXES = (".yaml", ".md", ".csv")
LANGS = ("en", "es", "en+es")

# What `build` makes with no document named, per language choice.
DOCUMENTS = """\
  - {{document: poster, size: letter, format: [pdf, docx]{lang}}}
  - {{document: poster, size: 24x36, layout: showcase, format: pdf{lang}}}
  - {{document: handbook, size: letter, format: [pdf, docx]{lang}}}
  - {{document: onboarding, size: letter, format: [pdf, docx], roster: roster.csv{lang}}}"""


@dataclass(frozen=True)
class Placeholder:
    path: Path
    line: int
    text: str


def warnings(content: Path) -> list[str]:
    """One warning naming every content file that still holds placeholder text, or none."""
    by_file: dict[Path, list[Placeholder]] = {}
    for found in placeholders(content):
        by_file.setdefault(found.path, []).append(found)
    if not by_file:
        return []
    total = sum(len(marks) for marks in by_file.values())
    first = next(iter(by_file.values()))[0]
    files = ", ".join(f"{path.relative_to(content)}:{marks[0].line}" for path, marks in by_file.items())
    return [f"warning: {content}: {total} placeholder{'s' if total > 1 else ''} left in {len(by_file)} "
            f"file{'s' if len(by_file) > 1 else ''} ({files}), e.g. {first.text}; replace each [REPLACE: ...] "
            "with your own text before printing"]


def init(folder: Path, name: str = "Your Organization", short_name: str | None = None,
         lang: str = "en") -> list[Path]:
    """Write a starter content folder; return the files written (none if any already existed)."""
    if lang not in LANGS:
        raise MissionpressError(f"--lang {lang}: init writes en, es or en+es content")
    if not name.strip() or (short_name is not None and not short_name.strip()):
        raise MissionpressError("--name and --short-name must not be empty")
    short = (short_name or _initials(name)).strip()
    _check_names(name.strip(), short, given=short_name is not None)
    _check_target(folder)
    codes = i18n.parse(lang)
    values = {
        "name_yaml": json.dumps(name.strip(), ensure_ascii=False),
        "short_yaml": json.dumps(short, ensure_ascii=False),
        "title_yaml": json.dumps(f"{short} Vision, Mission and Core Values", ensure_ascii=False),
        "title_es_yaml": json.dumps(f"Visión, misión y valores fundamentales de {short}", ensure_ascii=False),
        "documents": DOCUMENTS.format(lang="" if lang == "en" else f", lang: {lang}"),
    }
    files = {}
    for source in sorted(STARTER.rglob("*")):
        if not source.is_file():
            continue
        relative = source.relative_to(STARTER)
        file_lang = relative.suffixes[0][1:] if len(relative.suffixes) == 2 else "en"
        if file_lang != "en" and file_lang not in codes:
            continue
        data = source.read_bytes()
        if source.suffix in (".yaml", ".md"):
            data = Template(data.decode("utf-8")).safe_substitute(values).encode("utf-8")
        files[folder / relative] = data
    existing = [path for path in files if path.exists()]
    if existing:
        raise MissionpressError(
            f"{folder}: already holds {', '.join(str(p.relative_to(folder)) for p in existing[:5])}"
            f"{' and more' if len(existing) > 5 else ''}; init never overwrites (choose a new folder)")
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data)
    return list(files)


def _check_names(name: str, short: str, given: bool) -> None:
    """The names as the statement's rules take them (one line, no control characters, a length that
    fits on the page), so that the folder ``init`` writes builds; a character the bundled fonts lack
    is a warning (templates with a font that has it can print it)."""
    from pydantic import ValidationError

    from generator.content.fonts import describe
    from generator.content.glyphs import coverage
    from generator.content.model import Organization, control_problem
    from generator.paths import FONTS

    for field, value in (("name", name), ("short_name", short)):
        flag = "" if field == "name" or given else " (the initials of --name; give --short-name)"
        problem = control_problem(value)
        if problem:
            raise MissionpressError(f"{field}: {problem}{flag}", field=field)
        try:
            Organization.model_validate({"name": name, "short_name": short})
        except ValidationError as exc:
            for error in exc.errors():
                if error["loc"] == (field,):
                    raise MissionpressError(f"{field}: {str(error['msg']).removeprefix('Value error, ')}{flag}",
                                            field=field) from None
    covered = coverage((FONTS,))
    missing = list(dict.fromkeys(c for c in name + short if ord(c) not in covered and not c.isspace()))
    if missing:
        more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
        log.warning("warning: --name: no glyph for %s%s in the bundled fonts: a build with the built-in "
                    "templates refuses it (write the name in Latin letters, or add a font that has it to your "
                    "templates' fonts/ folder)", ", ".join(describe(c) for c in missing[:3]), more)


def _check_target(folder: Path) -> None:
    """``folder`` is a folder, or nothing yet: not a file, a dangling link or a path through a file."""
    what = describe_path(folder)
    if what not in ("is a folder", "does not exist"):
        fix = "fix or remove the link" if folder.is_symlink() else "choose a new folder name"
        raise MissionpressError(f"{folder}: {what}; init makes a content folder there ({fix})")


def _initials(name: str) -> str:
    words = [w for w in re.split(r"[\s\-]+", name) if w and w[0].isupper()]
    return "".join(w[0] for w in words) if len(words) > 1 else name.strip()


def placeholders(content: Path) -> list[Placeholder]:
    """Every ``[REPLACE: ...]`` left in the content folder's text files, in file order."""
    found = []
    for path in sorted(content.rglob("*")):
        if path.suffix not in TEXT_SUFFIXES or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue  # the loaders report unreadable files
        for number, line in enumerate(text.splitlines(), 1):
            start = line.find(MARK)
            if start >= 0 and not line.lstrip().startswith("#"):
                end = line.find("]", start)
                found.append(Placeholder(path, number, line[start:end + 1 if end >= 0 else None][:70]))
    return found
