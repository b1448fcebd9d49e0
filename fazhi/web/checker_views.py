"""The checker page: upload a .docx/.pdf/.txt or paste text, optionally compare it with a unit's frozen
snapshot, see the text annotated (figures, checked relations, the places each finding quotes) and the findings,
download them as .xlsx.

The check runs in a child process with CPU, memory, wall-clock and text limits (checker.bounded); a
limit hit or an unreadable file is shown as a coded Chinese error, never a 500. The snapshot's figures are read
here, before the fork: the child never touches the database."""

from __future__ import annotations

from dataclasses import asdict

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fazhi.checker.annotate import annotate
from fazhi.checker.bounded import DEFAULT_LIMITS, Comparison, check_text_bounded, check_upload_bounded
from fazhi.checker.compare import FixedIndicatorSource
from fazhi.checker.extract import InputProblem, ReportInputError
from fazhi.checker.finding_rows import finding_rows, finding_rows_xlsx
from fazhi.checker.platform_source import snapshot_indicator_values, snapshot_to_compare, snapshots_to_compare
from fazhi.core.access import Perm, perm_required
from fazhi.core.params import param_int

SESSION_KEY = "checker_findings"
MAX_KEPT_ROWS = 5000  # findings kept in the session for the .xlsx download


@perm_required(Perm.REPORT_CHECK)
def checker_page(request):
    context: dict = {"max_mb": DEFAULT_LIMITS.max_upload_bytes // (1024 * 1024),
                     "snapshots": snapshots_to_compare(request.user)}
    if request.method != "POST":
        return render(request, "web/checker.html", context)
    upload = request.FILES.get("file")
    text = request.POST.get("text", "")
    comparison = None
    snapshot_pk = param_int(request.POST, "snapshot")  # malformed: the coded 400 naming the parameter
    if snapshot_pk is not None:
        snapshot = snapshot_to_compare(request.user, snapshot_pk)
        if snapshot is None:  # another jurisdiction's snapshot is refused as a missing one
            raise Http404
        comparison = Comparison(unit=snapshot.org_unit.name, year=int(snapshot.period_code),
                                source=FixedIndicatorSource(snapshot_indicator_values(snapshot)))
        context.update(compared=snapshot)
    try:
        if upload is not None:
            if upload.size > DEFAULT_LIMITS.max_upload_bytes:
                raise ReportInputError(InputProblem.TOO_LARGE,
                                       f"文件过大（{upload.size / 1048576:.1f} MB），上限 {context['max_mb']} MB")
            result = check_upload_bounded(upload.read(), upload.name or "upload.txt", comparison=comparison)
            context["source"] = upload.name
        elif text.strip():
            result = check_text_bounded(text, comparison=comparison)
            context["source"] = _("Pasted text")
        else:
            raise ReportInputError(InputProblem.EMPTY, "请选择文件或粘贴报告文字")
    except ReportInputError as exc:
        context.update(error=exc.message, error_code=str(exc.code), text=text[:200_000])
        return render(request, "web/checker.html", context, status=400)
    rows = finding_rows(result)
    request.session[SESSION_KEY] = [asdict(r) for r in rows[:MAX_KEPT_ROWS]]
    annotation = annotate(result)
    context.update(rows=rows, items=list(zip(rows, annotation.findings, strict=True)), annotation=annotation,
                   claims=len(result.claims), relations=len(result.relations),
                   relations_ok=sum(1 for r in result.relations if r.holds), notes=result.notes)
    return render(request, "web/checker.html", context)


@perm_required(Perm.REPORT_CHECK)
def checker_xlsx(request):
    rows = request.session.get(SESSION_KEY)
    if rows is None:
        return redirect("web:checker")
    response = HttpResponse(
        finding_rows_xlsx(rows), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="checker-findings.xlsx"'
    return response
