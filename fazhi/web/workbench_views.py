"""The 待办 workbench: what the signed-in user must do now, each item a link, only what the permission
table lets the user do; the office's 催报 (reminders to units that have not submitted) and the
recipients' notices."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi.core import access
from fazhi.core.access import Perm, perm_required
from fazhi.core.dataversion import version_cached
from fazhi.core.errors import FazhiError
from fazhi.core.models import Notice, NoticeTopic
from fazhi.core.params import param_choice, param_int, param_period
from fazhi.core.selectors import notice_get, notices_unread
from fazhi.core.services import notice_mark_read, notices_send
from fazhi.datasets.registry import UnknownDataset, dataset_definition, dataset_definitions
from fazhi.datasets.selectors import (
    Timeliness,
    dataset_approval_tasks,
    dataset_completeness,
    dataset_entry_tasks,
    datasets_late_units,
)
from fazhi.registers.registry import register_definition
from fazhi.registers.selectors import clocks_due_within, records_awaiting_transition
from fazhi.reports.models import SectionAssignment
from fazhi.reports.selectors import section_labels, sections_late, sections_to_write
from fazhi.web.page_cache import page_cached

SHOWN = 20  # items listed per block; the count says how many there are


def _notices(user) -> list[Notice]:
    """Unread notices the user can act on: entering that data set, or writing sections, for the unit."""
    shown = []
    for notice in notices_unread(user, topic=NoticeTopic.DATASET_REPORT):
        try:
            definition = dataset_definition(notice.subject)
        except UnknownDataset:
            continue
        if access.may(user, Perm.DATASET_ENTER, notice.org_unit, definition=definition):
            shown.append(notice)
    shown += [n for n in notices_unread(user, topic=NoticeTopic.REPORT_SECTION)
              if access.may(user, Perm.SECTION_WRITE, n.org_unit)]
    for notice in shown:
        notice.url = notice_target(notice)  # type: ignore[attr-defined]  # display attribute
    return sorted(shown, key=lambda n: n.sent_at, reverse=True)


def workbench_items(user, *, today, days: int) -> dict:
    """Everything the workbench lists, with its counts: computed once per user, day, `days` and data version
    (core.dataversion: any write to the tables it reads makes it computed afresh), so the navigation's counts
    (navigation.work_counts) and the page itself cost a cache lookup between writes."""
    return version_cached(("workbench", user.pk, user.is_superuser, user.is_active, today, days),
                          lambda: _workbench_items(user, today=today, days=days))


def _workbench_items(user, *, today, days: int) -> dict:
    awaiting = records_awaiting_transition(user).order_by("opened_on", "pk")
    clocks = list(clocks_due_within(user, working_days=days, today=today, awaiting=awaiting))
    for clock in clocks:
        clock_def = register_definition(clock.record.register).clock(clock.code)
        clock.name = clock_def.name if clock_def else clock.code  # type: ignore[attr-defined]  # display attribute
        clock.overdue = clock.due_on < today  # type: ignore[attr-defined]  # display attribute
    records = list(awaiting[:SHOWN])
    for record in records:
        definition = register_definition(record.register)
        record.register_name = definition.name  # type: ignore[attr-defined]  # display attribute
        record.status_name = definition.status_name(record.status)  # type: ignore[attr-defined]  # display attribute
    entry = dataset_entry_tasks(user, today=today)
    approval = dataset_approval_tasks(user, today=today)
    sections = sections_to_write(user)
    may_remind = access.may_somewhere(user, Perm.REMINDER_SEND)
    late_datasets = datasets_late_units(user, today=today) if may_remind else []
    late_sections = sections_late(user, today=today) if may_remind else []
    notices = _notices(user)
    labels = section_labels()
    for a in [*sections, *late_sections]:
        a.label = labels.get(a.section, a.section)  # type: ignore[attr-defined]  # display attribute
    blocks = {
        "notices": len(notices), "records": awaiting.count(), "clocks": len(clocks), "entry": len(entry),
        "approval": len(approval), "sections": len(sections),
        "remind": sum(c.missing for c in late_datasets) + len(late_sections),
    }
    overdue = sum(1 for c in clocks if c.due_on < today)
    return {
        "counts": blocks, "total": sum(blocks.values()), "overdue": overdue, "due_soon": len(clocks) - overdue,
        "notices": notices, "records": records, "clocks": clocks[:SHOWN], "entry": entry[:SHOWN],
        "approval": approval[:SHOWN], "sections": sections[:SHOWN], "may_remind": may_remind,
        "late_datasets": late_datasets,
        "late_sections": late_sections[:SHOWN],
    }


@perm_required(Perm.UNIT_READ)
@page_cached
def workbench(request):
    today = timezone.localdate()
    days = param_int(request.GET, "days", default=settings.FAZHI_WORKBENCH_DUE_WORKING_DAYS, minimum=0, maximum=60)
    assert days is not None
    return render(request, "web/workbench.html",
                  {"today": today, "days": days, **workbench_items(request.user, today=today, days=days)})


def _dataset_reminder(request) -> Callable[[], list[Notice]]:
    code = param_choice(request.POST, "dataset", [d.code for d in dataset_definitions()])
    period = param_period(request.POST, "period")
    if not code or period is None:
        raise Http404("dataset")
    definition = dataset_definition(code)
    if period.type != definition.period_type:
        raise Http404("period")
    root = access.unit_get(request.user, request.POST.get("root"))

    def send() -> list[Notice]:
        completeness = dataset_completeness(request.user, dataset=code, period=period, root=root)
        units = [u.unit for u in completeness.units if u.timeliness == Timeliness.MISSING]
        return notices_send(acting_user=request.user, org_units=units, topic=NoticeTopic.DATASET_REPORT,
                            subject=code, period_code=period.code, due_on=completeness.due_on,
                            title=f"请尽快报送{period.label}“{definition.name}”（报送期限{completeness.due_on.isoformat()}）")
    return send


def _section_reminder(request) -> Callable[[], list[Notice]]:
    pk = param_int(request.POST, "assignment")
    assignment = next((a for a in sections_late(request.user, today=timezone.localdate()) if a.pk == pk), None)
    if assignment is None:
        raise Http404("assignment")
    label = section_labels().get(assignment.section, assignment.section)

    def send() -> list[Notice]:
        return notices_send(acting_user=request.user, org_units=[assignment.org_unit],
                            topic=NoticeTopic.REPORT_SECTION, subject=str(assignment.pk),
                            period_code=str(assignment.report.year), due_on=assignment.deadline,
                            title=f"请尽快报送{assignment.report.year}年度报告章节“{label}”"
                                  f"（报送期限{assignment.deadline.isoformat()}）")
    return send


@require_POST
@perm_required(Perm.REMINDER_SEND)
def reminder_send(request):
    """催报 to the units that have not submitted: every late unit of a data set's period under a root, or
    the unit of one late section. The units are worked out here again, never taken from the form;
    malformed parameters are the coded 400 page (ParamError) before anything is sent."""
    topic = param_choice(request.POST, "topic", NoticeTopic.values)
    if topic == NoticeTopic.DATASET_REPORT:
        send = _dataset_reminder(request)
    elif topic == NoticeTopic.REPORT_SECTION:
        send = _section_reminder(request)
    else:
        raise Http404("topic")
    try:
        sent = send()
        messages.success(request, f"已向{len(sent)}个单位催报" if sent else "这些单位已有未读的催报通知，未重复发送")
    except FazhiError as exc:
        messages.error(request, exc.message)
    return redirect("web:workbench")


@require_POST
@perm_required(Perm.UNIT_WRITE)
def notice_read(request, pk: int):
    try:
        notice = notice_get(request.user, pk=pk)
    except Notice.DoesNotExist:
        raise Http404("notice") from None
    notice_mark_read(acting_user=request.user, notice=notice)
    return redirect("web:workbench")


def notice_target(notice: Notice) -> str:
    """Where a notice's link goes (the data-set entry page, or the section)."""
    from django.urls import reverse

    if notice.topic == NoticeTopic.DATASET_REPORT:
        return reverse("datasets:entry", args=[notice.subject, notice.org_unit_id, notice.period_code])
    if not SectionAssignment.objects.filter(pk=int(notice.subject)).exists():
        return reverse("web:sections")
    return reverse("web:section", args=[int(notice.subject)])
