"""The complete example in docs/content-format.md is a pack an author can
start from: written out as files, it passes `check` with no warning."""

from __future__ import annotations

import re
from pathlib import Path

from soundtrack_tui.core.loader import read_pack

DOC = Path(__file__).parent.parent / "docs" / "content-format.md"
_BLOCK = re.compile(r"`([\w/.]+\.toml)`:\n\n```toml\n(.*?)```", re.DOTALL)


def test_the_documented_example_passes_check_cleanly(tmp_path: Path) -> None:
    text = DOC.read_text(encoding="utf-8")
    example = text[text.index("## A complete example") :]
    files = _BLOCK.findall(example)
    assert {name for name, _ in files} == {"show.toml", "episodes/01.toml", "characters.toml"}
    for name, body in files:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
    result = read_pack(tmp_path)
    assert [str(problem) for problem in result.problems] == []
    assert result.pack is not None and result.pack.show.tracks
