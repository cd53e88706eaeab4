"""WeasyPrint imported without spawning a compiler: its C libraries found from one ``ldconfig -p``.

On import WeasyPrint loads GObject, Pango, HarfBuzz and fontconfig through cffi,
trying several names for each (Windows and macOS names first).  Each name that
does not load directly goes to :func:`ctypes.util.find_library`, which on Linux
runs ``ldconfig -p`` and then ``gcc`` for every call: some twenty processes and
about a third of a second before any work, in every process that renders.

While WeasyPrint is imported here, ``find_library`` answers from one run of
``ldconfig -p`` kept for the process: the same sonames ctypes would find, without
the compiler fallback (WeasyPrint's list ends with each library's exact soname,
which the dynamic loader resolves by itself, ``LD_LIBRARY_PATH`` included).
Elsewhere, or without ``ldconfig``, the standard lookup runs unchanged; the
standard one is put back once WeasyPrint is loaded.
"""

from __future__ import annotations

import ctypes.util
import functools
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@functools.cache
def _ldconfig_listing() -> str | None:
    """The dynamic loader's cache as ``ldconfig -p`` prints it, or None where there is none."""
    if not sys.platform.startswith("linux"):
        return None
    program = shutil.which("ldconfig") or next(
        (p for p in ("/sbin/ldconfig", "/usr/sbin/ldconfig") if os.access(p, os.X_OK)), None)
    if program is None:
        return None
    try:
        done = subprocess.run([program, "-p"], capture_output=True, env={"LC_ALL": "C", "LANG": "C"},
                              timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else None


def find_library(name: str, standard: Callable[[str], str | None] = ctypes.util.find_library) -> str | None:
    """The soname of library ``name`` (``gobject-2.0`` -> ``libgobject-2.0.so.0``), or None."""
    listing = _ldconfig_listing()
    if listing is None:
        return standard(name)
    found = re.search(rf"^\s+(lib{re.escape(name)}\.so[^\s]*)\s", listing, re.M)
    return found.group(1) if found else None


@contextmanager
def quick_lookup() -> Iterator[None]:
    """Within the block, :func:`ctypes.util.find_library` is :func:`find_library`."""
    standard = ctypes.util.find_library
    ctypes.util.find_library = functools.partial(find_library, standard=standard)
    try:
        yield
    finally:
        ctypes.util.find_library = standard


with quick_lookup():
    import weasyprint  # noqa: E402

__all__ = ["find_library", "weasyprint"]
