"""The sweep over classic posters: every size, orientation and language, from two contents (tests/sweep.py)."""

from tests.sweep import poster_sweep

test_every_classic_poster_passes_every_rule = poster_sweep("classic")
