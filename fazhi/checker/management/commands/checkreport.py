"""``checkreport FILE``: check a report (.txt/.docx/.pdf); also reached as ``fazhi check 报告.docx``.

Exit status: 0 no error-level finding, 1 at least one error-level finding, 2 unreadable input.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from fazhi.checker.extract import ReportInputError, check_text, extract_text
from fazhi.checker.render import RENDERERS, stream_json
from fazhi.checker.service import guess_year, report_check

EXIT_FINDINGS = 1
EXIT_UNREADABLE = 2


class _Raw:
    """Django's OutputWrapper without the newline it appends to every write."""

    def __init__(self, wrapper):
        self.wrapper = wrapper

    def write(self, s: str) -> None:
        self.wrapper.write(s, ending="")


class Command(BaseCommand):
    help = "检查法治政府建设报告中的数字、比率、前后表述和提纲（.txt/.docx/.pdf）"

    def add_arguments(self, parser):
        parser.add_argument("file", help="报告文件（.txt、.docx 或 .pdf）")
        parser.add_argument("--unit", help="报告单位，如 东洲区（用于与平台数据比对）")
        parser.add_argument("--year", type=int, help="报告年度，如 2024")
        parser.add_argument("--format", choices=sorted(RENDERERS), default="table", help="输出格式")
        parser.add_argument("-o", "--output", help="输出文件（默认输出到屏幕）")
        parser.add_argument("--text-out", help="把提取出的纯文本写入此文件（偏移量以它为准）")
        whole = parser.add_mutually_exclusive_group()
        whole.add_argument("--whole", dest="whole_report", action="store_const", const=True, default=None,
                           help="按完整报告检查（检查规定的五个部分）")
        whole.add_argument("--excerpt", dest="whole_report", action="store_const", const=False,
                           help="按报告片段检查（如部门提交的一节），不检查规定部分")

    def handle(self, *args, **options):
        try:
            text = check_text(extract_text(options["file"]))
        except ReportInputError as exc:
            self.stderr.write(f"无法读取报告：{exc.message}")
            sys.exit(EXIT_UNREADABLE)
        from fazhi.checker.platform_source import PlatformIndicatorSource, guess_unit

        unit, year = options["unit"] or guess_unit(text), options["year"] or guess_year(text)
        whole = options["whole_report"]
        source = PlatformIndicatorSource() if unit and year else None
        if options["text_out"]:
            Path(options["text_out"]).write_text(text, encoding="utf-8")
        if options["format"] == "json":
            # Streamed claim by claim, so that huge inputs run in bounded memory.
            if options["output"]:
                with open(options["output"], "w", encoding="utf-8") as out:
                    has_errors, _ = stream_json(out, text=text, unit=unit, year=year, whole_report=whole,
                                                indicator_source=source)
            else:
                has_errors, _ = stream_json(_Raw(self.stdout), text=text, unit=unit, year=year,
                                            whole_report=whole, indicator_source=source)
        else:
            result = report_check(text=text, unit=unit, year=year, whole_report=whole, indicator_source=source)
            rendered = RENDERERS[options["format"]](result)
            if options["output"]:
                Path(options["output"]).write_text(rendered, encoding="utf-8")
            else:
                self.stdout.write(rendered, ending="")
            has_errors = result.has_errors
        for note in source.notes if source else []:
            self.stderr.write(f"提示：{note}")
        if has_errors:
            sys.exit(EXIT_FINDINGS)
