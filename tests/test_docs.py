"""The documentation site builds, and the sessions in its pages print what the pages say.

How a page shows a session (docs/*.md), so that this test can run it:

- A ```console block is a session. A line starting with ``$ `` is a command; the lines right after
  it that start with ``> `` continue it (a here-document, a quoted argument over several lines), as
  a shell shows them. Every other line, up to the next command, is what the command printed, its
  standard output and standard error together, as a terminal shows them.
- A ```python block followed by a paragraph containing "It prints" and a plain ``` block is run
  as a script, and what it prints on standard output is compared with that block (its log goes
  to standard error, as a program's would, and is not compared; the script must not fail).
- The sessions of a page run one after another in a fresh folder of their own, laid out like a
  checkout: a copy of the repository's ``content/``, and ``templates/`` (a link to the repository's,
  to copy from). ``missionpress`` is the one installed in the virtual environment running the tests.
  A command may use what an earlier command of the same page made; pages do not share anything.
- Output is compared after these normalisations, applied to both sides:
  durations and rates (``2.2 s``, ``3.4 packets/s``) become ``N``; the session folder's own path
  is written ``/tmp/demo`` in the pages; the progress lines of packets made in parallel
  (``[2/6] jose-nunez-ortega-4d943acd``) are compared in name order, since workers finish in any order.
- ``<!-- docs-test: skip REASON -->`` on the line before a block leaves it out, with the reason
  said: it needs a server running (the web app), LibreOffice or a reader the page shows, another
  build at the same moment, or takes longer than this test's budget (benchmarks). Such blocks
  are still real sessions, run by hand and pasted.

To paste what the commands print now into a page: ``.venv/bin/python tests/test_docs.py docs/PAGE.md``
(it rewrites the outputs of the page's sessions, keeping everything else).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SHOWN_FOLDER = "/tmp/demo"
SKIP = re.compile(r"<!--\s*docs-test:\s*skip\b(.*?)-->")
FENCE = re.compile(r"^(\s*)```(\w*)\s*$")
COMMAND_TIMEOUT = 180


@dataclass
class Session:
    """One block of a page: where it starts, its kind, and its commands with what they printed."""

    line: int
    kind: str  # "console" or "python"
    indent: str
    steps: list[tuple[str, list[str]]] = field(default_factory=list)
    # For a python block: the line span of the block whose text is the expected output.
    output_span: tuple[int, int] | None = None


def _blocks(lines: list[str]) -> list[tuple[int, int, str, str, bool]]:
    """Every fenced block: (first content line, end fence line, language, indent, skipped)."""
    blocks = []
    i = 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if not opening:
            i += 1
            continue
        indent, language = opening.groups()
        end = next(j for j in range(i + 1, len(lines)) if lines[j].strip() == "```")
        before = next((lines[j] for j in range(i - 1, -1, -1) if lines[j].strip()), "")
        skipped = SKIP.search(before)
        assert not skipped or skipped.group(1).strip(), f"line {i}: a skipped session says why"
        blocks.append((i + 1, end, language, indent, bool(skipped)))
        i = end + 1
    return blocks


def sessions(page: Path) -> list[Session]:
    """The sessions of a page this test runs (skipped blocks left out)."""
    lines = page.read_text(encoding="utf-8").split("\n")
    blocks = _blocks(lines)
    found = []
    for number, (start, end, language, indent, skipped) in enumerate(blocks):
        body = [line[len(indent):] for line in lines[start:end]]
        if skipped:
            continue
        if language == "console":
            session = Session(start, "console", indent)
            for line in body:
                if line.startswith("$ "):
                    session.steps.append((line[2:], []))
                elif line.startswith("> ") and session.steps and not session.steps[-1][1]:
                    command, printed = session.steps[-1]
                    session.steps[-1] = (command + "\n" + line[2:], printed)
                elif session.steps:
                    session.steps[-1][1].append(line)
                else:
                    raise AssertionError(f"{page.name}:{start + 1}: a console block starts with a command ($ )")
            found.append(session)
        elif language == "python" and number + 1 < len(blocks):
            between = "\n".join(lines[end + 1:blocks[number + 1][0] - 1])
            if "It prints" in between and blocks[number + 1][2] == "":
                session = Session(start, "python", indent, [("\n".join(body), [])])
                out_start, out_end = blocks[number + 1][:2]
                session.steps[0][1].extend(line[len(indent):] for line in lines[out_start:out_end])
                session.output_span = (out_start, out_end)
                found.append(session)
    return found


PACKET = re.compile(r"^\[\d+/(\d+)\] ([a-z0-9-]+-[0-9a-f]{8})$")


def normalise(text: str, folder: str | None = None) -> str:
    """What is compared: the documented normalisations applied (see the module's docstring)."""
    if folder:
        text = text.replace(folder, SHOWN_FOLDER)
    text = re.sub(r"\b\d+(\.\d+)? (s\b|packets/s)", r"N \2", text)
    lines, run = [], []
    for line in [*text.split("\n"), None]:
        match = PACKET.match(line) if line is not None else None
        if match:
            run.append(match)
            continue
        if run:
            names = sorted(m.group(2) for m in run)
            lines += [f"[{i}/{run[0].group(1)}] {name}" for i, name in enumerate(names, 1)]
            run = []
        if line is not None:
            lines.append(line)
    return "\n".join(lines).rstrip("\n")


def _environment(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "COV_"))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONUNBUFFERED"] = "1"  # standard output and error in the order a terminal shows them
    env["HOME"] = str(folder)
    env.pop("FONTCONFIG_FILE", None)
    return env


def _workplace(folder: Path) -> None:
    shutil.copytree(ROOT / "content", folder / "content")
    (folder / "templates").symlink_to(ROOT / "templates")


def run(command: str, folder: Path, kind: str = "console") -> str:
    """Run one command (or python script) in the folder; what it printed, stdout and stderr together."""
    argv = ["bash", "-c", command] if kind == "console" else [sys.executable, "-c", command]
    done = subprocess.run(argv, cwd=folder, env=_environment(folder), stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT if kind == "console" else subprocess.PIPE,
                          text=True, timeout=COMMAND_TIMEOUT, check=False)
    assert kind == "console" or done.returncode == 0, done.stderr
    return done.stdout


def _pages_with_sessions() -> list[Path]:
    return [page for page in sorted(DOCS.glob("*.md")) if sessions(page)]


def test_the_site_builds_strictly(tmp_path: Path) -> None:
    """Every page is in the navigation, every link and picture resolves, no warning."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
                          cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
    assert done.returncode == 0, done.stdout
    assert (tmp_path / "site" / "index.html").is_file()
    built = {p.relative_to(DOCS).with_suffix("") for p in DOCS.glob("*.md")}
    for page in built - {Path("index")}:
        assert (tmp_path / "site" / page / "index.html").is_file(), page


@pytest.mark.parametrize("page", _pages_with_sessions(), ids=lambda page: page.name)
def test_the_sessions_print_what_the_page_says(page: Path, tmp_path: Path) -> None:
    folder = tmp_path.resolve()
    _workplace(folder)
    for session in sessions(page):
        for command, printed in session.steps:
            got = normalise(run(command, folder, session.kind), str(folder))
            want = normalise("\n".join(printed))
            where = f"{page.relative_to(ROOT)}:{session.line}: {command.splitlines()[0]}"
            assert got == want, f"{where}\nthe page says:\n{want}\nthe command printed:\n{got}"


def test_a_session_is_parsed_and_normalised_as_documented(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("\n".join([
        "```console", "$ cat > a.txt <<'EOF'", "> one", "> EOF", "$ cat a.txt", "one", "```",
        "<!-- docs-test: skip needs a server -->", "```console", "$ curl http://127.0.0.1:8000/", "```",
        "```python", "print(1)", "```", "It prints:", "```", "1", "```",
    ]), encoding="utf-8")
    found = sessions(page)
    assert [s.kind for s in found] == ["console", "python"]
    assert found[0].steps == [("cat > a.txt <<'EOF'\none\nEOF", []), ("cat a.txt", ["one"])]
    assert found[1].steps == [("print(1)", ["1"])]
    assert run(found[0].steps[0][0], tmp_path) == "" and run("cat a.txt", tmp_path) == "one\n"
    page.write_text("<!-- docs-test: skip -->\n```console\n$ true\n```\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="says why"):
        sessions(page)
    shown = "built 2 files in /x/out (2.2 s)\n[2/2] bo-chen-d73c9c8f\n[1/2] ana-diaz-9f953da6\n(0.9 s, 3.4 packets/s)"
    assert normalise(shown, "/x") == (
        "built 2 files in /tmp/demo/out (N s)\n[1/2] ana-diaz-9f953da6\n[2/2] bo-chen-d73c9c8f\n(N s, N packets/s)")


def test_the_readme_is_short_and_its_links_resolve() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 200
    assert "make build" in readme.split("\n## ")[0] and "make test" in readme.split("\n## ")[0]
    links = re.findall(r"\]\(([^)#]+)\)", readme)
    assert "docs/getting-started.md" in links and "docs/poster-and-packet.png" in links
    for link in links:
        if not link.startswith("http"):
            assert (ROOT / link).exists(), link
    for listed in (".ci/apt-runtime", ".ci/apt-test"):
        assert listed in readme


def test_make_build_installs_no_test_only_package() -> None:
    """`make build` installs .ci/apt-runtime alone; `make test` and .ci/run install .ci/apt-test too."""
    runtime = (ROOT / ".ci/apt-runtime").read_text(encoding="utf-8").split()
    test_only = (ROOT / ".ci/apt-test").read_text(encoding="utf-8").split()
    assert not set(runtime) & set(test_only)
    assert {"libpango-1.0-0", "libharfbuzz-subset0"} <= set(runtime)
    assert {"libreoffice-writer-nogui", "chromium", "chromium-driver", "poppler-utils", "qpdf"} <= set(test_only)

    def dry_run(target: str) -> str:
        done = subprocess.run(["make", "-n", "-W", "pyproject.toml", target], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, check=True)
        return done.stdout

    build, test = dry_run("build"), dry_run("test")
    assert ".ci/apt-runtime" in build and ".ci/apt-test" not in build
    assert ".ci/apt-runtime" in test and ".ci/apt-test" in test
    ci = (ROOT / ".ci/run").read_text(encoding="utf-8")
    assert ".ci/apt-runtime" in ci and ".ci/apt-test" in ci


def _paste(page: Path) -> None:
    """Rewrite the outputs of a page's sessions with what the commands print now.

    An output that differs only in what the comparison ignores (timings, packet order) is kept as
    it is, so a page changes only where the program did.
    """
    lines = page.read_text(encoding="utf-8").split("\n")
    shown: list[str] = []

    def printed_now(command: str, before: list[str], folder: Path, kind: str) -> list[str]:
        got = run(command, folder, kind).rstrip("\n")
        shown.append(f"$ {command.splitlines()[0]}\n{got}")
        if normalise(got, str(folder)) == normalise("\n".join(before)):
            return before
        return got.replace(str(folder), SHOWN_FOLDER).split("\n") if got else []

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch).resolve()
        _workplace(folder)
        replacements: list[tuple[int, int, list[str]]] = []
        for session in sessions(page):
            if session.kind == "python":
                assert session.output_span
                command, before = session.steps[0]
                got = printed_now(command, before, folder, "python")
                replacements.append((*session.output_span, [session.indent + x for x in got]))
                continue
            end = next(j for j in range(session.line, len(lines)) if lines[j].strip() == "```")
            new: list[str] = []
            for command, before in session.steps:
                first, *rest = command.split("\n")
                new += [session.indent + "$ " + first] + [session.indent + "> " + x for x in rest]
                new += [session.indent + x for x in printed_now(command, before, folder, "console")]
            replacements.append((session.line, end, new))
    for start, end, new in sorted(replacements, reverse=True):
        lines[start:end] = new
    page.write_text("\n".join(lines), encoding="utf-8")
    print("\n\n".join(shown))


if __name__ == "__main__":
    for name in sys.argv[1:]:
        _paste(Path(name))
