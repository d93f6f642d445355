"""Run the real `soundtrack` CLI in a subprocess, plain output, no stdin."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_soundtrack(
    *args: str, state: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "SOUNDTRACK_STATE_DIR": str(state), "NO_COLOR": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "soundtrack_tui", *args],
        capture_output=True,
        text=True,
        env=environment,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
