"""``python -m generator``: the same as the ``missionpress`` command."""

import sys

from generator.cli import main

sys.exit(main())
