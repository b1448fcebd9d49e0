"""Pages: upload a file for a dry run, see its per-row errors, commit it; templates, rejected rows, exports."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from fazhi.core import access
from fazhi.core.access import Perm, perm_required
from fazhi.core.params import ParamError
from fazhi.datasets.registry import UnknownDataset, dataset_definition, dataset_definitions
from fazhi.registers.listing import party_numbers_kept, record_filters_of_request
from fazhi.registers.registry import UnknownRegister, register_definition, register_definitions

from .errors import ImportErrorCode, ImportFileError
from .models import (
    BatchMode,
    BatchState,
    BatchStatus,
    ExportFile,
    ExportKind,
    ExportStatus,
    ImportBatch,
    ImportMapping,
)
from .selectors import batch_get, export_get, exports_visible
from .services import (
    ExportError,
    batch_commit,
    batch_rejected_workbook,
    dataset_import,
    export_party_ids,
    import_enqueue,
    import_run,
    mapping_save,
    table_export_enqueue,
)
from .services import table_export as table_export_service
from .tables import UnknownSubject, export_table
from .workbooks import dataset_template_workbook, template_workbook

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_MAX_UPLOAD = 20 * 1024 * 1024  # larger files go through `fazhi import` until background jobs exist


def _definition_or_404(code: str):
    try:
        return register_definition(code)
    except UnknownRegister:
        raise Http404 from None


def _batch_or_404(user, pk: int) -> ImportBatch:
    try:
        return batch_get(user, pk=pk)
    except ImportBatch.DoesNotExist:
        raise Http404 from None


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


@perm_required(Perm.RECORD_CREATE)
@require_http_methods(["GET", "POST"])
def index(request):
    definitions = [d for d in register_definitions()
                   if access.units_where(request.user, Perm.RECORD_CREATE, definition=d).exists()]
    error = ""
    if request.method == "POST":
        code = request.POST.get("register", "")
        upload = request.FILES.get("file")
        mode = request.POST.get("mode", BatchMode.ALL_OR_NOTHING)
        if code not in {d.code for d in definitions}:
            error = "请选择您可以登记的登记簿"
        elif upload is None:
            error = "请选择要导入的文件"
        elif upload.size > _MAX_UPLOAD:
            error = "文件超过 20MB，请用命令行 fazhi import 导入"
        elif mode not in BatchMode.values:
            error = "导入方式无效"
        else:
            unit = request.POST.get("unit", "").strip() or None
            mapping = request.POST.get("mapping", "").strip()[:60] or None
            if upload.size > settings.FAZHI_IMPORT_BACKGROUND_BYTES:  # a large file: a background job
                queued = import_enqueue(acting_user=request.user, register=code, content=upload.read(),
                                        filename=upload.name, unit=unit, dry_run=True, mode=mode, mapping=mapping)
                return redirect("imports:batch", pk=queued.pk)
            result = import_run(acting_user=request.user, register=code, content=upload.read(), filename=upload.name,
                                unit=unit, dry_run=True, mode=mode, mapping=mapping)
            return redirect("imports:batch", pk=result.batch)
    return render(request, "imports/index.html", {
        "definitions": definitions, "error": error, "modes": BatchMode.choices,
        "mappings": ImportMapping.objects.filter(register__in=[d.code for d in definitions]).order_by("register", "name"),
        "datasets": dataset_definitions(), "may_map": access.may_somewhere(request.user, Perm.IMPORT_MAPPING),
    }, status=400 if error else 200)


@perm_required(Perm.DATASET_ENTER)
@require_POST
def dataset_upload(request):
    """A unit's values of a data set for one period, from its filled-in template (the service asks who may
    enter them at the unit, and the data set's own rules); the result page lists each refused row."""
    code = request.POST.get("dataset", "")
    upload = request.FILES.get("file")
    try:
        definition = dataset_definition(code)
    except UnknownDataset:
        return render(request, "400.html", {"error": ParamError("dataset", "请选择数据集")}, status=400)
    if upload is None or upload.size > _MAX_UPLOAD:
        return render(request, "400.html", {"error": ParamError("file", "请选择 20MB 以内的文件")}, status=400)
    result = dataset_import(acting_user=request.user, dataset=definition.code, content=upload.read(),
                            filename=upload.name or "upload", unit=request.POST.get("unit", "").strip()[:100],
                            period=request.POST.get("period", "").strip()[:20],
                            dry_run=request.POST.get("dry_run") == "1")
    return render(request, "imports/dataset_result.html", {"definition": definition, "result": result},
                  status=200)


def _mapping_lines(columns_text: str, values_text: str) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """The page's two boxes, one pair a line: 文件列名=字段代码 and 字段代码:文件中的值=选项代码 (as the CLI's)."""
    columns: dict[str, str] = {}
    values: dict[str, dict[str, str]] = {}
    for line in filter(None, (x.strip() for x in columns_text.splitlines())):
        header, sep, key = line.partition("=")
        if not sep or not header.strip() or not key.strip():
            raise ImportFileError(ImportErrorCode.MAPPING_UNKNOWN, f"列对应应写成 文件列名=字段代码，收到“{line[:60]}”")
        columns[header.strip()] = key.strip()
    for line in filter(None, (x.strip() for x in values_text.splitlines())):
        code, sep, rest = line.partition(":")
        raw, sep2, choice = rest.partition("=")
        if not sep or not sep2 or not code.strip() or not raw.strip() or not choice.strip():
            raise ImportFileError(ImportErrorCode.MAPPING_UNKNOWN,
                                  f"值对应应写成 字段代码:文件中的值=选项代码，收到“{line[:60]}”")
        values.setdefault(code.strip(), {})[raw.strip()] = choice.strip()
    return columns, values


@perm_required(Perm.IMPORT_MAPPING)
@require_http_methods(["GET", "POST"])
def mappings(request):
    """The office's saved mappings, one per source system and register, and the form that saves one."""
    error = ""
    if request.method == "POST":
        code = request.POST.get("register", "")
        name = request.POST.get("name", "").strip()
        try:
            register_definition(code)
            if not name or len(name) > 60:
                raise ImportFileError(ImportErrorCode.MAPPING_UNKNOWN, "请填写映射名称（来源系统，60字以内）")
            columns, values = _mapping_lines(request.POST.get("columns", ""), request.POST.get("value_pairs", ""))
            mapping_save(acting_user=request.user, register=code, name=name, columns=columns, values=values)
        except UnknownRegister:
            error = "请选择登记簿"
        except ImportFileError as exc:
            error = exc.message
        else:
            messages.info(request, f"已保存导入映射“{name}”，导入时可选用")
            return redirect("imports:mappings")
    return render(request, "imports/mappings.html", {
        "definitions": register_definitions(), "error": error,
        "form": {k: request.POST.get(k, "") for k in ("register", "name", "columns", "value_pairs")},
        "mappings": ImportMapping.objects.order_by("register", "name"),
    }, status=400 if error else 200)


@perm_required(Perm.RECORD_CREATE)
def batch(request, pk: int):
    """A batch's result; while its background job runs, its progress (htmx polls this page, which reloads
    itself once the job is over)."""
    the_batch = _batch_or_404(request.user, pk)
    definition = _definition_or_404(the_batch.register)
    running = the_batch.state in (BatchState.QUEUED, BatchState.RUNNING)
    response = render(request, "imports/batch.html", {"batch": the_batch, "definition": definition,
                                                      "summary": the_batch.summary, "running": running,
                                                      "modes": BatchMode.choices})
    if request.headers.get("HX-Request") and not running:
        response["HX-Refresh"] = "true"
    return response


@perm_required(Perm.RECORD_CREATE)
@require_POST
def commit(request, pk: int):
    """Commit what a dry run checked: the same file and options, in the mode chosen on the batch's page."""
    dry = _batch_or_404(request.user, pk)
    if dry.status != BatchStatus.DRY_RUN or dry.state != BatchState.DONE or not dry.content:
        raise Http404  # (a file streamed by `fazhi import` is not kept: it is committed there)
    mode = request.POST.get("mode") or dry.mode
    if mode not in BatchMode.values:
        return render(request, "400.html", {"error": ParamError("mode", "导入方式无效")}, status=400)
    if len(dry.content) > settings.FAZHI_IMPORT_BACKGROUND_BYTES:
        queued = import_enqueue(acting_user=request.user, register=dry.register, content=bytes(dry.content),
                                filename=dry.filename, unit=dry.summary.get("unit") or None,
                                mapping=dry.mapping or None, mode=mode)
        return redirect("imports:batch", pk=queued.pk)
    result = batch_commit(acting_user=request.user, batch=dry, mode=mode)
    return redirect("imports:batch", pk=result.batch)


@perm_required(Perm.RECORD_CREATE)
def rejected(request, pk: int):
    the_batch = _batch_or_404(request.user, pk)
    return _download(batch_rejected_workbook(the_batch), f"rejected-{the_batch.pk}.xlsx", _XLSX)


@perm_required(Perm.UNIT_READ)
def template(request, register: str):
    """The import template of a register or of a data set (codes never collide: definitions check)."""
    try:
        definition = register_definition(register)
    except UnknownRegister:
        try:
            dataset = dataset_definition(register)
        except UnknownDataset:
            raise Http404 from None
        return _download(dataset_template_workbook(dataset), f"{dataset.code}-template.xlsx", _XLSX)
    return _download(template_workbook(definition), f"{definition.code}-template.xlsx", _XLSX)


@perm_required(Perm.UNIT_READ)
def export(request, register: str, fmt: str):
    """The list page's filtered records as a file (the same parameters, validated the same way)."""
    return _table_export(request, ExportKind.RECORDS, register, fmt)


@perm_required(Perm.UNIT_READ)
def table_export(request, kind: str, subject: str, fmt: str):
    """An indicator table, the records behind one term of a figure, a completeness table or one unit's data
    set values as a file: the page's own query, validated the same way (tables.export_table)."""
    if kind not in ExportKind.values or kind == ExportKind.RECORDS:
        raise Http404
    return _table_export(request, kind, subject, fmt)


def _table_export(request, kind: str, subject: str, fmt: str) -> HttpResponse:
    """Every export: the table the page shows, written now or — above FAZHI_EXPORT_BACKGROUND_ROWS rows — by
    a background job whose progress the exports page shows."""
    if fmt not in ("xlsx", "csv"):
        raise Http404
    try:
        table = export_table(request.user, kind, subject, request.GET,
                             party_numbers=party_numbers_kept(request.session))
    except UnknownSubject:
        raise Http404 from None
    try:
        if table.count > settings.FAZHI_EXPORT_BACKGROUND_ROWS:
            party_ids = None
            if kind == ExportKind.RECORDS:
                definition = _definition_or_404(subject)
                party_ids = export_party_ids(record_filters_of_request(request, definition))
            table_export_enqueue(acting_user=request.user, table=table, fmt=fmt, party_ids=party_ids,
                                 query={k: v for k, v in request.GET.items() if v})
            messages.info(request, "记录较多，已在后台生成导出文件，完成后可在此下载")
            return redirect("imports:exports")
        made = table_export_service(acting_user=request.user, table=table, fmt=fmt)
    except ExportError as exc:
        return render(request, "400.html", {"error": exc}, status=400)
    return _export_download(made)


def _export_download(made: ExportFile) -> HttpResponse:
    return _download(bytes(made.content), made.filename,
                     _XLSX if made.fmt == "xlsx" else "text/csv; charset=utf-8")


@perm_required(Perm.UNIT_READ)
def exports(request):
    """The user's own exports of the last FAZHI_EXPORT_RETENTION_DAYS days, to download again."""
    return render(request, "imports/exports.html", {
        "exports": exports_visible(request.user)[:100],
        "retention_days": settings.FAZHI_EXPORT_RETENTION_DAYS,
    })


def _export_or_404(request, pk: int) -> ExportFile:
    """One of the user's own exports, or a 404 (the same for another user's and a missing one)."""
    try:
        return export_get(request.user, pk=pk)
    except ExportFile.DoesNotExist:
        raise Http404 from None


@perm_required(Perm.UNIT_READ)
def export_download(request, pk: int):
    made = _export_or_404(request, pk)
    if made.status != ExportStatus.DONE:
        raise Http404
    return _export_download(made)


@perm_required(Perm.UNIT_READ)
def export_progress(request, pk: int):
    """One export's row of the exports page; htmx polls it while the background job runs."""
    made = _export_or_404(request, pk)
    return render(request, "imports/export_row.html", {"e": made})
