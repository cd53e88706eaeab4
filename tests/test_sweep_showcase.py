"""The sweep over showcase posters: every size, orientation and language, from two contents (tests/sweep.py)."""

from tests.sweep import poster_sweep

test_every_showcase_poster_passes_every_rule = poster_sweep("showcase")
