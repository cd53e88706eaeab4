"""The wheel carries the templates, fonts and default content: `missionpress build` works anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.test_cli import DEFAULT_FILES

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
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


def test_installed_wheel_builds_from_another_folder(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run(
        [sys.executable, "-c", "import generator, sys; print(generator.__file__); "
         "from generator.cli import main; sys.exit(main(['build']))"],
        cwd=elsewhere, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(str(target))
    assert sorted(p.name for p in (elsewhere / "output").iterdir()) == DEFAULT_FILES
