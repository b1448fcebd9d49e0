"""Every action the audit trail records, with its Chinese name (审计动作) for pages.

The values are what `AuditEvent.action` stores; they never change (stored rows keep them), so a new
action is a new member. `audit_event_write` refuses anything that is not a member.
"""

from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    label: str

    def __new__(cls, value: str, label: str) -> AuditAction:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    # core
    ORGUNIT_CREATE = "orgunit.create", "新建单位"
    ORGUNIT_UPDATE = "orgunit.update", "修改单位"
    ORGUNIT_MOVE = "orgunit.move", "调整单位隶属"
    PERSON_CREATE = "person.create", "登记人员"
    ENTITY_CREATE = "entity.create", "登记市场主体"
    USER_CREATE = "user.create", "新建用户"
    MEMBERSHIP_GRANT = "membership.grant", "授予角色"
    USER_UPDATE = "user.update", "修改用户"
    USER_ACTIVATE = "user.activate", "启用用户"
    USER_DEACTIVATE = "user.deactivate", "停用用户"
    USER_PASSWORD_RESET = "user.password_reset", "重置密码"
    MEMBERSHIP_REVOKE = "membership.revoke", "撤销角色"
    PERIOD_CLOSE = "period.close", "年度关账"
    PERIOD_REOPEN = "period.reopen", "重新开账"
    CALENDAR_SET = "calendar.set", "设置节假日安排"
    CALENDAR_YEAR_SET = "calendar.year_set", "载入全年节假日安排"
    PERSONAL_DATA_VIEW = "personal_data.view", "查看完整个人信息"
    NOTICE_SENT = "notice.sent", "发送催报通知"
    NOTICE_READ = "notice.read", "阅读催报通知"
    # accounts (fazhi/accounts): one's own sign-in settings, and lock-outs
    ACCOUNT_TOKEN_CREATE = "account.token.create", "签发接口令牌"
    ACCOUNT_TOKEN_REVOKE = "account.token.revoke", "吊销接口令牌"
    ACCOUNT_PASSWORD_CHANGE = "account.password.change", "修改密码"
    ACCOUNT_OTP_ENROL = "account.otp.enrol", "启用动态验证码"
    ACCOUNT_LOCKED_OUT = "account.locked_out", "账号被锁定"
    # registers: one per timeline event kind (RecordEventKind), plus deletion and bulk import
    RECORD_CREATED = "record.created", "登记记录"
    RECORD_UPDATED = "record.updated", "修改记录"
    RECORD_TRANSITION = "record.transition", "流转记录"
    RECORD_EXTENDED = "record.extended", "延长办理期限"
    RECORD_SUSPENDED = "record.suspended", "中止计算期限"
    RECORD_RESUMED = "record.resumed", "恢复计算期限"
    RECORD_MOVED = "record.moved", "移交记录"
    RECORD_DELETED = "record.deleted", "删除记录"
    RECORD_IMPORTED = "record.imported", "批量导入记录"
    # imports: one per batch (a dry run or a commit), and the mappings offices save
    IMPORT_DRY_RUN = "import.dry_run", "试导入文件"
    IMPORT_COMMITTED = "import.committed", "导入文件"
    IMPORT_MAPPING_SAVED = "import.mapping_saved", "保存导入映射"
    # exports: one per file made of a filtered list (who exported what, how many rows, masked or not)
    EXPORT_CREATE = "export.create", "导出列表"
    EXPORT_PURGE = "export.purge", "清除过期导出文件"
    # datasets
    DATAVALUES_SAVE = "datavalues.save", "保存填报数据"
    DATASET_REPORT_SUBMIT = "dataset_report.submit", "报送数据"
    DATASET_REPORT_APPROVE = "dataset_report.approve", "审核通过数据"
    DATASET_REPORT_RETURN = "dataset_report.return", "退回数据"
    DATASET_REPORT_LOCK = "dataset_report.lock", "锁定数据"
    DATASET_REPORT_UNLOCK = "dataset_report.unlock", "解锁数据"
    # indicators
    SNAPSHOT_FREEZE = "snapshot.freeze", "冻结指标快照"
    # reports: the annual report, and one per section event kind (SectionEventKind)
    REPORT_OPEN = "report.open", "起草年度报告"
    REPORT_GENERATE = "report.generate", "生成年度报告"
    REPORT_ADVANCE = "report.advance", "推进年度报告"
    REPORT_APPROVE = "report.approve", "审定年度报告"
    REPORT_PUBLISH = "report.publish", "公开年度报告"
    REPORT_REVISE = "report.revise", "修订已公开的年度报告"
    DIGEST_SEND = "digest.send", "发送每日待办提醒"
    REPORT_SECTION_ASSIGNED = "report.section.assigned", "分配报告章节"
    REPORT_SECTION_SAVED = "report.section.saved", "保存章节草稿"
    REPORT_SECTION_UPLOADED = "report.section.uploaded", "上传章节文件"
    REPORT_SECTION_SUBMITTED = "report.section.submitted", "报送报告章节"
    REPORT_SECTION_RETURNED = "report.section.returned", "退回报告章节"
    REPORT_SECTION_ACCEPTED = "report.section.accepted", "采用报告章节"
    REPORT_SECTION_EDITED = "report.section.edited", "办公室修改章节"
    REPORT_SECTION_COMMENTED = "report.section.commented", "对章节发表意见"
    REPORT_SECTION_WITHDRAWN = "report.section.withdrawn", "撤回报告分工"


def audit_action_label(value: str) -> str:
    """The Chinese name of a stored action; the stored text itself if it is not (or no longer) a member."""
    try:
        return AuditAction(value).label  # type: ignore[call-arg]  # a lookup by value: mypy takes a member's (value, label) tuple for __init__'s arguments
    except ValueError:
        return value
