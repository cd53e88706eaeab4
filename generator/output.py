"""Output files: written atomically, reproducibly dated.

A file is written to a temporary name in the same folder, flushed to disk,
then renamed over its final name, so an interrupted build never leaves a
half-written file under a real name; a process killed mid-write leaves only
a hidden ``.NAME.*.part`` file, which the next build removes.  Dates written
into files come from ``SOURCE_DATE_EPOCH`` (else a fixed date), so a build
gives the same bytes every time.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

from generator.errors import MissionpressError


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


DEFAULT_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def build_date() -> dt.datetime:
    """``SOURCE_DATE_EPOCH`` (reproducible builds) as a UTC time, else 2000-01-01."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return DEFAULT_DATE
    try:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise MissionpressError(
            f"SOURCE_DATE_EPOCH={epoch}: not a count of seconds since 1970 (unset it or give an integer)"
        ) from None


def remove_partial_files(folder: Path) -> None:
    """Temporary files left by a process killed mid-write (their final names were never used)."""
    for stale in folder.glob(".*.part"):
        stale.unlink(missing_ok=True)


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
    remove_partial_files(folder)
    return folder
