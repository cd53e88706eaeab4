"""File names for per-person output: readable, safe, stable and distinct.

A person's stem is ``<slug>-<hash>``, e.g. ``jose-nunez-1a2b3c4d``:

* **readable**: the slug is an ASCII transliteration of the name (accents
  stripped via NFKD, plus a few letters NFKD leaves alone: đ, ł, ø, ß, æ ...),
  lowercase, words joined by ``-``; apostrophes vanish (``O'Brien`` ->
  ``obrien``); names with no Latin letters at all (e.g. 中文) become ``person``.
* **safe**: only ``[a-z0-9-]``, never empty, never starting with ``-`` or a
  dot, at most :data:`MAX_SLUG` + 9 characters (+ a counter for duplicates), so
  no path separators, ``..``, control characters or reserved device names.
* **stable**: the hash is the first 8 hex digits of SHA-256 of the NFC form
  of the exact name, so a stem depends only on the name, never on its position
  in the roster: adding or removing someone does not rename others' files.
* **distinct**: names that slug alike ("Ana Díaz" / "ana díaz" / "Ana Diaz")
  differ in their hash.  Rows with exactly the same name have the same hash, so
  the second and later ones get ``-2``, ``-3`` ... in roster order; only those
  duplicates depend on order (the first keeps the plain stem).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from generator.errors import MissionpressError, where

MAX_SLUG = 48
HASH_DIGITS = 8
FALLBACK = "person"

# Letters that NFKD does not decompose into an ASCII base letter.
_TRANSLIT = str.maketrans({
    "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O",
    "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "TH",
    "ı": "i", "ħ": "h", "Ħ": "H", "ŧ": "t", "Ŧ": "T", "ŋ": "ng", "Ŋ": "NG", "ƒ": "f",
})
# Apostrophe-like characters are dropped rather than splitting a word.
_APOSTROPHES = frozenset("'’‘ʼʻ`´")
_SAFE_STEM = re.compile(r"[a-z0-9][a-z0-9-]*")
_SAFE_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,10}")


def slugify(name: str, limit: int = MAX_SLUG) -> str:
    """ASCII slug of ``name``: ``"José Ñúñez"`` -> ``"jose-nunez"``; never empty."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_TRANSLIT)).translate(_TRANSLIT)
    out: list[str] = []
    for char in decomposed:
        if char in _APOSTROPHES or unicodedata.combining(char):
            continue
        out.append(char.lower() if char.isascii() and char.isalnum() else "-")
    slug = re.sub(r"-+", "-", "".join(out)).strip("-")
    if len(slug) > limit:
        cut = slug[:limit + 1]
        slug = cut[:cut.rfind("-")] if "-" in cut[limit // 2:] else slug[:limit]
        slug = slug.strip("-")
    return slug or FALLBACK


def name_hash(name: str) -> str:
    """First :data:`HASH_DIGITS` hex digits of SHA-256 of the NFC form of ``name``."""
    data = unicodedata.normalize("NFC", name).encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()[:HASH_DIGITS]


def packet_stem(name: str) -> str:
    """The stem for one name, without the duplicate counter: ``jose-nunez-1a2b3c4d``."""
    return f"{slugify(name)}-{name_hash(name)}"


def assign_stems(names: Sequence[str]) -> list[str]:
    """A distinct stem for each name, in roster order (see the module docstring)."""
    used: set[str] = set()
    stems: list[str] = []
    for name in names:
        base = stem = packet_stem(name)
        counter = 1
        while stem in used:  # same name again (or, astronomically rarely, a hash collision)
            counter += 1
            stem = f"{base}-{counter}"
        used.add(stem)
        stems.append(stem)
    return stems


def safe_join(folder: Path, stem: str, suffix: str) -> Path:
    """``folder / (stem + suffix)``, refusing anything that would land outside ``folder``.

    ``stem`` must be one plain file-name part (as :func:`assign_stems` makes) and
    ``suffix`` an extension such as ``.pdf``; the resolved path must be exactly
    that name directly inside the resolved ``folder`` (so an existing symlink
    there, which could redirect the write, is refused too).
    """
    folder = Path(folder)
    name = f"{stem}{suffix}"
    if not _SAFE_STEM.fullmatch(stem) or not _SAFE_SUFFIX.fullmatch(suffix):
        raise MissionpressError(f"{where(folder)}: output: refusing unsafe file name {name!r} "
                                "(file names may use only a-z, 0-9 and -, plus an extension)")
    base = folder.resolve()
    target = (base / name).resolve()
    if target != base / name:
        raise MissionpressError(f"{where(folder)}: output: {name!r} would be written outside the "
                                f"output folder, to {target} (remove the link or pick another folder)")
    return folder / name
