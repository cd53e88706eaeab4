"""Languages: which content file serves a language, and translated template labels.

English content lives in the plain files (``statement.yaml``, ``welcome.md``);
another language is a file beside each with its code before the extension
(``statement.es.yaml``, ``welcome.es.md``).  Template labels ("Contents",
"Page X of Y") come from a gettext catalog per language,
``templates/locale/<lang>.po``, found on the template search path.  A label
that a catalog lacks is reported with the catalog's file and every missing
label at once.  Adding a language adds files, never code.
"""

from __future__ import annotations

import io
import logging
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from generator.content.model import MAX_TEXT_FILE, control_problem
from generator.errors import MissionpressError, bad_value, printable, where
from generator.inputs import read_bytes

log = logging.getLogger(__name__)

SOURCE = "en"  # the language of the plain content files and of template labels
CODE = re.compile(r"^[a-z]{2,3}$")
# Babel locales for dates; a language not listed uses its bare code.
LOCALES = {"en": "en_US", "es": "es_US"}


def parse(spec: str) -> tuple[str, ...]:
    """``"en+es"`` -> ``("en", "es")``; each code two or three lowercase letters."""
    codes = tuple(spec.strip().lower().split("+"))
    bad = [c for c in codes if not CODE.match(c)]
    if bad or len(set(codes)) != len(codes):
        raise bad_value("lang", spec, "expected language codes such as en, es or en+es")
    return codes


def localized(path: Path, lang: str) -> Path:
    """The file of ``lang`` for an English content file: ``welcome.md`` -> ``welcome.es.md``."""
    return path if lang == SOURCE else path.with_name(f"{path.stem}.{lang}{path.suffix}")


def source_files(folder: Path, pattern: str) -> list[Path]:
    """The English files of a folder matching ``pattern`` (no language code in the name)."""
    return sorted(p for p in folder.glob(pattern) if "." not in p.stem)


def require(path: Path, lang: str) -> Path:
    """The ``lang`` file for ``path``, or an error naming the missing file."""
    target = localized(path, lang)
    if not os.path.lexists(target):  # a device or a dangling link is named when read
        raise MissionpressError(f"{target}: missing {lang} translation of {path.name} "
                                f"(translate {path} into that file; `missionpress check-content` lists all gaps)")
    return target


def available(content: Path) -> list[str]:
    """The languages a content folder has a statement for."""
    codes = {SOURCE} | {p.suffixes[0][1:] for p in content.glob("statement.*.yaml") if len(p.suffixes) == 2}
    return sorted(codes, key=lambda c: (c != SOURCE, c))


def warn_drafts(name: str, drafts: Iterable[Path]) -> None:
    """A warning (not an error) for a document made from content marked ``draft_translation``."""
    files = sorted(set(drafts))
    if files:
        log.warning("warning: %s: made from draft translations pending review by a qualified translator: %s",
                    name, ", ".join(str(f) for f in files))


@dataclass
class Messages:
    """Template labels in one language: ``_("Contents")``.

    A label the catalog lacks prints in English; inside :meth:`complete` it is
    an error instead, raised once for every such label the block asked for.
    """

    lang: str
    catalog: Path | None = None
    table: dict[str, str] = field(default_factory=dict)
    _asked_missing: list[set[str]] = field(default_factory=list, repr=False)  # one set per open block

    def __call__(self, message: str) -> str:
        if self.lang == SOURCE:
            return message
        translated = self.table.get(message)
        if not translated:
            for missing in self._asked_missing:
                missing.add(message)
            return message
        return translated

    @contextmanager
    def complete(self) -> Iterator[None]:
        """Every label asked for inside the block must have a translation."""
        missing: set[str] = set()
        self._asked_missing.append(missing)
        try:
            yield
        finally:
            self._asked_missing.remove(missing)
        if missing:
            where = self.catalog or f"templates/locale/{self.lang}.po"
            labels = ", ".join(f'"{m}"' for m in sorted(missing))
            raise MissionpressError(f"{where}: no {self.lang} translation for {labels} "
                                    "(add a msgid/msgstr entry for each)")

    @property
    def locale(self) -> str:
        return LOCALES.get(self.lang, self.lang)


def messages(lang: str, template_folders: Sequence[Path]) -> Messages:
    """The label catalog of ``lang`` from the first template folder that has one."""
    if lang == SOURCE:
        return Messages(lang)
    for folder in template_folders:
        catalog = folder / "locale" / f"{lang}.po"
        if catalog.is_file():
            return Messages(lang, catalog, _read_catalog(catalog))
    raise MissionpressError(f"templates/locale/{lang}.po: no label catalog for language '{lang}' in "
                            + ", ".join(str(f) for f in template_folders)
                            + " (copy templates/locale/es.po and translate its msgstr lines)")


def _read_catalog(catalog: Path) -> dict[str, str]:
    """The translated labels of a ``.po`` file: UTF-8 text, every msgstr printable."""
    from babel.messages.pofile import read_po  # Babel (and the time zones it loads) only for a translation

    data = read_bytes(catalog, str(catalog), MAX_TEXT_FILE)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise MissionpressError(f"{where(catalog, line)}: not UTF-8 text (byte {exc.start}); save the catalog "
                                'as UTF-8 with the header line "Content-Type: text/plain; charset=UTF-8"') from None
    try:
        po = read_po(io.BytesIO(data), locale=None, charset="utf-8")
    except Exception as exc:  # Babel's parser raises several types on a damaged catalog
        raise MissionpressError(f"{catalog}: not a readable gettext catalog ({exc}); compare it with "
                                "templates/locale/es.po") from None
    table = {str(m.id): str(m.string) for m in po if m.id and m.string and not m.fuzzy}
    problems = [f"{catalog}: msgstr of {printable(key)!r}: {control_problem(text)}"
                for key, text in table.items() if control_problem(text)]
    if problems:
        raise MissionpressError(*problems)
    return table


# --- Gaps across languages --------------------------------------------------------

LABEL = re.compile(r"""(?:\b_|\.labels)\(\s*"((?:[^"\\]|\\.)*)"\s*\)""")
PACKAGE = Path(__file__).resolve().parent.parent  # the whole generator package


def labels_used(template_folders: Sequence[Path]) -> set[str]:
    """Every label the templates and the code translate with ``_("...")``."""
    # Regular files only, as the template loader reads them: a pipe would wait and /dev/zero never end.
    sources = [p for folder in template_folders for p in folder.rglob("*.html") if p.is_file()]
    sources += PACKAGE.rglob("*.py")
    found = {m for path in sources for m in LABEL.findall(path.read_text(encoding="utf-8", errors="replace"))}
    return {m for m in found if any(c.isalpha() for c in m)}  # not the "..." of docstrings


def content_gaps(content: Path, template_folders: Sequence[Path]) -> list[str]:
    """One line per missing translation: a content file, or labels of a catalog."""
    gaps = []
    sources = [content / "handbook" / "handbook.yaml", *source_files(content / "handbook", "*.md"),
               *(content / "onboarding" / name for name in ("welcome.md", "acknowledgment.md", "checklist.yaml"))]
    used = labels_used(template_folders)
    for lang in available(content):
        if lang == SOURCE:
            continue
        gaps += [f"{localized(s, lang)}: missing ({lang} translation of {s.name})"
                 for s in sources if s.is_file() and not localized(s, lang).is_file()]
        try:
            catalog = messages(lang, template_folders)
        except MissionpressError as error:
            gaps += error.problems
            continue
        missing = sorted(label for label in used if not catalog.table.get(label))
        if missing:
            gaps.append(f"{catalog.catalog}: no {lang} translation for " + ", ".join(f'"{m}"' for m in missing))
    return gaps
