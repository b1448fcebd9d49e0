"""The import contracts of pyproject.toml (DESIGN §3's layers, lines independent of each other) hold for
fazhi, and `lint-imports` really fails when one is broken: shown on a miniature copy of the package tree."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
PACKAGES = ["core", "registers", "datasets", "indicators", "reports", "checker", "web", "api", "accounts", "imports",
            "lines", "lines/people_mediation", "lines/legal_aid"]

pytestmark = pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is not installed")


def _lint(cwd: Path, pythonpath: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT_IMPORTS), "--config", str(cwd / "pyproject.toml"), "--no-cache"],
                          cwd=cwd, env={"PYTHONPATH": str(pythonpath), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=300)


def _miniature(tmp_path: Path, imports: dict[str, str]) -> Path:
    """A package `fazhi` with the project's layer packages, empty but for the given imports."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "fazhi").mkdir()
    (tmp_path / "fazhi" / "__init__.py").write_text("")
    (tmp_path / "fazhi" / "demo.py").write_text("")
    for package in PACKAGES + ["core/management", "core/management/commands"]:
        folder = tmp_path / "fazhi" / package
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "__init__.py").write_text("")
    (tmp_path / "fazhi" / "core" / "management" / "commands" / "demo.py").write_text("import fazhi.demo\n")
    # The contracts' ignored imports must exist in the miniature too (import-linter refuses an unmatched one).
    (tmp_path / "fazhi" / "reports" / "pdf_converter.py").write_text("")
    (tmp_path / "fazhi" / "core" / "management" / "commands" / "serve.py").write_text(
        "import fazhi.reports.pdf_converter\n")
    for module, source in imports.items():
        (tmp_path / "fazhi" / module).write_text(source)
    return tmp_path


def test_fazhi_keeps_its_contracts():
    result = _lint(ROOT, ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_miniature_without_violations_passes(tmp_path):
    result = _lint(_miniature(tmp_path, {"reports/builder.py": "import fazhi.indicators\n"}), tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("module", "source", "contract"), [
    ("core/services.py", "import fazhi.reports\n", "Layers"),
    ("indicators/engine.py", "import fazhi.web\n", "Layers"),
    ("registers/services.py", "import fazhi.datasets\n", "Layers"),
    ("checker/service.py", "import fazhi.lines.legal_aid\n", "Engines never import business lines"),
    ("lines/people_mediation/demo.py", "import fazhi.lines.legal_aid\n", "Business lines never import each other"),
    ("lines/legal_aid/demo.py", "import fazhi.api\n", "never the web or the API"),
])
def test_a_violation_breaks_lint(tmp_path, module, source, contract):
    result = _lint(_miniature(tmp_path, {module: source}), tmp_path)
    assert result.returncode != 0
    broken = [line for line in result.stdout.splitlines() if " BROKEN" in line]
    assert any(contract in line for line in broken), result.stdout
