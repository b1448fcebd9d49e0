"""The API docs page's groups in Chinese: drf-spectacular names each operation's tag after its first path
segment (`records`, `report-sections`, …); this postprocessing hook gives those tags Chinese names and says
what each group is for, so Swagger UI's headings are Chinese like the rest of fazhi."""

from __future__ import annotations

from typing import Any

# path segment → (Chinese tag, what the group holds)
TAGS = {
    "default": ("接口目录", "列出全部接口"),
    "definitions": ("定义", "登记簿、数据集与指标的定义"),
    "records": ("登记记录", "查询、更正记录，按流程办理（须带读取时的 version）"),
    "indicators": ("指标", "单位、期间的指标值（与命令行 fazhi indicators 的 JSON 相同）"),
    "report-sections": ("报告分工", "年度报告的分工撰写：查看、提交、审核"),
    "imports": ("导入", "Excel/CSV 试导入与正式导入（与命令行 fazhi import 的 JSON 相同）"),
    "schema": ("接口描述", "OpenAPI 描述文件"),
}


def schema_tags_chinese(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    used: list[str] = []
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or "tags" not in operation:
                continue
            operation["tags"] = [TAGS.get(tag, (tag, ""))[0] for tag in operation["tags"]]
            used += [t for t in operation["tags"] if t not in used]
    described = {name: text for name, text in TAGS.values()}
    result["tags"] = [{"name": tag, **({"description": described[tag]} if described.get(tag) else {})}
                      for tag in used]
    return result
