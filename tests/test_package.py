"""The package as a user installs it: `pip install` the wheel into a fresh environment and build.

The wheel is built once per session and installed *with its dependencies* into a new virtual
environment that sees no other packages (pip may take them from its cache). From an empty folder
outside the checkout, the installed `missionpress` builds a poster, a handbook and a two-person
packet, and real readers (qpdf, poppler, `missionpress check`) read what it made.
"""

from __future__ import annotations

import ast
import importlib.metadata
import json
import os
import re
import subprocess
import sys
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest

from tests.readers import pdftotext, require_tool

ROOT = Path(__file__).parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
TWO_PEOPLE = ("name,preferred_name,role,start_date,language\n"
              "Ana Lucero,,Nurse,2026-08-17,\nBen Okafor,,Analyst,2026-08-24,es\n")


def _requirement_name(requirement: str) -> str:
    return re.sub(r"[-_.]+", "-", re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0]).lower()


def test_every_runtime_import_is_a_declared_dependency() -> None:
    """Each third-party module generator/ imports comes from a distribution in `dependencies`."""
    imported: dict[str, set[str]] = {}
    for source in (ROOT / "generator").rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module else []
            for name in names:
                imported.setdefault(name.split(".")[0], set()).add(str(source.relative_to(ROOT)))
    third_party = {m: files for m, files in imported.items() if m not in sys.stdlib_module_names and m != "generator"}
    declared = {_requirement_name(r) for r in PYPROJECT["project"]["dependencies"]}
    distributions = importlib.metadata.packages_distributions()
    undeclared = {}
    for module, files in sorted(third_party.items()):
        names = {_requirement_name(d) for d in distributions.get(module, [module])}
        if not names & declared:
            undeclared[module] = sorted(files)
    assert not undeclared, f"imported at run time but not in [project] dependencies: {undeclared}"
    assert {"pikepdf", "pdfplumber", "weasyprint"} <= declared


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist), str(ROOT)],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    (path,) = dist.glob("missionpress-*.whl")
    return path


def test_wheel_holds_templates_fonts_and_content(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in ("generator/_data/templates/poster.html", "generator/_data/templates/css/poster.css",
                     "generator/_data/templates/fonts/NotoSans-Regular.ttf",
                     "generator/_data/templates/fonts/OFL.txt", "generator/_data/content/statement.yaml",
                     "generator/_data/content/documents.yaml", "generator/serve/templates/poster.html",
                     "generator/serve/static/serve.js"):
        assert expected in names
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    requires = {_requirement_name(line.split(":", 1)[1].strip()) for line in metadata.splitlines()
                if line.startswith("Requires-Dist:") and "extra ==" not in line}
    assert {"pikepdf", "pdfplumber", "weasyprint"} <= requires


def _clean_env() -> dict[str, str]:
    """The environment without anything pointing Python at the checkout or the test environment."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment (no system site-packages) with the wheel and its dependencies."""
    env_dir = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=False, system_site_packages=False, clear=True).create(env_dir)
    result = subprocess.run(  # this environment's pip installs into the new one (faster than ensurepip)
        [*_pip(env_dir), "install", "-q", "--no-compile", str(wheel)], capture_output=True, text=True, env=_clean_env(),
    )
    assert result.returncode == 0, f"pip install of the wheel with its dependencies failed:\n{result.stderr[-3000:]}"
    return env_dir


def _pip(env_dir: Path) -> list[str]:
    return [sys.executable, "-m", "pip", "--disable-pip-version-check", "--python", str(env_dir / "bin" / "python")]


def _run(env_dir: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(env_dir / "bin" / "missionpress"), *args], cwd=cwd, capture_output=True, text=True,
                          env=_clean_env())


@pytest.fixture(scope="module")
def elsewhere(installed: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty folder outside the checkout where the installed command built three documents."""
    folder = tmp_path_factory.mktemp("elsewhere")
    assert not any(folder.iterdir())
    for args in (["build", "poster"], ["build", "handbook", "--format", "pdf"]):
        result = _run(installed, folder, *args)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
    (folder / "two.csv").write_text(TWO_PEOPLE, encoding="utf-8")
    result = _run(installed, folder, "build", "onboarding", "--roster", "two.csv", "--format", "pdf", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    return folder


def test_installed_package_is_the_wheel_in_a_clean_environment(installed: Path, elsewhere: Path) -> None:
    probe = ("import generator, json, sys, importlib.util as u; print(json.dumps({'file': generator.__file__, "
             "'path': sys.path, 'pytest': u.find_spec('pytest') is not None}))")
    result = subprocess.run([str(installed / "bin" / "python"), "-c", probe], cwd=elsewhere, capture_output=True,
                            text=True, env=_clean_env(), check=True)
    found = json.loads(result.stdout)
    assert found["file"].startswith(str(installed))
    assert not any(str(ROOT) == entry or entry.startswith(str(ROOT) + os.sep) for entry in found["path"])
    assert found["pytest"] is False  # nothing of the test environment leaks in


def test_installed_package_builds_poster_handbook_and_packets(elsewhere: Path) -> None:
    qpdf = require_tool("qpdf")
    out = elsewhere / "output"
    pdfs = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf"))
    assert len(pdfs) == 4 and pdfs[0] == "handbook-letter.pdf" and pdfs[-1] == "poster-letter.pdf"
    assert pdfs[1].startswith("onboarding/ana-lucero-") and pdfs[2].startswith("onboarding/ben-okafor-")
    for pdf in out.rglob("*.pdf"):
        check = subprocess.run([qpdf, "--check", str(pdf)], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
    assert "Vision" in pdftotext(out / "poster-letter.pdf")
    assert "Contents" in pdftotext(out / "handbook-letter.pdf")
    packets = {p.name: pdftotext(p) for p in (out / "onboarding").glob("*.pdf")}
    assert any("Welcome, Ana" in text for text in packets.values())
    assert any("Ben" in text and "bienvenida" in text for text in packets.values())


def test_installed_check_passes_what_it_built(installed: Path, elsewhere: Path) -> None:
    result = _run(installed, elsewhere, "check", "output")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("4 passed, 0 failed")


def test_installed_weasyprint_is_the_newest_release_in_range(installed: Path) -> None:
    """pip gave the environment the newest WeasyPrint release the declared range allows."""
    pip = _pip(installed)
    shown = subprocess.run([*pip, "show", "weasyprint"], capture_output=True, text=True, env=_clean_env(), check=True)
    version = re.search(r"^Version: (\S+)", shown.stdout, re.M)
    offered = subprocess.run([*pip, "index", "versions", "weasyprint"], capture_output=True, text=True,
                             env=_clean_env())
    assert version is not None and version.group(1).startswith("70.")
    if offered.returncode == 0:
        newest_in_range = next(v for v in re.findall(r"[\d.]+", offered.stdout.split("Available versions:")[1])
                               if v.startswith("70."))
        assert version.group(1) == newest_in_range
