"""The daily deadline digest (每日待办提醒): one e-mail per user listing what falls due within the next
7 days, or is overdue — statutory clocks of the records awaiting the user's step, data sets to enter,
report sections to write, and the annual report's publication before 4月1日 (《法治政府建设与责任落实督察
工作规定》, 2019: each year's report is made public before 4月1日). It is what the 待办 workbench shows,
narrowed to dates, and asks the same selectors, so it lists nothing outside the user's jurisdiction.

Sent by a scheduled job (`fazhi digest send`, from cron or a systemd timer), never on page load; at most one
a day per user, recorded as an audit row (`digest.send`). The text names case numbers and units, never a
party or a 身份证号."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from fazhi.core import access
from fazhi.core.access import Perm
from fazhi.core.audit import audit_event_write
from fazhi.core.auditactions import AuditAction
from fazhi.core.models import AuditEvent
from fazhi.datasets.selectors import dataset_entry_tasks
from fazhi.registers.registry import register_definition
from fazhi.registers.selectors import clocks_due_within
from fazhi.reports.models import AnnualReport
from fazhi.reports.selectors import section_labels, sections_to_write

DIGEST_DAYS = 7
# 7 calendar days hold at least 5 working days; the clocks selector counts working days, the digest then
# keeps what falls within the 7 calendar days.
_WORKING_DAYS = 5


@dataclass(frozen=True)
class DigestItem:
    due_on: dt.date
    kind: str  # 法定期限 / 数据报送 / 报告章节 / 报告公开
    text: str

    def line(self, today: dt.date) -> str:
        late = (today - self.due_on).days
        when = f"已逾期{late}天" if late > 0 else ("今天到期" if late == 0 else f"{self.due_on:%m月%d日}到期")
        return f"【{self.kind}】{self.text}（{when}）"


def digest_items(user, *, today: dt.date) -> list[DigestItem]:
    """What the user must do that is overdue or due within DIGEST_DAYS days, earliest first."""
    horizon = today + dt.timedelta(days=DIGEST_DAYS)
    items: list[DigestItem] = []
    for clock in clocks_due_within(user, working_days=_WORKING_DAYS, today=today):
        if clock.due_on <= horizon:
            definition = register_definition(clock.record.register)
            clock_def = definition.clock(clock.code)
            items.append(DigestItem(clock.due_on, "法定期限", f"{definition.name} {clock.record.external_id}"
                                    f"（{clock.org_unit.name}）{clock_def.name if clock_def else clock.code}"))
    for task in dataset_entry_tasks(user, today=today):
        if task.due_on <= horizon:
            items.append(DigestItem(task.due_on, "数据报送",
                                    f"{task.unit.name} {task.definition.name}（{task.period.label}）{task.status_name}"))
    labels = section_labels()
    for a in sections_to_write(user):
        if a.deadline <= horizon:
            items.append(DigestItem(a.deadline, "报告章节", f"{a.report.year}年报告“{labels.get(a.section, a.section)}”"
                                    f"（{a.org_unit.name}，{a.get_status_display()}）"))
    # The annual report of last year is published by 4月1日.
    due = dt.date(today.year, 4, 1)
    if today <= due <= horizon or (today > due and today.month < 5):
        for unit in access.units_where(user, Perm.REPORT_MANAGE).filter(depth__lte=1).order_by("name"):
            published = AnnualReport.objects.filter(org_unit=unit, year=today.year - 1, versions__isnull=False).exists()
            if not published:
                items.append(DigestItem(due, "报告公开", f"{today.year - 1}年{unit.name}法治政府建设情况报告尚未公开"))
    return sorted(items, key=lambda i: (i.due_on, i.kind, i.text))


def digest_text(user, items: list[DigestItem], *, today: dt.date) -> str:
    name = user.first_name or user.username
    lines = [f"{name}：", "", f"截至{today:%Y年%m月%d日}，以下事项已逾期或将在{DIGEST_DAYS}天内到期：", ""]
    lines += [f"{n}. {item.line(today)}" for n, item in enumerate(items, 1)]
    lines += ["", "请登录法治政府建设管理平台的“待办”页面办理。", "（本邮件由系统每日自动发送，请勿回复。）"]
    return "\n".join(lines)


def _sent_today(user, today: dt.date) -> bool:
    return AuditEvent.objects.filter(action=AuditAction.DIGEST_SEND, object_type="auth.user",
                                     object_id=str(user.pk), at__date=today).exists()


def digests_send(*, today: dt.date | None = None, dry_run: bool = False) -> list[tuple[str, int]]:
    """Send each active user with an e-mail address and something due their digest (once a day);
    returns (username, items) per digest sent (or, with dry_run, that would be sent)."""
    today = today or timezone.localdate()
    sent: list[tuple[str, int]] = []
    for user in get_user_model().objects.filter(is_active=True).exclude(email="").order_by("username"):
        if _sent_today(user, today):
            continue
        items = digest_items(user, today=today)
        if not items:
            continue
        sent.append((user.username, len(items)))
        if dry_run:
            continue
        send_mail(f"【待办提醒】{len(items)}项事项已逾期或即将到期", digest_text(user, items, today=today),
                  settings.DEFAULT_FROM_EMAIL, [user.email])
        with transaction.atomic(durable=True):
            audit_event_write(actor=None, action=AuditAction.DIGEST_SEND, obj=user,
                              diff={"items": len(items), "date": today.isoformat()})
    return sent
