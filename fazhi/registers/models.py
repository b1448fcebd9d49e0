"""Records of every register, their timelines and their statutory clocks."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from fazhi.core.models import HistoryRow, OrgUnit

from .definitions import ClockKind


class Record(models.Model):
    """One case of one register. Columns that indicators query are real and indexed."""

    register = models.CharField("登记簿", max_length=40)
    definition_version = models.PositiveIntegerField("定义版本")
    org_unit = models.ForeignKey(OrgUnit, verbose_name="承办单位", on_delete=models.PROTECT, related_name="+")
    external_id = models.CharField("编号", max_length=60)
    status = models.CharField("状态", max_length=40)
    outcome = models.CharField("结果", max_length=40, blank=True, default="")
    category = models.CharField("分类", max_length=40, blank=True, default="")
    opened_on = models.DateField("受理日期")
    closed_on = models.DateField("办结日期", null=True, blank=True)
    amount = models.DecimalField("金额", max_digits=16, decimal_places=2, null=True, blank=True)
    payload = models.JSONField("内容", default=dict)
    # Incremented by every write of the row: an edit carries the version it was read at, and a stale one is
    # refused (RecordConflict) instead of overwriting what someone else saved meanwhile.
    version = models.PositiveIntegerField("版本", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "案件记录"
        verbose_name_plural = "案件记录"
        constraints = [
            models.UniqueConstraint(fields=["register", "external_id"], name="record_unique_external_id"),
        ]
        indexes = [
            models.Index(fields=["register", "org_unit", "opened_on"], name="record_reg_unit_opened_idx"),
            models.Index(fields=["register", "status"], name="record_reg_status_idx"),
            models.Index(fields=["register", "outcome"], name="record_reg_outcome_idx"),
            models.Index(fields=["register", "category"], name="record_reg_category_idx"),
            models.Index(fields=["register", "closed_on"], name="record_reg_closed_idx"),
            # The record list's default order (newest first) across a whole jurisdiction.
            models.Index(fields=["register", "opened_on"], name="record_reg_opened_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.register}:{self.external_id}"


class RecordEventKind(models.TextChoices):
    CREATED = "created", "登记"  # the record was created; data holds its full initial state
    UPDATED = "updated", "修改"  # fields changed; data holds {field: [old, new]}
    TRANSITION = "transition", "流转"  # status changed by a named transition
    EXTENDED = "extended", "延期"  # a clock's deadline was extended
    SUSPENDED = "suspended", "中止"  # a clock was suspended
    RESUMED = "resumed", "恢复"  # a suspended clock runs again
    MOVED = "moved", "移交"  # handed over to another org unit


class RecordEvent(HistoryRow):
    """The timeline of a record; replaying it gives the record's current state.

    Append-only and hash-chained (see HistoryRow): a record deleted by mistake keeps its timeline,
    so the reference to it is not a database constraint and removing the record leaves the events."""

    record = models.ForeignKey(Record, on_delete=models.DO_NOTHING, db_constraint=False, related_name="events")
    seq = models.PositiveIntegerField("序号")
    kind = models.CharField("类型", max_length=20, choices=RecordEventKind.choices)
    transition = models.CharField("流转", max_length=40, blank=True, default="")
    from_status = models.CharField("原状态", max_length=40, blank=True, default="")
    to_status = models.CharField("新状态", max_length=40, blank=True, default="")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("时间", default=timezone.now, editable=False)
    happened_on = models.DateField("发生日期")
    data = models.JSONField("内容", default=dict)
    note = models.TextField("说明", blank=True, default="")

    history_time_field = "at"

    class Meta:
        verbose_name = "办理过程"
        verbose_name_plural = "办理过程"
        ordering = ["record", "seq"]
        constraints = [models.UniqueConstraint(fields=["record", "seq"], name="recordevent_unique_seq")]

    def __str__(self) -> str:
        try:
            record = str(self.record)
        except Record.DoesNotExist:  # the record was deleted; its timeline stays
            record = f"已删除的记录 {self.record_id}"
        return f"{record} #{self.seq} {self.get_kind_display()}"


class ClockState(models.TextChoices):
    ON_TIME = "on_time", "正常"  # running, deadline not near
    DUE_SOON = "due_soon", "临期"  # running, deadline within the due-soon window
    OVERDUE = "overdue", "超期"  # running, deadline passed
    SUSPENDED = "suspended", "中止"  # stopped for a lawful reason, will resume
    MET = "met", "按期办结"  # stopped on or before the deadline
    MISSED = "missed", "超期办结"  # stopped after the deadline
    # States of a minimum clock (kind: minimum), which is never overdue:
    WAITING = "waiting", "等待期未满"  # the blocked steps are refused until due_on
    SATISFIED = "satisfied", "已满法定期间"  # due_on reached (or stopped on or after it)
    ENDED_EARLY = "ended_early", "未满期即结束"  # stopped before due_on by a step it does not block


CLOCK_KIND_CHOICES = [(ClockKind.DEADLINE.value, "办理期限"), (ClockKind.MINIMUM.value, "最短期间")]


class RecordClock(models.Model):
    """One statutory clock of one record (e.g. 受理审查 5个工作日)."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="clocks")
    code = models.CharField("时限", max_length=40)
    # A minimum clock's due_on is the first day its blocked steps are allowed; it is never overdue.
    kind = models.CharField("类型", max_length=10, choices=CLOCK_KIND_CHOICES,
                            default=ClockKind.DEADLINE.value)
    org_unit = models.ForeignKey(OrgUnit, verbose_name="承办单位", on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField("起算日期")
    base_due_on = models.DateField("法定期限")
    due_on = models.DateField("到期日期", db_index=True)
    extensions = models.PositiveSmallIntegerField("延期次数", default=0)
    extension_reason = models.TextField("延期理由", blank=True, default="")
    extension_approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="延期批准人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    suspended_on = models.DateField("中止日期", null=True, blank=True)
    suspension_reason = models.TextField("中止理由", blank=True, default="")
    stopped_on = models.DateField("停止日期", null=True, blank=True)

    class Meta:
        verbose_name = "法定时限"
        verbose_name_plural = "法定时限"
        constraints = [models.UniqueConstraint(fields=["record", "code"], name="recordclock_unique_code")]
        indexes = [models.Index(fields=["stopped_on", "due_on"], name="recordclock_open_due_idx")]

    def __str__(self) -> str:
        return f"{self.record} {self.code} → {self.due_on}"


class RollupBasis(models.TextChoices):
    OPENED = "opened", "受理"  # the record counts in the month it was opened (received)
    CLOSED = "closed", "办结"  # the record counts in the month it was closed (concluded)


class RecordRollup(models.Model):
    """Counts and amount sums of records per unit × register × month × status/outcome/category.

    Kept by the record services in the same transaction as each write; `fazhi rollups rebuild`
    recomputes it from raw records and must agree exactly. Indicators read only this table.
    dim1/dim2 hold the values of the register's `rollup_dimensions` (payload fields). A row with a `field`
    holds, for one value of one of the register's `rollup_fields`, the records having that value (count)
    and the sum of that field when it is a number (amount): what distinct() and sum(field=…) read.
    Rows without a field (field = '') are the records themselves.
    """

    org_unit = models.ForeignKey(OrgUnit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    register = models.CharField("登记簿", max_length=40)
    basis = models.CharField("口径", max_length=10, choices=RollupBasis.choices)
    month = models.DateField("月份")  # the first day of the month
    status = models.CharField("状态", max_length=40)
    outcome = models.CharField("结果", max_length=40, default="")
    category = models.CharField("分类", max_length=40, default="")
    dim1 = models.CharField("维度一", max_length=60, default="")
    dim2 = models.CharField("维度二", max_length=60, default="")
    field = models.CharField("字段", max_length=40, default="")
    value = models.CharField("字段值", max_length=200, default="")
    count = models.BigIntegerField("件数", default=0)
    amount = models.DecimalField("金额", max_digits=20, decimal_places=2, default=0)

    class Meta:
        verbose_name = "统计汇总"
        verbose_name_plural = "统计汇总"
        constraints = [
            # One row per key. Its column order is also the indicator engine's access path: one register,
            # the units of a subtree (via the closure), a range of months; so no other index is needed
            # besides the foreign key's, and every record write maintains as few indexes as possible.
            models.UniqueConstraint(
                fields=["register", "org_unit", "month", "basis", "status", "outcome", "category", "dim1", "dim2",
                        "field", "value"],
                name="recordrollup_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.register} {self.basis} {self.month:%Y-%m} {self.org_unit_id}: {self.count}"


class RecordNumberCounter(models.Model):
    """The last case number (编号) given per register, unit and year, for registers whose definition
    declares a `number_pattern`. Its row is locked while a record is created, so two clerks saving at
    the same moment get consecutive numbers, never the same one."""

    register = models.CharField("登记簿", max_length=40)
    org_unit = models.ForeignKey(OrgUnit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    last = models.PositiveIntegerField("已用序号", default=0)

    class Meta:
        verbose_name = "编号计数"
        verbose_name_plural = "编号计数"
        constraints = [
            models.UniqueConstraint(fields=["register", "org_unit", "year"], name="recordnumbercounter_key"),
        ]

    def __str__(self) -> str:
        return f"{self.register} {self.org_unit_id} {self.year}: {self.last}"
