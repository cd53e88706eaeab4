"""The web app's Collect page and ``POST /api/collect``: returned packets read into one CSV report.

Returned files come as the form's files (any number of PDF and Word files, or
ZIP archives of them).  Each is stored in the request's own folder under a name
made here, a ZIP's members too (within limits: members, their unpacked size;
only ``.pdf`` and ``.docx`` members are read), and read by the same reader as
``missionpress collect`` (:mod:`generator.check.collect`).  The answer is the
CSV report; its summary line is in the ``X-Collect-Summary`` header.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path, PurePosixPath

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from generator.check import collect as reader
from generator.names import PACKET_FOLDER
from generator.serve import views
from generator.serve.api import blocking, state
from generator.serve.uploads import Upload, UploadError, display_name, read_form, sniff

MAX_REQUEST = 50 * 1024 * 1024  # the files of one request together (a ZIP of a few dozen packets)
MAX_MEMBERS = 500  # files in one ZIP
SUFFIXES = (".pdf", ".docx")


async def page(request: Request) -> Response:
    serve = state(request)
    return views.page("collect.html", active="collect", content=serve.sources.content, out=serve.out)


async def collect(request: Request) -> Response:
    """POST /api/collect: the report of the returned files sent, as CSV."""
    folder = state(request).jobs.folder()
    try:
        form = await read_form(request, folder, MAX_REQUEST)
        if not form.uploads:
            raise UploadError(422, "send the returned packets as the form's files (.pdf, .docx, or a .zip of them)",
                              "files")
        names: dict[Path, str] = {}
        for upload in form.uploads:
            _store(upload, folder, names)
        known = reader.known_packets(state(request).out / PACKET_FOLDER)
        collection = await blocking(reader.collect, sorted(names), known)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return Response(collection.csv(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="collected.csv"',
                             "Cache-Control": "no-store", "X-Collect-Summary": collection.summary()})


def _store(upload: Upload, folder: Path, names: dict[Path, str]) -> None:
    """An upload (or each PDF and Word member of a ZIP) under a name made here; ``names`` maps it to the sent name."""
    suffix = sniff(upload, (*SUFFIXES, ".zip")) if not upload.name.lower().endswith(".zip") else ".zip"
    if suffix != ".zip":
        target = folder / f"file-{len(names)}{suffix}"
        upload.path.replace(target)
        names[target] = upload.name
        return
    try:
        with zipfile.ZipFile(upload.path) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            if len(members) > MAX_MEMBERS:
                raise UploadError(413, f"{upload.name}: {len(members)} files; send at most {MAX_MEMBERS} at once")
            if sum(m.file_size for m in members) > 4 * MAX_REQUEST:
                raise UploadError(413, f"{upload.name}: over {4 * MAX_REQUEST // (1024 * 1024)} MB unpacked")
            for member in members:
                name = display_name(PurePosixPath(member.filename).name, "file")
                suffix = PurePosixPath(name).suffix.lower()
                if suffix not in SUFFIXES or name.startswith((".", "~$")):
                    continue
                if member.file_size > reader.MAX_FILE:
                    raise UploadError(413, f"{upload.name}: {name} is over {reader.MAX_FILE // (1024 * 1024)} MB")
                target = folder / f"file-{len(names)}{suffix}"
                with archive.open(member) as source, target.open("wb") as sink:
                    shutil.copyfileobj(source, sink)
                names[target] = name
    except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError):
        raise UploadError(415, f"{upload.name}: not a readable ZIP archive (zip the returned files again)") from None
    upload.path.unlink(missing_ok=True)


ROUTES = [
    Route("/collect", page),
    Route("/api/collect", collect, methods=["POST"]),
]
