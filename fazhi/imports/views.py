"""Pages: upload a file for a dry run, see its per-row errors, commit it; templates, rejected rows, exports."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from fazhi.core import access
from fazhi.core.access import Perm, perm_required
from fazhi.registers.listing import party_numbers_kept, record_filters_of_request
from fazhi.registers.registry import UnknownRegister, register_definition, register_definitions

from .models import BatchMode, BatchState, ExportFile, ExportKind, ExportStatus, ImportBatch
from .selectors import batch_get, export_get, exports_visible
from .services import (
    ExportError,
    batch_rejected_workbook,
    export_party_ids,
    import_enqueue,
    import_run,
    table_export_enqueue,
)
from .services import table_export as table_export_service
from .tables import UnknownSubject, export_table
from .workbooks import template_workbook

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
            if upload.size > settings.FAZHI_IMPORT_BACKGROUND_BYTES:  # a large file: a background job
                queued = import_enqueue(acting_user=request.user, register=code, content=upload.read(),
                                        filename=upload.name, unit=unit, dry_run=True, mode=mode)
                return redirect("imports:batch", pk=queued.pk)
            result = import_run(acting_user=request.user, register=code, content=upload.read(), filename=upload.name,
                                unit=unit, dry_run=True, mode=mode)
            return redirect("imports:batch", pk=result.batch)
    return render(request, "imports/index.html", {"definitions": definitions, "error": error,
                                                  "modes": BatchMode.choices}, status=400 if error else 200)


@perm_required(Perm.RECORD_CREATE)
def batch(request, pk: int):
    """A batch's result; while its background job runs, its progress (htmx polls this page, which reloads
    itself once the job is over)."""
    the_batch = _batch_or_404(request.user, pk)
    definition = _definition_or_404(the_batch.register)
    running = the_batch.state in (BatchState.QUEUED, BatchState.RUNNING)
    response = render(request, "imports/batch.html", {"batch": the_batch, "definition": definition,
                                                      "summary": the_batch.summary, "running": running})
    if request.headers.get("HX-Request") and not running:
        response["HX-Refresh"] = "true"
    return response


@perm_required(Perm.RECORD_CREATE)
@require_POST
def commit(request, pk: int):
    """Commit what a dry run checked: the same file, the same options."""
    dry = _batch_or_404(request.user, pk)
    if dry.status != "dry_run" or dry.state != BatchState.DONE or not dry.content:
        raise Http404  # (a file streamed by `fazhi import` is not kept: it is committed there)
    if len(dry.content) > settings.FAZHI_IMPORT_BACKGROUND_BYTES:
        queued = import_enqueue(acting_user=request.user, register=dry.register, content=bytes(dry.content),
                                filename=dry.filename, unit=dry.summary.get("unit") or None,
                                mapping=dry.mapping or None, mode=dry.mode)
        return redirect("imports:batch", pk=queued.pk)
    result = import_run(acting_user=request.user, register=dry.register, content=bytes(dry.content),
                        filename=dry.filename, unit=dry.summary.get("unit") or None, mapping=dry.mapping or None,
                        mode=dry.mode)
    return redirect("imports:batch", pk=result.batch)


@perm_required(Perm.RECORD_CREATE)
def rejected(request, pk: int):
    the_batch = _batch_or_404(request.user, pk)
    return _download(batch_rejected_workbook(the_batch), f"rejected-{the_batch.pk}.xlsx", _XLSX)


@perm_required(Perm.UNIT_READ)
def template(request, register: str):
    definition = _definition_or_404(register)
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
