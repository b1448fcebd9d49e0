import os
from pathlib import Path

import pytest

# ../shared/seeds next to the checkout; FAZHI_SEEDS names another folder (e.g. from a git worktree).
SEEDS = Path(os.environ.get("FAZHI_SEEDS") or Path(__file__).resolve().parents[2].parent / "shared" / "seeds")
SEED_2024 = SEEDS / "000_b0a4e5838c299365.txt"
SEED_2025 = SEEDS / "002_49524688bbb13a44.txt"


@pytest.fixture
def seed_2024() -> str:
    if not SEED_2024.is_file():
        pytest.skip("seed reports not available (../shared/seeds)")
    return SEED_2024.read_text(encoding="utf-8")


@pytest.fixture
def seed_2025() -> str:
    if not SEED_2025.is_file():
        pytest.skip("seed reports not available (../shared/seeds)")
    return SEED_2025.read_text(encoding="utf-8")
