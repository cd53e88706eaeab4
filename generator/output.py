"""Output files: names that say what they are, written atomically.

A file is written to a temporary name in the same folder, flushed to disk,
then renamed over its final name, so an interrupted build never leaves a
half-written file under a real name.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import MissionpressError


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the whole new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def prepare_folder(folder: Path) -> Path:
    """The output folder, created if needed; an error if it is a file or read-only."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise MissionpressError(f"--out {folder}: is a file, not a folder") from None
    except PermissionError:
        raise MissionpressError(f"--out {folder}: cannot create the folder (permission denied)") from None
    if not os.access(folder, os.W_OK):
        raise MissionpressError(f"--out {folder}: the folder is not writable")
    return folder
