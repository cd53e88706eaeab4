"""Messages of the C libraries under WeasyPrint (Pango, GLib, HarfBuzz) go to our log.

GLib prints ``(process:123): Pango-WARNING **: ...`` straight to the terminal,
past Python: lines a user cannot act on, in the middle of a progress bar.
Here they become debug records of the ``generator`` log (``--debug`` shows
them); anything that matters surfaces as our own error instead.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging

log = logging.getLogger("generator.pdf.glib")

DOMAINS = (b"Pango", b"GLib", b"GLib-GObject", b"GLib-GIO", b"HarfBuzz", b"Fontconfig", b"GdkPixbuf")
# G_LOG_LEVEL_CRITICAL | WARNING | MESSAGE | INFO | DEBUG: not ERROR, which aborts the process anyway.
LEVELS = 8 | 16 | 32 | 64 | 128
_Handler = ctypes.CFUNCTYPE(None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p)


def _to_log(domain: bytes | None, level: int, message: bytes | None, _data: object) -> None:
    name = (domain or b"GLib").decode("ascii", "replace")
    log.debug("%s: %s", name, (message or b"").decode("utf-8", "replace"))


_handler = _Handler(_to_log)  # kept alive for as long as GLib may call it
_routed = False


def route_messages() -> None:
    """Send GLib-family messages to the log instead of stderr (once per process)."""
    global _routed
    if _routed:
        return
    name = ctypes.util.find_library("glib-2.0")
    if name is None:
        return
    glib = ctypes.CDLL(name)
    glib.g_log_set_handler.argtypes = [ctypes.c_char_p, ctypes.c_int, _Handler, ctypes.c_void_p]
    glib.g_log_set_handler.restype = ctypes.c_uint
    for domain in DOMAINS:
        glib.g_log_set_handler(domain, LEVELS, _handler, None)
    _routed = True
