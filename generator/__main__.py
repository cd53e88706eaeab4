"""``python -m generator``: the same as the ``missionpress`` command."""

import sys

from .cli import main

sys.exit(main())
