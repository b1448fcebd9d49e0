"""The role codes definitions may name: core/data/roles.yaml, the file the roles migrations load."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

ROLES_FILE = Path(__file__).resolve().parent / "data" / "roles.yaml"


@cache
def role_codes() -> frozenset[str]:
    return frozenset(row["code"] for row in yaml.safe_load(ROLES_FILE.read_text(encoding="utf-8")))
