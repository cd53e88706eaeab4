"""Writer setup: the one font configuration WeasyPrint lays out with.

Output must not depend on the fonts a machine has installed, so fontconfig is
given a configuration that lists the bundled font folder alone.  This happens
when the PDF writer first needs fonts (:func:`font_config`), never on import:
importing any missionpress module leaves the process environment alone.

fontconfig reads ``FONTCONFIG_FILE`` once, when WeasyPrint's
``FontConfiguration`` loads its configuration; the variable is set for that
moment only and restored afterwards, so the host process (a web app, a
notebook) keeps its own fonts for everything else.  One ``FontConfiguration``
serves the whole process: each one copies the fonts it embeds to a temporary
folder, which WeasyPrint removes only when the configuration is freed, and a
process seldom frees it before it ends (a worker process never does).  So the
copies and the configuration folder are removed when the process that made
them exits: the command, or a worker of a parallel build (a worker forked after
they were made shares them and leaves them to its parent).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from generator.paths import FONTS
from generator.pdf import glib

if TYPE_CHECKING:
    from weasyprint.text.fonts import FontConfiguration

FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <dir>{fonts}</dir>
  <cachedir>{cache}</cachedir>
</fontconfig>
"""

_lock = threading.Lock()
_config: FontConfiguration | None = None
_removal: Callable[[], object] | None = None  # the finalizer that removes the folders (callable once)
_workdir: Path | None = None


def fontconfig_file(folder: Path, fonts: Path = FONTS) -> Path:
    """Write a fontconfig configuration listing only ``fonts`` into ``folder``; its path."""
    conf = folder / "fonts.conf"
    conf.write_text(FONTCONFIG.format(fonts=fonts, cache=folder / "cache"), encoding="utf-8")
    return conf


@contextmanager
def _environment(name: str, value: str) -> Iterator[None]:
    previous = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if previous is None:
            del os.environ[name]
        else:
            os.environ[name] = previous


def font_config() -> FontConfiguration:
    """The process's font configuration: the bundled fonts and nothing else (made on first use)."""
    global _config, _removal, _workdir
    with _lock:
        if _config is None:
            from multiprocessing.util import Finalize

            from weasyprint.text.fonts import FontConfiguration

            glib.route_messages()  # Pango's own warnings go to the log, not the terminal
            workdir = _workdir = Path(tempfile.mkdtemp(prefix="missionpress-fc-"))
            # Run at the exit of this process, a worker's too (which runs no atexit handler), and not in
            # a process forked from it (multiprocessing clears its finalizers there).
            _removal = Finalize(None, _remove, args=(workdir,), exitpriority=0)
            with _environment("FONTCONFIG_FILE", str(fontconfig_file(workdir))):
                _config = FontConfiguration()
        return _config


def release(orphaned: bool = False) -> None:
    """Remove the fonts' folders now, in a process that will end without exit handlers (a test runner's
    worker) once it lays nothing more out: stylesheets parsed before still name the copies removed.

    ``orphaned``: this process is a worker whose build was killed; the folders it shares with the build
    (made before it was forked) are removed too, as the build no longer can.
    """
    with _lock:
        if orphaned and _workdir is not None:
            _remove(_workdir)
        elif _removal is not None:
            _removal()


def _remove(workdir: Path) -> None:
    """The configuration's folder removed, and WeasyPrint's copies of the fonts."""
    global _config
    config, _config = _config, None
    if config is not None:
        config.__del__()  # what WeasyPrint does once the configuration is freed: its copies removed
    shutil.rmtree(workdir, ignore_errors=True)
