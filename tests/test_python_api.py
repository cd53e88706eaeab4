"""The public Python API: its names, its imports, its projects and its errors.

The example of docs/python-api.md runs as written in tests/test_docs.py.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

import generator as mp
from generator.paths import BUILTIN_CONTENT


def test_the_public_names_are_declared_and_resolve() -> None:
    import generator.check.run  # noqa: F401  (a subpackage's name must not shadow a public name)

    for name in mp.__all__:
        assert callable(getattr(mp, name)), name
    with pytest.raises(AttributeError):
        mp.no_such_name  # noqa: B018


def test_importing_the_package_changes_nothing_in_the_process() -> None:
    script = ("import os; before = dict(os.environ); import generator, generator.cli; "
              "assert dict(os.environ) == before, set(os.environ) ^ set(before); "
              "import sys; assert 'weasyprint' not in sys.modules and 'docx' not in sys.modules")
    env = {k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"}
    subprocess.run([sys.executable, "-c", script], check=True, env=env)


def test_a_project_travels_to_workers_as_its_folders() -> None:
    project = mp.Project(BUILTIN_CONTENT)
    assert project.theme is not None  # loaded and cached
    copy = pickle.loads(pickle.dumps(project))
    assert (copy.content, copy.templates) == (project.content, None)
    assert "theme" not in vars(copy)


def test_a_project_without_a_statement_names_the_folder(tmp_path: Path) -> None:
    with pytest.raises(mp.MissionpressError) as caught:
        mp.Project(tmp_path)
    assert caught.value.field == "content" and "no statement.yaml" in str(caught.value)


def test_library_errors_name_fields_and_the_command_names_flags(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from generator.cli import main

    a_file = tmp_path / "a-file"
    a_file.write_text("x", encoding="utf-8")
    with pytest.raises(mp.MissionpressError) as caught:
        mp.build(mp.Request("poster"), mp.Project(), out=a_file)
    assert caught.value.field == "out" and str(caught.value).startswith(f"out {a_file}: is a file")
    with pytest.raises(mp.MissionpressError) as caught:
        mp.PrintOptions(marks=("stars",))
    assert caught.value.field == "marks"
    assert main(["build", "poster", "--out", str(a_file)]) == 2
    assert capsys.readouterr().err.startswith(f"error: --out {a_file}: is a file")
