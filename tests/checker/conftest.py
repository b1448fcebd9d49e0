from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
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
