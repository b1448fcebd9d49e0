from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "fazhi report --unit 东洲区 --year 2024 -o 东洲区2024.docx (.docx, .pdf, .html or .txt by extension)"

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True)
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("-o", "--output", required=True, type=Path)

    def handle(self, *args, unit: str, year: int, output: Path, **options):
        from fazhi.core.models import OrgUnit
        from fazhi.core.periods import period_parse
        from fazhi.indicators.selectors import snapshot_latest
        from fazhi.indicators.services import snapshot_freeze
        from fazhi.reports.registry import ReportOutlineUnavailable, report_outline
        from fazhi.reports.render import render_docx, render_html, render_text
        from fazhi.reports.selectors import report_document

        units = list(OrgUnit.objects.filter(name=unit))
        if len(units) != 1:
            raise CommandError(f"{'没有' if not units else '有多个'}名为“{unit}”的单位")
        suffix = output.suffix.lower()
        if suffix not in (".docx", ".pdf", ".html", ".txt"):
            raise CommandError("输出文件的扩展名应为 .docx、.pdf、.html 或 .txt")
        try:
            definition = report_outline()
        except ReportOutlineUnavailable as exc:
            raise CommandError(str(exc)) from exc
        period = period_parse(str(year))
        snapshot = snapshot_latest(None, org_unit=units[0], period=period)
        if snapshot is None:
            snapshot = snapshot_freeze(acting_user=None, org_unit=units[0], period=period, note="生成报告时自动冻结")
            self.stderr.write(f"提示：{unit}{period.label}尚无指标快照，已自动冻结一份。")
        doc = report_document(definition=definition, unit=units[0], period=period, snapshot=snapshot)
        if suffix == ".docx":
            output.write_bytes(render_docx(doc))
        elif suffix == ".pdf":
            from fazhi.reports.pdf import PdfUnavailable, docx_to_pdf

            try:
                output.write_bytes(docx_to_pdf(render_docx(doc)))
            except PdfUnavailable as exc:
                raise CommandError(str(exc)) from exc
        elif suffix == ".html":
            output.write_text(render_html(doc), encoding="utf-8")
        else:
            output.write_text(render_text(doc), encoding="utf-8")
        self.stdout.write(f"已生成 {output}（{len(doc.figures())} 个数字均取自 {snapshot.created_at:%Y-%m-%d %H:%M} 的快照）")
