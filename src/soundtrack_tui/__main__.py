"""Allow `python -m soundtrack_tui`."""

import sys

from soundtrack_tui.cli import main

sys.exit(main())
