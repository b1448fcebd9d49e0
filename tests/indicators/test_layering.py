"""The indicators app's module structure: no import cycle, and the engine knows no rollup storage."""

import ast
import re
from pathlib import Path

import fazhi.indicators

PACKAGE = Path(fazhi.indicators.__file__).parent


def _local_imports(path: Path) -> set[str]:
    """The fazhi.indicators modules a module imports (at any level, also inside functions)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1:  # from .x import … / from . import x
                names = [node.module] if node.module else [a.name for a in node.names]
            elif node.module and node.module.startswith("fazhi.indicators"):
                rest = node.module.removeprefix("fazhi.indicators").lstrip(".")
                names = [rest] if rest else [a.name for a in node.names]
            else:
                continue
        elif isinstance(node, ast.Import):
            names = [a.name.removeprefix("fazhi.indicators.") for a in node.names
                     if a.name.startswith("fazhi.indicators.")]
        else:
            continue
        out |= {name.split(".")[0] for name in names}
    return out & {p.stem for p in PACKAGE.glob("*.py")}


def _graph() -> dict[str, set[str]]:
    return {path.stem: _local_imports(path) - {path.stem} for path in PACKAGE.glob("*.py")}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 visiting, 2 done
    stack: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        stack.append(module)
        for other in sorted(graph.get(module, ())):
            if state.get(other) == 1:
                return stack[stack.index(other):] + [other]
            if other not in state and (found := visit(other)):
                return found
        stack.pop()
        state[module] = 2
        return None

    for module in sorted(graph):
        if module not in state and (found := visit(module)):
            return found
    return None


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_indicator_modules_import_each_other_without_a_cycle():
    graph = _graph()
    assert "engine" in graph["selectors"] and "comparisons" in graph["engine"]  # the parser sees imports
    assert _cycle(graph) is None
    assert "engine" not in graph["comparisons"]  # a rank is the engine's second pass, not a second engine run


def test_the_engine_names_no_rollup_table_or_column():
    """The rollup storage is the registers app's (fazhi/registers/rollup_reads.py)."""
    source = (PACKAGE / "engine.py").read_text(encoding="utf-8")
    for pattern in [r"registers_recordrollup", r"RecordRollup", r"db_table", r"orgunitclosure", r"\bdim[12]\b",
                    r"\br\.\w+", r"ancestor_id", r"\bcursor\b", r"django\.db", r"\bSELECT\b", r"GROUP BY"]:
        assert not re.search(pattern, source), pattern
