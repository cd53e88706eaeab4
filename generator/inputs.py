"""Reading input files: regular files only, of bounded size, problems named.

Every file a build reads on the user's say-so (content, roster, ICC profile)
goes through :func:`read_bytes`: a device (``/dev/zero``), a pipe or a folder
is refused before anything is read, a file over its limit is refused by its
size, and a dangling link or a link loop is named as such.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from generator.errors import MissionpressError

MB = 1024 * 1024
MAX_IMAGE = 10 * MB  # an image: a Markdown picture, the logo, an image or SVG of the templates
MAX_PIXELS = 40_000_000  # 40 megapixels: a 24x36 in poster photo at 200 dpi
MAX_FONT = 32 * MB  # a font of the templates: Noto Sans CJK, among the largest, is some 16 MB
MAX_STYLESHEET = 1 * MB  # a stylesheet of the templates: a framework's whole CSS is some 200 KB


def _size(n: int) -> str:
    return f"{n / MB:.0f} MB" if n >= MB else f"{n // 1024} KB" if n >= 1024 else f"{n} bytes"


def describe(path: Path) -> str:
    """What ``path`` is, as a message says it: ``is a folder``, ``is a file``, ``is a device``, ``is a
    pipe``, ``is a socket``, ``is a symbolic link to X`` (``..., which does not exist`` or ``in a
    loop``), ``lies under X, which is not a folder``, or ``does not exist``."""
    if os.path.islink(path):
        try:
            target = os.readlink(path)
        except OSError:
            return "is a symbolic link"
        try:
            path.resolve(strict=True)
        except RuntimeError:
            return f"is a symbolic link in a loop, to {target}"
        except OSError:
            return f"is a symbolic link to {target}, which does not exist"
        return f"is a symbolic link to {target}"
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "does not exist"
    except NotADirectoryError:
        parent = next((p for p in Path(path).parents if os.path.lexists(p) and not os.path.isdir(p)), None)
        return f"lies under {parent}, which {describe(parent)}" if parent else "does not exist"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "lies under a symbolic link in a loop"
        return f"cannot be examined ({exc.strerror or exc})"
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISREG, "a file"), (stat.S_ISCHR, "a device"),
             (stat.S_ISBLK, "a device"), (stat.S_ISFIFO, "a pipe"), (stat.S_ISSOCK, "a socket"))
    return "is " + next((kind for test, kind in kinds if test(mode)), "not a file or folder")


def missing(path: Path) -> str:
    """Why ``path`` cannot be opened: no such file or folder, a dangling link, or a link loop."""
    what = describe(path)
    return f"{what} (fix or remove the link)" if os.path.islink(path) else "does not exist (check the path)"


def not_a_folder(path: Path) -> str:
    """Why ``path``, given as a folder, is not one: what it is instead, and what to do."""
    what = describe(path)
    if what == "does not exist":
        return "does not exist (check the path)"
    if os.path.islink(path) and not os.path.exists(path):
        return f"{what} (fix or remove the link)"
    return f"{what} (give a folder)" if what.startswith("lies") else f"{what}, not a folder (give a folder)"


def check_regular(path: Path, label: str, limit: int) -> int:
    """The size of ``path``, a regular file of at most ``limit`` bytes, or an error saying what it is."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise MissionpressError(f"{label}: {missing(path)}") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise MissionpressError(f"{label}: {describe(path)} (fix or remove the link)") from None
        raise MissionpressError(f"{label}: cannot be read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(info.st_mode):
        raise MissionpressError(f"{label}: is a folder, not a file (check the path)")
    if not stat.S_ISREG(info.st_mode):
        what = describe(Path(os.path.realpath(path))).removeprefix("is ")
        raise MissionpressError(f"{label}: is not a regular file (it is {what}; give a file)")
    if info.st_size > limit:
        raise MissionpressError(f"{label}: is {_size(info.st_size)}, over the limit of {_size(limit)} for this "
                                "kind of file (is it the right file?)")
    return info.st_size


def read_bytes(path: Path, label: str, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (see :func:`check_regular`)."""
    check_regular(path, label, limit)
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise MissionpressError(f"{label}: cannot be read ({exc.strerror or exc})") from None
    if len(data) > limit:  # it grew since we looked
        raise MissionpressError(f"{label}: is over the limit of {_size(limit)} for this kind of file")
    return data


def check_links_stay_inside(folder: Path, label: str) -> None:
    """Refuse symbolic links under ``folder`` that lead out of it (or nowhere): content is read from inside."""
    base = folder.resolve()
    problems = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]  # .git and the like are never read
        for name in dirs + files:
            path = Path(root) / name
            if not path.is_symlink():
                continue
            try:
                target = path.resolve(strict=True)
            except (OSError, RuntimeError):
                problems.append(f"{path}: {missing(path)}")
                continue
            if not target.is_relative_to(base):
                problems.append(f"{path}: is a symbolic link to {os.readlink(path)}, outside {label} (copy the file "
                                "into the folder instead of linking it)")
    if problems:
        raise MissionpressError(*problems[:20])
