"""Finding kinds, severities and the Finding record (codes are enums so tests don't depend on wording)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class FindingKind(enum.StrEnum):
    SUM_MISMATCH = "sum_mismatch"
    RATE_MISMATCH = "rate_mismatch"
    FLOW_MISMATCH = "flow_mismatch"
    YOY_MISMATCH = "yoy_mismatch"
    SAME_SUBJECT_DIFFERENT_VALUE = "same_subject_different_value"
    CONTRADICTION = "contradiction"
    NUMBERING = "numbering"
    MISSING_PART = "missing_part"
    PARTIAL_PERIOD = "partial_period"
    DATA_MISMATCH = "data_mismatch"
    FORCED_ROUNDING = "forced_rounding"
    WRONG_CITATION = "wrong_citation"
    MISSING_UNIT = "missing_unit"


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


DEFAULT_SEVERITY: dict[FindingKind, Severity] = {
    FindingKind.SUM_MISMATCH: Severity.ERROR,
    FindingKind.RATE_MISMATCH: Severity.ERROR,
    FindingKind.FLOW_MISMATCH: Severity.ERROR,
    FindingKind.YOY_MISMATCH: Severity.ERROR,
    FindingKind.SAME_SUBJECT_DIFFERENT_VALUE: Severity.WARNING,
    FindingKind.CONTRADICTION: Severity.ERROR,
    FindingKind.NUMBERING: Severity.WARNING,
    FindingKind.MISSING_PART: Severity.WARNING,
    FindingKind.PARTIAL_PERIOD: Severity.WARNING,
    FindingKind.DATA_MISMATCH: Severity.ERROR,
    FindingKind.FORCED_ROUNDING: Severity.WARNING,
    FindingKind.WRONG_CITATION: Severity.ERROR,
    FindingKind.MISSING_UNIT: Severity.WARNING,
}

KIND_LABELS: dict[FindingKind, str] = {
    FindingKind.SUM_MISMATCH: "合计不符",
    FindingKind.RATE_MISMATCH: "比率不符",
    FindingKind.FLOW_MISMATCH: "进出存不符",
    FindingKind.YOY_MISMATCH: "同比不符",
    FindingKind.SAME_SUBJECT_DIFFERENT_VALUE: "同一事项数值不一",
    FindingKind.CONTRADICTION: "前后矛盾",
    FindingKind.NUMBERING: "标题编号",
    FindingKind.MISSING_PART: "缺少规定部分",
    FindingKind.PARTIAL_PERIOD: "非全年数据",
    FindingKind.DATA_MISMATCH: "与平台数据不符",
    FindingKind.FORCED_ROUNDING: "比例凑整",
    FindingKind.WRONG_CITATION: "文件名称有误",
    FindingKind.MISSING_UNIT: "缺少单位",
}


@dataclass(slots=True)
class Finding:
    kind: FindingKind
    message: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    severity: Severity | None = None

    def __post_init__(self) -> None:
        if self.severity is None:
            self.severity = DEFAULT_SEVERITY[self.kind]

    def as_json(self) -> dict:
        return {
            "kind": str(self.kind),
            "severity": str(self.severity),
            "message": self.message,
            "spans": [[a, b] for a, b in self.spans],
        }
