"""Stage 1: the files of a content folder that look like content but that no build reads.

A chapter saved as ``Intro.MD`` or ``intro.markdown``, a ``theme.yml``, or a
translation without its English file is left out of every document without a
word.  :func:`warnings` names each such file, with the name it needs.  Pictures,
rosters and other files are not named: they are read when content or
``documents.yaml`` names them.
"""

from __future__ import annotations

from pathlib import Path

TEXT_LIKE = (".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".yaml", ".yml", ".txt")
TOP = ("statement.yaml", "theme.yaml", "documents.yaml")
ONBOARDING = ("welcome.md", "acknowledgment.md", "checklist.yaml")
MAX_NAMED = 20  # warnings for one folder: the rest are counted


def _read_here(path: Path, folder: str) -> bool:
    """Whether a build reads ``path`` (a file of the content folder's ``folder``: "", handbook, onboarding)."""
    name, parts = path.name, path.name.split(".")
    english = f"{parts[0]}.{parts[-1]}" if len(parts) == 3 and len(parts[1]) in (2, 3) else name
    if folder == "":
        return name in TOP or (english == "statement.yaml" and name != english)
    if folder == "handbook":
        if english == "handbook.yaml":
            return True
        return english.endswith(".md") and "." not in english[:-3] and (path.parent / english).is_file()
    return english in ONBOARDING


def _fix(path: Path, folder: str) -> str:
    stem, suffix = path.name.split(".")[0], path.suffix.lower()
    parts = path.name.split(".")
    if len(parts) == 3 and parts[-1] == "md" and not (path.parent / f"{parts[0]}.md").exists():
        return f"a translation is read only beside its English file: add {parts[0]}.md"
    if suffix in (".md", ".markdown", ".mdown", ".mkd", ".mkdn"):
        if folder == "handbook":
            return f"chapters are read from files named *.md: rename it {stem.lower()}.md"
        return f"this folder's Markdown files are {', '.join(ONBOARDING[:2]) if folder else 'in handbook/'}"
    if suffix in (".yml", ".yaml") and stem.lower() + ".yaml" in (*TOP, "handbook.yaml", "checklist.yaml"):
        return f"rename it {path.name[:-len(suffix)].lower()}.yaml"
    return "move it out of the content folder if it is not content"


def warnings(content: Path) -> list[str]:
    """One warning per file of the content folder, its ``handbook/`` and ``onboarding/`` that looks like
    content (Markdown, YAML or text) and that no build reads."""
    found = []
    for folder in ("", "handbook", "onboarding"):
        place = content / folder
        if not place.is_dir():
            continue
        unread = [path for path in sorted(place.iterdir())
                  if path.suffix.lower() in TEXT_LIKE and not path.name.startswith(".") and path.is_file()
                  and not _read_here(path, folder)]
        found += [f"warning: {path}: not read by any build ({_fix(path, folder)})" for path in unread[:MAX_NAMED]]
        if len(unread) > MAX_NAMED:
            found.append(f"warning: {place}: {len(unread) - MAX_NAMED} more files not read by any build")
    return found
