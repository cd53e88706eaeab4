"""``python -m generator``: the same as the ``missionpress`` command."""

from generator.cli import run

run()
