"""Where the bundled Soundtrack #1 pack lives, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

PACK_NAME = "soundtrack-1"


def bundled_pack() -> Path:
    """The wheel ships the pack inside the package (`soundtrack_tui/packs/`);
    a source checkout or editable install finds it under `content/`."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "packs" / PACK_NAME
    if installed.is_dir():
        return installed
    return package.parent.parent / "content" / PACK_NAME
