"""The columns of a register's import file: what each header means, found by name and synonyms.

Every register has 编号 (the external id the upsert keys on), 承办单位 (unit name or 行政区划代码) and,
unless one of its fields feeds the opened_on column, 受理日期; then one column per field.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from fazhi.registers.definitions import FieldDef, FieldType, RecordColumn, RegisterDefinition

from .errors import ImportErrorCode, ImportFileError

EXTERNAL_ID = "external_id"
ORG_UNIT = "org_unit"
OPENED_ON = "opened_on"
STATUS = "status"
OUTCOME = "outcome"
CLOSED_ON = "closed_on"
# The state columns: a row's status (with its outcome and closing date) is reached by the register's
# transitions, which the importer derives (services._path), so the history is held to the same rules.
STATE_COLUMNS = {STATUS: "状态", OUTCOME: "结果", CLOSED_ON: "办结日期"}


@dataclass(frozen=True)
class Target:
    key: str  # EXTERNAL_ID, ORG_UNIT, OPENED_ON or a field code
    name: str  # the Chinese header a template and an export write
    required: bool
    field: FieldDef | None = None

    @property
    def is_identity(self) -> bool:
        """A column holding an 18-character identity number (身份证号 / 统一社会信用代码)."""
        if self.field is None:
            return False
        return self.field.type in (FieldType.PERSON, FieldType.ENTITY) or (
            self.field.type == FieldType.TEXT and ("身份证" in self.field.name or "信用代码" in self.field.name))


def header_normalize(text: object) -> str:
    """A header as compared: full-width forms folded (NFKC), spaces, line breaks and required-marks removed."""
    if text is None:
        return ""
    folded = unicodedata.normalize("NFKC", str(text))
    return "".join(ch for ch in folded if not ch.isspace() and ch not in "*＊").strip()


@cache
def synonyms() -> dict:
    return yaml.safe_load((Path(__file__).parent / "data" / "synonyms.yaml").read_text(encoding="utf-8"))


def register_targets(definition: RegisterDefinition) -> list[Target]:
    targets = [Target(EXTERNAL_ID, "编号", True), Target(ORG_UNIT, "承办单位", True)]
    if definition.column_field(RecordColumn.OPENED_ON) is None:
        targets.append(Target(OPENED_ON, "受理日期", True))
    targets += [Target(f.code, f.name, f.required, f) for f in definition.fields]
    if definition.transitions:
        targets += [Target(key, name, False) for key, name in STATE_COLUMNS.items()]
    return targets


def header_index(definition: RegisterDefinition, mapping_columns: dict[str, str] | None = None) -> dict[str, str]:
    """{normalised header: target key}: each target's own name first, then the saved mapping, then synonyms
    (a synonym never overrides a name another target owns)."""
    targets = register_targets(definition)
    index = {header_normalize(t.name): t.key for t in targets}
    for header, key in (mapping_columns or {}).items():
        index[header_normalize(header)] = key
    for t in targets:
        for alias in synonyms()["columns"].get(t.name, []):
            index.setdefault(header_normalize(alias), t.key)
    return index


@dataclass
class Layout:
    header_rows: int  # 1 or 2
    first_row: int  # 0-based index of the first header row
    columns: dict[int, str]  # column index → target key
    headers: dict[int, str]  # column index → header as shown
    ignored: list[str]  # headers the importer does not use (reported, never guessed)


def _row_headers(row: list) -> list[str]:
    return [header_normalize(c) for c in row]


def _filled(row: list[str]) -> list[str]:
    """A merged header cell holds its text in its first column only: carry it right over the empty ones."""
    out, last = [], ""
    for cell in row:
        last = cell or last
        out.append(last)
    return out


def _match(cells: list[str], index: dict[str, str], below: list[str] | None = None) -> tuple[dict[int, str], dict[int, str]]:
    columns: dict[int, str] = {}
    shown: dict[int, str] = {}
    top = _filled(cells) if below is not None else cells
    for j in range(max(len(cells), len(below or []))):
        upper = top[j] if j < len(top) else ""
        lower = (below[j] if below and j < len(below) else "")
        candidates = [lower, upper + lower, upper] if below is not None else [upper]
        for c in candidates:
            if c and c in index:
                columns[j], shown[j] = index[c], c
                break
        else:
            text = lower or upper
            if text:
                shown[j] = text
    return columns, shown


def layout_find(rows: list[list], index: dict[str, str]) -> Layout | None:
    """The header row(s) among the first ten rows: the one (or two, for a two-row header) naming most
    columns. None when no row names two columns."""
    best: tuple[int, Layout] | None = None
    for r in range(min(10, len(rows))):
        cells = _row_headers(rows[r])
        options = [(1, *_match(cells, index))]
        if r + 1 < len(rows):
            options.append((2, *_match(cells, index, _row_headers(rows[r + 1]))))
        for height, columns, shown in options:
            score = len(set(columns.values()))
            if score >= 2 and (best is None or score > best[0]):
                best = (score, Layout(height, r, columns, shown, []))
    if best is None:
        return None
    layout = best[1]
    layout.ignored = [h for j, h in sorted(layout.headers.items()) if j not in layout.columns]
    return layout


def layout_check(definition: RegisterDefinition, layout: Layout, *, has_default_unit: bool) -> None:
    """Refuse a layout with a target twice or without a required column."""
    seen: dict[str, int] = {}
    names = {t.key: t.name for t in register_targets(definition)}
    for j, key in sorted(layout.columns.items()):
        if key in seen:
            raise ImportFileError(ImportErrorCode.COLUMN_DUPLICATE,
                                  f"“{layout.headers[seen[key]]}”和“{layout.headers[j]}”两列都对应“{names[key]}”，"
                                  "请删除一列或保存导入映射指明")
        seen[key] = j
    missing = [t.name for t in register_targets(definition)
               if t.required and t.key not in seen and not (t.key == ORG_UNIT and has_default_unit)]
    if ORG_UNIT in missing and not has_default_unit and len(missing) == 1:
        raise ImportFileError(ImportErrorCode.UNIT_REQUIRED, "文件没有“承办单位”列：请指定导入到哪个单位")
    if missing:
        raise ImportFileError(ImportErrorCode.COLUMNS_MISSING, f"文件缺少必填列：{'、'.join(missing)}")


def own_score(definition: RegisterDefinition, rows: list[list]) -> int:
    """How many of the register's own field columns (not the three every register has) the file names."""
    layout = layout_find(rows, header_index(definition))
    if layout is None:
        return 0
    return len({k for k in layout.columns.values() if k not in (EXTERNAL_ID, ORG_UNIT, OPENED_ON, *STATE_COLUMNS)})
