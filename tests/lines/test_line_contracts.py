"""Every business line's contract (tests/lines/support.py: check_line_demo), each on its own demo: the
builder runs and is idempotent, records replay to their state, each seed figure the line lists comes
out of the engine equal to the report, and the line's own rules hold on that data."""

import pytest

from .support import LINES_DIR, check_line_demo

LINES = sorted(p.parent.name for p in LINES_DIR.glob("*/demo.py"))


def test_every_line_has_definitions_indicators_and_a_demo():
    for line in sorted(p.name for p in LINES_DIR.iterdir() if p.is_dir() and not p.name.startswith("__")):
        folder = LINES_DIR / line
        assert list(folder.glob("register*.yaml")) or (folder / "dataset.yaml").exists(), line
        assert (folder / "indicators.yaml").exists() and (folder / "demo.py").exists(), line


@pytest.mark.parametrize("line", LINES)
def test_line_demo(db, line):
    check_line_demo(line)
