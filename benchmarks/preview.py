"""Benchmark: live preview, from a saved file to the new poster image, after a long session.

Starts ``missionpress serve`` on a copy of the content, opens five posters the way a page does
(an event stream naming the poster, then its preview image) and closes them, then keeps one
letter poster open and saves ``statement.yaml`` several times.  Each save is timed from the file
written to the new preview image received (the server's rebuild event, then the PNG at 800 px,
as the page asks for it), and the rebuild event says which documents were rebuilt: only the one
shown, once.  Target: under 1 s at letter.

Run:

    .venv/bin/python benchmarks/preview.py              # 5 saves
    .venv/bin/python benchmarks/preview.py --saves 10
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
ENV = os.environ | {"PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
SIZES = ("tabloid", "A4", "A3", "18x24", "24x36")


def events(url: str, query: str) -> IO[bytes]:
    """An event stream as a page opens it, read past its ``hello``."""
    stream = urlopen(f"{url}api/events?document=poster&{query}", timeout=60)
    while stream.readline().strip():  # event: hello, data: ..., blank line
        pass
    return stream  # type: ignore[no-any-return]


def next_rebuild(stream: IO[bytes]) -> dict[str, object]:
    while True:
        line = stream.readline()
        if line.startswith(b"event: rebuild"):
            return json.loads(stream.readline().removeprefix(b"data: "))  # type: ignore[no-any-return]


def image(url: str, query: str) -> bytes:
    with urlopen(f"{url}api/preview/poster/1.png?{query}&width=800", timeout=60) as answer:
        return answer.read()  # type: ignore[no-any-return]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--saves", type=int, default=5)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="preview-bench-"))
    content = work / "content"
    shutil.copytree(ROOT / "content", content)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--content", str(content), "--port",
                               str(port)], cwd=work, env=ENV, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        assert server.stderr is not None
        server.stderr.readline()  # started
        for size in SIZES:  # five posters looked at, then their pages closed
            stream = events(url, f"size={size}")
            image(url, f"size={size}")
            stream.close()
        time.sleep(0.5)
        stream = events(url, "size=letter")
        image(url, "size=letter")
        statement = content / "statement.yaml"
        text = statement.read_text(encoding="utf-8")
        waits, builds = [], []
        for number in range(args.saves):
            edited = text.replace("community partners", f"community partners{' and friends' * (number % 2)}")
            saved = time.monotonic()
            (work / "statement.part").write_text(edited, encoding="utf-8")
            (work / "statement.part").replace(statement)
            event = next_rebuild(stream)
            image(url, f"size=letter&v={event['generation']}")
            waits.append(time.monotonic() - saved)
            builds.append(event["documents"])
        stream.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    print(f"save -> new letter preview, after 5 posters opened and closed ({args.saves} saves)")
    print(f"  median {statistics.median(waits):.2f} s   max {max(waits):.2f} s   target < 1 s")
    print(f"  rebuilt per save: {sorted({', '.join(map(str, b)) for b in builds})}")


if __name__ == "__main__":
    main()
