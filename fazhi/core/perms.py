"""The named permissions of the platform: what a role may be granted (roles.yaml `grants:`).

Kept apart from access.py so that the role files' loader (roles.py) can validate grant names
without importing the access rules; everything else imports `Perm` from core.access.
"""

from __future__ import annotations

from enum import StrEnum


class Perm(StrEnum):
    UNIT_READ = "unit.read"  # see a unit's records, data sets, indicators and reports: the jurisdiction
    UNIT_WRITE = "unit.write"  # change what belongs to a unit (sub-units, people, entities); a role without it is read-only
    UNIT_ADMIN = "unit.admin"  # manage a unit's users: grant memberships over its subtree
    PERSONAL_DATA_VIEW = "personal_data.view"  # reveal 身份证号 and phone numbers in full (each view audited)
    SNAPSHOT_FREEZE = "snapshot.freeze"  # freeze the indicator values of a unit and period for the report
    REPORT_MANAGE = "report.manage"  # draft, generate, advance, publish, revise a report; assign, accept, return sections
    REPORT_APPROVE = "report.approve"  # 审定: approve a report and its snapshot drafted by someone else (a leader)
    REPORT_CHECK = "report.check"  # check a report's figures on the checker page (upload or paste, findings as .xlsx)
    SECTION_WRITE = "report.section_write"  # write, submit and comment on a unit's report section
    DATASET_ENTER = "dataset.enter"  # enter and submit a data set's values (per data set: entry_roles)
    DATASET_APPROVE = "dataset.approve"  # approve or return a submitted data set report (per data set: approval_roles)
    DATASET_LOCK = "dataset.lock"  # lock or unlock a data set report
    RECORD_CREATE = "record.create"  # register a new record (per register: create_roles)
    RECORD_EDIT = "record.edit"  # correct a record's fields, hand it over, run its clocks (per register: edit_roles)
    RECORD_TRANSITION = "record.transition"  # take a transition (per transition: its roles)
    RECORD_DELETE = "record.delete"  # delete a record entered by mistake
    USER_ADMIN = "user.admin"  # create, deactivate users and reset their passwords within the jurisdiction
    PERIOD_CLOSE = "period.close"  # close (and reopen) a year for registers and data sets
    PERIOD_CORRECT = "period.correct"  # write into a closed year as a correction after close, with a reason
    # Load a year's holiday and 调休 arrangement. The calendar is national and shared by every district,
    # so no district role holds it: only system administrators (superusers).
    CALENDAR_MANAGE = "calendar.manage"
    REMINDER_SEND = "reminder.send"  # 催报: remind units that have not submitted a data set or report section
    IMPORT_MAPPING = "import.mapping"  # save a source system's import mapping, which every import may reuse


# Permissions that a definition can also give to the roles it names (a register's create_roles,
# edit_roles, a transition's roles, a data set's entry_roles and approval_roles). A role granted one
# of these in its role file holds it for every definition; a role a definition names holds it for
# that definition only, and only if the role is not read-only (grants unit.write).
DEFINITION_PERMS = frozenset({
    Perm.RECORD_CREATE, Perm.RECORD_EDIT, Perm.RECORD_TRANSITION, Perm.DATASET_ENTER, Perm.DATASET_APPROVE,
})

# What a refusal says the user tried to do (无权在“某单位”执行“…”).
PERM_LABELS: dict[Perm, str] = {
    Perm.UNIT_READ: "查看数据",
    Perm.UNIT_WRITE: "修改数据",
    Perm.UNIT_ADMIN: "管理用户和单位",
    Perm.PERSONAL_DATA_VIEW: "查看完整个人信息",
    Perm.SNAPSHOT_FREEZE: "冻结指标快照",
    Perm.REPORT_MANAGE: "管理年度报告",
    Perm.REPORT_APPROVE: "审定年度报告",
    Perm.REPORT_CHECK: "检查报告数字",
    Perm.SECTION_WRITE: "填写报告章节",
    Perm.DATASET_ENTER: "填报数据",
    Perm.DATASET_APPROVE: "审核数据",
    Perm.DATASET_LOCK: "锁定数据",
    Perm.RECORD_CREATE: "登记记录",
    Perm.RECORD_EDIT: "修改记录",
    Perm.RECORD_TRANSITION: "办理记录",
    Perm.RECORD_DELETE: "删除记录",
    Perm.USER_ADMIN: "管理用户",
    Perm.PERIOD_CLOSE: "年度关账",
    Perm.PERIOD_CORRECT: "关账后更正",
    Perm.CALENDAR_MANAGE: "维护节假日安排",
    Perm.REMINDER_SEND: "催报",
    Perm.IMPORT_MAPPING: "保存导入映射",
}
