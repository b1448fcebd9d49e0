"""The daily deadline digest: what is due within 7 days or overdue, only in the user's jurisdiction, once a
day, by the mail framework (issue 15, scope 5)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from fazhi.core.auditactions import AuditAction
from fazhi.core.models import AuditEvent
from fazhi.registers.models import RecordClock
from fazhi.web.digest import digest_items, digests_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailed(personas, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for name in ("mediator", "other_mediator", "town_clerk", "outsider", "leader"):
        user = getattr(personas, name)
        user.email = f"{name}@example.gov.cn"
        user.save()
    return personas


def test_the_digest_lists_what_is_due_within_7_days_in_the_jurisdiction_only(mailed, mediation):
    today = timezone.localdate()
    late = mediation(mailed.town, today - dt.timedelta(days=45))  # 调解期限 (one month) passed
    soon = mediation(mailed.town, today - dt.timedelta(days=26))  # due within the week
    later = mediation(mailed.town, today)  # due in a month: not yet
    theirs = mediation(mailed.street, today - dt.timedelta(days=45))  # the other mediator's town
    items = digest_items(mailed.mediator, today=today)
    texts = "\n".join(i.text for i in items)
    assert late.external_id in texts and soon.external_id in texts
    assert later.external_id not in texts and theirs.external_id not in texts
    due = {c.record_id: c.due_on for c in RecordClock.objects.filter(record__in=[late, soon])}
    assert all(i.due_on <= today + dt.timedelta(days=7) for i in items)
    assert sorted(i.due_on for i in items if i.kind == "法定期限") == sorted(due.values())
    assert theirs.external_id in "\n".join(i.text for i in digest_items(mailed.other_mediator, today=today))
    outsider = "\n".join(i.text for i in digest_items(mailed.outsider, today=today))  # 西市区's administrator
    assert all(r.external_id not in outsider for r in (late, soon, theirs)) and "东洲区" not in outsider


def test_one_mail_a_day_with_an_audit_row_and_no_personal_data(mailed, mediation):
    today = timezone.localdate()
    mediation(mailed.town, today - dt.timedelta(days=45))
    sent = dict(digests_send(today=today))
    assert "mediator" in sent and "leader" not in sent  # a leader has nothing to do
    message = next(m for m in mail.outbox if m.to == ["mediator@example.gov.cn"])
    assert "【待办提醒】" in message.subject and "【法定期限】" in message.body and "已逾期" in message.body
    assert "11010519491231002X" not in message.body  # the parties are not named, nor their numbers
    assert AuditEvent.objects.filter(action=AuditAction.DIGEST_SEND, object_id=str(mailed.mediator.pk)).count() == 1
    count = len(mail.outbox)
    assert digests_send(today=today) == [] and len(mail.outbox) == count  # not twice the same day


def test_the_command_sends_with_the_file_backend_by_default(mailed, mediation, tmp_path, settings, capsys):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path
    mediation(mailed.town, timezone.localdate() - dt.timedelta(days=45))
    call_command("digest", "send", "--dry-run")
    assert "将发送" in capsys.readouterr().out and not list(tmp_path.iterdir())
    call_command("digest", "send")
    written = "".join(f.read_text(encoding="utf-8", errors="replace") for f in tmp_path.iterdir())
    assert "To: mediator@example.gov.cn" in written
