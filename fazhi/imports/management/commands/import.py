"""`fazhi import FILE --into CODE …` and `fazhi import template --into CODE -o F.xlsx`."""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from fazhi.datasets.registry import UnknownDataset, dataset_definition
from fazhi.imports.errors import ImportFileError
from fazhi.imports.models import BatchMode
from fazhi.imports.services import dataset_import, import_run, mapping_save
from fazhi.imports.workbooks import dataset_template_workbook, template_workbook
from fazhi.registers.registry import UnknownRegister, register_definition

STREAM_BYTES = 20 * 1024 * 1024  # a file larger than this is read from the disk as it is imported


class Command(BaseCommand):
    help = "把 .xlsx/.xls/.csv 文件导入登记簿（先 --dry-run 检查），或生成登记簿的导入模板"

    def add_arguments(self, parser):
        parser.add_argument("file", help="要导入的文件；写 template 生成导入模板，写 mapping 保存导入映射")
        parser.add_argument("--into", required=True, help="登记簿或数据集代码，如 people_mediation、legal_publicity")
        parser.add_argument("--period", help="数据集：导入到的期间，如 2024、2024Q1、2024-03")
        parser.add_argument("--unit", help="文件没有“承办单位”列时导入到的单位（名称或行政区划代码）")
        parser.add_argument("--mapping", help="已保存的导入映射名称")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument("--keep-rejected", action="store_true", help="导入正确的行，错误行留待修改（默认整批全对才导入）")
        parser.add_argument("--user", help="以该用户的权限导入（默认：系统批处理）")
        parser.add_argument("--format", choices=["json", "table"], default="table")
        parser.add_argument("-o", "--output", help="template：模板保存路径")
        parser.add_argument("--name", help="mapping：导入映射名称（按来源系统命名）")
        parser.add_argument("--column", action="append", default=[], help="mapping：文件列名=字段代码，可重复")
        parser.add_argument("--value", action="append", default=[], help="mapping：字段代码:文件中的值=选项代码，可重复")

    def handle(self, *args, **options):
        try:
            definition = register_definition(options["into"])
        except UnknownRegister as exc:
            try:
                dataset = dataset_definition(options["into"])
            except UnknownDataset:
                raise CommandError(str(exc)) from None
            self._dataset(dataset, options)
            return
        if options["file"] == "template":
            self._template_write(template_workbook(definition), f"“{definition.name}”", options)
            return
        if options["file"] == "mapping":
            self._mapping_save(definition, options)
            return
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"没有用户 {options['user']}")
        # A large file is streamed from the disk (bounded memory) and not kept in the batch: run it again with
        # the file to commit after a dry run.
        streamed = path.stat().st_size > STREAM_BYTES
        result = import_run(acting_user=user, register=definition.code, filename=path.name,
                            content=None if streamed else path.read_bytes(), path=path if streamed else None,
                            unit=options["unit"], mapping=options["mapping"], dry_run=options["dry_run"],
                            mode=BatchMode.KEEP_REJECTED if options["keep_rejected"] else BatchMode.ALL_OR_NOTHING)
        if options["format"] == "json":
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
        else:
            state = "试导入" if result.dry_run else ("已导入" if result.committed else "整批未导入")
            self.stdout.write(f"批次 #{result.batch}（{state}）：共 {result.rows} 行，新增 {result.accepted}，"
                              f"更新 {result.updated}，未变化 {result.unchanged}，未导入 {result.rejected}")
            if result.ignored_columns:
                self.stdout.write(f"未使用的列：{'、'.join(result.ignored_columns)}")
            for error in result.errors:
                self.stdout.write(f"  [{error.code}] {error.message}")
        if result.errors and not result.committed and not result.dry_run:
            raise SystemExit(1)

    def _template_write(self, workbook: bytes, label: str, options) -> None:
        if not options["output"]:
            raise CommandError("生成模板须用 -o 指定保存路径")
        Path(options["output"]).write_bytes(workbook)
        self.stdout.write(f"已生成{label}导入模板：{options['output']}")

    def _dataset(self, definition, options):
        """A data set: its template, or a unit's values of one period from a filled-in template."""
        if options["file"] == "template":
            self._template_write(dataset_template_workbook(definition), f"数据集“{definition.name}”", options)
            return
        path = Path(options["file"])
        if options["file"] == "mapping" or not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        if not options["unit"] or not options["period"]:
            raise CommandError("导入数据集须用 --unit 和 --period 指定单位和期间")
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"没有用户 {options['user']}")
        result = dataset_import(acting_user=user, dataset=definition.code, content=path.read_bytes(),
                                filename=path.name, unit=options["unit"], period=options["period"],
                                dry_run=options["dry_run"])
        if options["format"] == "json":
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
        else:
            state = "试导入" if result.dry_run else ("已导入" if result.committed else "未导入")
            self.stdout.write(f"“{definition.name}” {options['unit']} {options['period']}（{state}）："
                              f"{result.rows} 个数值，变更 {result.changed} 个")
            for error in result.errors:
                self.stdout.write(f"  [{error.code}] {error.message}")
        if result.errors:
            raise SystemExit(1)

    def _mapping_save(self, definition, options):
        if not options["name"]:
            raise CommandError("保存导入映射须用 --name 指定名称")
        columns: dict[str, str] = {}
        values: dict[str, dict[str, str]] = {}
        for item in options["column"]:
            header, sep, key = item.partition("=")
            if not sep or not header.strip() or not key.strip():
                raise CommandError(f"--column 应写成 文件列名=字段代码，收到“{item}”")
            columns[header.strip()] = key.strip()
        for item in options["value"]:
            code, sep, rest = item.partition(":")
            raw, sep2, choice = rest.partition("=")
            if not sep or not sep2 or not code.strip() or not raw.strip() or not choice.strip():
                raise CommandError(f"--value 应写成 字段代码:文件中的值=选项代码，收到“{item}”")
            values.setdefault(code.strip(), {})[raw.strip()] = choice.strip()
        try:
            mapping_save(acting_user=None, register=definition.code, name=options["name"], columns=columns,
                         values=values)
        except ImportFileError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"已保存“{definition.name}”的导入映射“{options['name']}”：{len(columns)} 列，"
                          f"{sum(len(v) for v in values.values())} 个值")
