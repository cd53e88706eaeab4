"""The packets folder's manifest: what each packet was made from, and from which roster.

``.manifest.json`` maps each packet (its file stem) to the digest of its
inputs, the roster it was made from and the formats written.  A second run
rebuilds only packets whose digest changed; building the same roster again
removes the packets of people no longer on it, and nothing else.  The file is
written atomically and merged with what is on disk at each save, so no entry
is ever lost; a damaged or oversized one only costs a rebuild.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any

from generator.documents.onboarding.filenames import safe_join
from generator.errors import MissionpressError
from generator.output import atomic_write

log = logging.getLogger(__name__)

MANIFEST = ".manifest.json"
MAX_MANIFEST = 64 * 1024 * 1024  # some 300 bytes a packet: far more than any roster


class Manifest:
    """What each packet in a folder was made from, saved atomically.

    ``{"packets": {stem: {"digest": ..., "roster": ..., "files": [...]}}}``.  A
    save merges this run's changes into the file as it is on disk then, so an
    entry written by anyone else is never lost.
    """

    def __init__(self, folder: Path) -> None:
        self.path = folder / MANIFEST
        self.packets: dict[str, dict[str, Any]] = self._read()
        self.changed: dict[str, dict[str, Any] | None] = {}  # None: removed
        self.saved = time.monotonic()

    def _read(self) -> dict[str, dict[str, Any]]:
        try:
            if self.path.stat().st_size > MAX_MANIFEST:
                return {}
            packets = json.loads(self.path.read_text(encoding="utf-8"))["packets"]
        except (OSError, ValueError, KeyError, TypeError):
            return {}  # A damaged manifest only costs a rebuild.
        if not isinstance(packets, dict):
            return {}
        # An entry of the first format is a bare digest.
        return {str(stem): entry if isinstance(entry, dict) else {"digest": entry}
                for stem, entry in packets.items() if isinstance(entry, (dict, str))}

    def digest(self, stem: str) -> object:
        return self.packets.get(stem, {}).get("digest")

    def record(self, stem: str, entry: dict[str, Any] | None) -> None:
        if entry is None:
            self.packets.pop(stem, None)
        else:
            self.packets[stem] = entry
        self.changed[stem] = entry

    def save(self) -> None:
        merged = self._read()
        for stem, entry in self.changed.items():
            if entry is None:
                merged.pop(stem, None)
            else:
                merged[stem] = entry
        data = json.dumps({"packets": dict(sorted(merged.items()))}, indent=0, ensure_ascii=False, sort_keys=True)
        atomic_write(self.path, data.encode("utf-8"))
        self.packets = merged
        self.changed = {}
        self.saved = time.monotonic()


def remove_departed(manifest: Manifest, folder: Path, roster: str, present: set[str]) -> list[str]:
    """Remove the files of packets made from ``roster`` for people no longer on it."""
    gone = sorted(stem for stem, entry in manifest.packets.items()
                  if entry.get("roster") == roster and stem not in present)
    removed = []
    for stem in gone:
        files = manifest.packets[stem].get("files")
        manifest.record(stem, None)
        try:
            paths = [safe_join(folder, stem, f".{fmt}") for fmt in (files if isinstance(files, list) else ())
                     if fmt in ("pdf", "docx", "html")]
        except MissionpressError:  # an entry edited by hand, naming no file we make: forgotten, nothing deleted
            continue
        for path in paths:
            if path.is_file() and not path.is_symlink():
                path.unlink()
        removed.append(stem)
    if removed:
        log.info("onboarding: removed the packets of %d %s no longer on %s: %s", len(removed),
                 "person" if len(removed) == 1 else "people", Path(roster).name, ", ".join(removed))
    return removed
