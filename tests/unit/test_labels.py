"""Template labels: a missing translation is an error only where the caller asks for completeness."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.content.i18n import Messages
from generator.errors import MissionpressError


def test_labels_asked_inside_a_block_must_all_be_translated() -> None:
    labels = Messages("es", Path("es.po"), {"Mission": "Misión"})
    assert labels("Mission") == "Misión"
    with pytest.raises(MissionpressError, match=r'es\.po: no es translation for "Core Values", "Goals"'):
        with labels.complete():
            labels("Goals")
            labels("Mission")
            labels("Core Values")


def test_outside_a_block_a_missing_label_prints_in_english_and_is_forgotten() -> None:
    labels = Messages("es", None, {})
    assert labels("Goals") == "Goals"
    with labels.complete():  # nothing asked inside: nothing missing
        pass


def test_the_source_language_needs_no_catalog() -> None:
    with Messages("en").complete():
        assert Messages("en")("Goals") == "Goals"
