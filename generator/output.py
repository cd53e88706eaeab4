"""Output files: only our own, written atomically, reproducibly dated.

A build first *claims* its output folder (:func:`claim`): it refuses a folder
inside the content or templates, refuses a symbolic link where builds write
(in the folder, or as or in its ``onboarding/``: a link would send files, or
deletions, somewhere else), and takes a lock,
``.missionpress.lock``, holding the builder's PID and the tag of its run.  A
second build into the same folder is refused while the first runs; a lock
left by a process that died is taken over.

Each file is written to a hidden temporary name carrying the run's tag
(``.NAME.RANDOM.mp-TAG.part``) in the same folder, flushed to disk, then
renamed over its final name, so an interrupted build never leaves a
half-written file under a real name.  Cleanup removes only temporary files
with this run's tag, or the tag a dead run recorded in the lock it left:
never another program's ``*.part`` file.  Dates written into files come from
``SOURCE_DATE_EPOCH`` (else a fixed date), so a build gives the same bytes
every time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import json
import logging
import os
import secrets
import signal
import socket
import stat
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from generator.errors import MissionpressError
from generator.inputs import describe, not_a_folder
from generator.names import PACKET_FOLDER

LOCK = ".missionpress.lock"
_tag = ""  # the tag of the run this process writes for (set by claim, or by a batch worker)
_stopping = threading.Event()  # a stop signal arrived: WeasyPrint may not swallow it


def stop_on(*signals: int) -> None:
    """On any of ``signals`` (SIGTERM: ``kill``, ``timeout``), stop as on Ctrl-C: raise KeyboardInterrupt.

    A library may swallow the interrupt (WeasyPrint catches every exception while it draws an SVG
    image, logs that the image failed, and lays out on, to write a document without its logo): once a
    stop is asked, WeasyPrint's next log record raises it again, so the command ends within moments,
    as on Ctrl-C: files under way are not completed, those whole (packets in hand, the manifest) are
    kept.  Call from the main thread.
    """
    _stopping.clear()
    for number in signals:
        signal.signal(number, interrupt)
    layout_log = logging.getLogger("weasyprint")
    if not any(isinstance(f, _StopFilter) for f in layout_log.filters):
        layout_log.addFilter(_StopFilter())


def interrupt(signum: int, frame: object) -> None:
    """The stop signal handler: a stop is asked, and KeyboardInterrupt raised here."""
    _stopping.set()
    raise KeyboardInterrupt


class _StopFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if _stopping.is_set():
            raise KeyboardInterrupt
        return True


def run_tag() -> str:
    """The tag that marks this run's temporary files."""
    return _tag or f"p{os.getpid()}"


def adopt_run(tag: str) -> None:
    """Mark this process's temporary files with ``tag`` (a worker of the run that claimed the folder)."""
    global _tag
    _tag = tag


def _temp_suffix(tag: str) -> str:
    return f".mp-{tag}.part"


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the whole new one."""
    try:
        if path.parent.is_symlink():
            raise MissionpressError(f"{path.parent}: output: is a symbolic link; refusing to write through it "
                                    "(replace the link with a real folder)")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=_temp_suffix(run_tag()), dir=path.parent)
    except OSError as exc:
        raise _write_error(path, exc) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException as exc:
        Path(temp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _write_error(path, exc) from None
        raise


def _write_error(path: Path, exc: OSError) -> MissionpressError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        why = "the disk is full (free some space, or build into another output folder)"
    elif exc.errno == errno.EROFS:
        why = "the file system is read-only (choose another output folder)"
    elif exc.errno in (errno.EACCES, errno.EPERM):
        why = "permission denied (choose an output folder you may write to)"
    else:
        why = f"{exc.strerror or exc} (check the output folder)"
    return MissionpressError(f"{path}: cannot write: {why}")


def remove_temp_files(folder: Path, tag: str | None = None) -> int:
    """Remove the temporary files of run ``tag`` (default: this run) in the folders a build writes."""
    pattern = f".*{_temp_suffix(tag or run_tag())}"
    removed = 0
    for place in _written(folder):
        for stale in place.glob(pattern):
            if stale.is_file() and not stale.is_symlink():
                stale.unlink(missing_ok=True)
                removed += 1
    return removed


# Where a build writes: the output folder and these folders in it (onboarding packets).
SUBFOLDERS = (PACKET_FOLDER,)


def _written(folder: Path) -> list[Path]:
    """The output folder and its subfolders that builds write into, as far as they are real folders."""
    places = [folder / name for name in SUBFOLDERS]
    return [folder] + [p for p in places if p.is_dir() and not p.is_symlink()]


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


# --- Claiming the output folder ------------------------------------------------


def prepare_folder(folder: Path, protected: Sequence[Path] = ()) -> Path:
    """The output folder, created if needed; an error if it cannot be ours.

    Refused: a file, a dangling or looping link, a folder we may not write, a
    folder equal to or inside one of ``protected`` (content, templates), and a
    symbolic link where a build writes (in the folder, or as or in its
    ``onboarding/``): it would send files, or deletions, elsewhere.
    """
    flag = f"out {folder}"
    if folder.is_symlink() and not folder.exists():
        raise _out_error(f"{flag}: {describe(folder)} (remove the link or choose another folder)")
    real = folder.resolve()
    for inside in protected:
        mine = Path(inside).resolve()
        if real == mine or real.is_relative_to(mine):
            raise _out_error(f"{flag}: is inside {inside}, an input folder; output there would mix with "
                                    "the files it is made from (choose a folder outside it, e.g. output)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise _out_error(f"{flag}: {not_a_folder(folder)}") from None
    except OSError as exc:
        raise _out_error(f"{flag}: cannot create the folder: {_write_error(folder, exc).problems[0]}") \
            from None
    if not folder.is_dir():
        raise _out_error(f"{flag}: {not_a_folder(folder)}")
    if not os.access(folder, os.W_OK):
        raise _out_error(f"{flag}: the folder is not writable")
    links = [p for place in _written(folder) for p in sorted(place.iterdir()) if p.is_symlink()]
    if links:
        shown = "; ".join(f"{p} {describe(p)}" for p in links[:5])
        more = f" and {len(links) - 5} more" if len(links) > 5 else ""
        raise _out_error(f"{flag}: the output folder holds symbolic links, which would send files "
                                f"elsewhere: {shown}{more} (remove them, or choose another output folder)")
    return folder


@contextlib.contextmanager
def claim(folder: Path, protected: Sequence[Path] = ()) -> Iterator[Path]:
    """Hold the output folder for one run: checked, locked, and cleaned of our temporary files after.

    A build already running into ``folder`` makes this raise; the lock of a
    run that died is taken over and its temporary files are removed.
    """
    global _tag
    folder = prepare_folder(folder, protected)
    handle = _lock(folder)
    previous = _tag
    tag = f"{os.getpid()}{secrets.token_hex(3)}"
    try:
        stale = _read_lock(handle).get("tag")
        if isinstance(stale, str) and stale:
            remove_temp_files(folder, stale)
        _write_lock(handle, {"pid": os.getpid(), "host": socket.gethostname(), "tag": tag,
                             "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")})
        _tag = tag
        yield folder
    finally:
        _tag = previous
        with contextlib.suppress(OSError):
            remove_temp_files(folder, tag)
            (folder / LOCK).unlink(missing_ok=True)  # deleted while locked: a waiting run retries
        handle.close()


def _lock(folder: Path) -> IO[str]:
    path = folder / LOCK
    for _ in range(20):
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        except OSError as exc:
            raise MissionpressError(f"{path}: cannot create the lock file: {exc.strerror or exc}") from None
        handle = os.fdopen(fd, "r+", encoding="utf-8")
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            handle.close()
            raise MissionpressError(f"{path}: is not a regular file (remove it)")
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_lock(handle)
            handle.close()
            since = f", started {str(holder['started']).replace('T', ' ')}" if holder.get("started") else ""
            pid = f" (PID {holder['pid']}{since})" if holder.get("pid") else ""
            raise _out_error(f"out {folder}: another missionpress build{pid} is writing into this "
                                    "folder; wait for it to finish, or build into another --out") from None
        try:
            same = os.fstat(fd).st_ino == os.stat(path, follow_symlinks=False).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return handle
        handle.close()  # the previous holder removed the file as we opened it: take the new one
    raise MissionpressError(f"{path}: the lock file keeps changing (is another build starting and stopping?)")


def _read_lock(handle: IO[str]) -> dict[str, Any]:
    handle.seek(0)
    try:
        data = json.loads(handle.read(4096) or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _write_lock(handle: IO[str], data: dict[str, Any]) -> None:
    handle.seek(0)
    handle.truncate()
    handle.write(json.dumps(data) + "\n")
    handle.flush()


def _out_error(problem: str) -> MissionpressError:
    """A problem with the output folder: the ``out`` of a build, ``--out`` at the command line."""
    return MissionpressError(problem, field="out")
