"""Word packets made in batch are byte for byte what writing each whole document from scratch makes."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.documents.onboarding.batch import TEMPLATE, Packers, Settings
from generator.documents.onboarding.roster import load_roster
from generator.documents.project import Project
from generator.docx import reuse
from generator.paths import BUILTIN_CONTENT


def test_every_sample_packet_docx_equals_the_whole_document_written_from_scratch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = Project(BUILTIN_CONTENT)
    people = load_roster(BUILTIN_CONTENT / "roster.csv").recipients
    packers = Packers(Settings(project, tmp_path, formats=("docx",)))
    made = [packers[p.language].files(p)["docx"] for p in people]  # styles reused from the first packet on
    assert len({p.language for p in people}) > 1 and len(set(made)) == len(people)
    monkeypatch.setattr(reuse, "ENABLED", False)
    for person, docx in zip(people, made, strict=True):
        packer = packers[person.language]
        assert docx == project.docx(packer.html(person, word=True), packer.sheet, TEMPLATE), person.name
