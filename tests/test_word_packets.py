"""Word-only packets load only what Word needs, and workers make the same files as one process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from generator.documents.onboarding.batch import Packers, Settings
from generator.documents.onboarding.filenames import assign_stems
from generator.documents.onboarding.roster import load_roster
from generator.documents.project import Project
from generator.names import PACKET_FOLDER
from generator.paths import BUILTIN_CONTENT

ROSTER = BUILTIN_CONTENT / "roster.csv"
# The PDF side's libraries made unimportable, in this process and in every worker forked from it.
WITHOUT_PDF = """
import sys
sys.modules["weasyprint"] = sys.modules["pikepdf"] = None
from generator.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_word_packets_are_made_without_loading_weasyprint_and_match_one_process(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-c", WITHOUT_PDF, "-q", "build", "onboarding", "--roster", str(ROSTER),
                             "--out", str(out), "--format", "docx", "--jobs", "2"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    people = load_roster(ROSTER).recipients
    packers = Packers(Settings(Project(), tmp_path / "here", formats=("docx",)))
    folder = out / PACKET_FOLDER
    assert sorted(p.name for p in folder.glob("*.docx")) == sorted(f"{s}.docx" for s in assign_stems(
        [p.name for p in people]))
    for stem, person in zip(assign_stems([p.name for p in people]), people, strict=True):
        assert (folder / f"{stem}.docx").read_bytes() == packers[person.language].files(person)["docx"], stem
