"""Org units, people, market entities, roles and jurisdiction, the working-day calendar and audit."""

from collections.abc import Collection, Iterable
from typing import Any, NoReturn, TypeVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from .errors import CoreErrorCode, FazhiError
from .identity import credit_code_mask, id_number_mask


class HistoryImmutableError(FazhiError, RuntimeError):
    """Raised on any attempt to change or remove a row of a history table (audit, timelines, runs, snapshots);
    code audit_immutable."""

    http_status = 409

    def __init__(self, message: str) -> None:
        super().__init__(CoreErrorCode.AUDIT_IMMUTABLE, message)


# The audit trail's name for it, kept for its callers.
AuditImmutableError = HistoryImmutableError


_H = TypeVar("_H", bound="HistoryRow")


class HistoryQuerySet(models.QuerySet[_H]):
    """Queries of a history table: rows are appended through the chain writer, never changed or removed."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise HistoryImmutableError(f"{self.model._meta.verbose_name}不可修改")

    def delete(self) -> NoReturn:
        raise HistoryImmutableError(f"{self.model._meta.verbose_name}不可删除")

    def bulk_update(self, objs: Iterable[_H], fields: Iterable[str], batch_size: int | None = None) -> NoReturn:
        raise HistoryImmutableError(f"{self.model._meta.verbose_name}不可修改")

    def bulk_create(self, objs: Iterable[_H], batch_size: int | None = None, ignore_conflicts: bool = False,
                    update_conflicts: bool = False, update_fields: Collection[str] | None = None,
                    unique_fields: Collection[str] | None = None) -> list[_H]:
        """Append new rows, chained: every ORM insert of a history table goes through the one writer."""
        if ignore_conflicts or update_conflicts:
            raise HistoryImmutableError(f"{self.model._meta.verbose_name}只能追加")
        from .history import history_append

        return history_append(self.model, list(objs), using=self.db, batch_size=batch_size)

    def update_or_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise HistoryImmutableError(f"{self.model._meta.verbose_name}不可修改")


class HistoryRow(models.Model):
    """A row of an append-only, hash-chained history table.

    Database triggers refuse UPDATE, DELETE and TRUNCATE; ``chain_seq`` numbers the rows of the table
    1, 2, 3 … and ``hash`` is SHA-256 over the row's content and its predecessor's hash, written by
    ``core.history.history_append`` in the inserting transaction (``fazhi audit verify`` walks it).
    ``history_time_field`` names the timestamp the writer sets, so rows of a chain never go back in time.
    """

    chain_seq = models.PositiveBigIntegerField("链序号", editable=False, default=0)
    hash = models.CharField("链哈希", max_length=64, editable=False, default="")

    objects = HistoryQuerySet.as_manager()

    history_time_field: str | None = None

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None or not self._state.adding:
            raise HistoryImmutableError(f"{self._meta.verbose_name}不可修改")
        from .history import history_append

        history_append(type(self), [self], using=kwargs.get("using"))

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise HistoryImmutableError(f"{self._meta.verbose_name}不可删除")


class HistoryChain(models.Model):
    """The head of one history table's chain: the last row written by the writer.

    The writer locks this row (SELECT … FOR UPDATE) before appending, so two writers never fork the
    chain; verify compares it with the table, which reveals rows removed from, or added to, its end.
    Triggers refuse deleting it and moving it backwards.
    """

    table_name = models.CharField("数据表", max_length=80, unique=True)
    last_seq = models.PositiveBigIntegerField("末行链序号", default=0)
    last_id = models.BigIntegerField("末行编号", null=True)
    last_hash = models.CharField("末行哈希", max_length=64, default="")
    last_at = models.DateTimeField("末行时间", null=True)
    # Rows the table held when the chain was introduced, chained by the migration in id order; their
    # timestamps were set before the writer kept them in order, so verify does not check their order.
    backfilled = models.PositiveBigIntegerField("补链行数", default=0)

    class Meta:
        verbose_name = "历史链头"
        verbose_name_plural = "历史链头"

    def __str__(self) -> str:
        return f"{self.table_name} #{self.last_seq} {self.last_hash[:12]}"


class OrgUnitKind(models.TextChoices):
    PROVINCE = "province", "省"  # a whole province, when fazhi grows
    CITY = "city", "市"  # a prefecture-level city
    DISTRICT = "district", "区县"  # the county/district government that reports
    DEPARTMENT = "department", "部门"  # a government department (司法局, 公安分局 …)
    TOWN = "town", "乡镇"  # 镇/乡
    STREET = "street", "街道"  # urban sub-district
    OFFICE = "office", "机构"  # an office inside a unit: 司法所, 调解委员会, 复议办 …
    COMMUNITY = "community", "社区村"  # 社区 or 行政村


class OrgUnit(models.Model):
    """A node of the administrative tree; jurisdiction is a subtree of it."""

    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=20, choices=OrgUnitKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级单位", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    division_code = models.CharField("行政区划代码", max_length=12, blank=True, default="")
    population = models.PositiveIntegerField("常住人口", null=True, blank=True)
    opened_on = models.DateField("设立日期", null=True, blank=True)
    closed_on = models.DateField("撤销日期", null=True, blank=True)
    depth = models.PositiveSmallIntegerField("层级", default=0, editable=False)

    class Meta:
        verbose_name = "组织单位"
        verbose_name_plural = "组织单位"
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="orgunit_unique_name_per_parent"),
        ]

    def __str__(self) -> str:
        return self.name


class OrgUnitClosure(models.Model):
    """Ancestor/descendant pairs (including each unit with itself, depth 0).

    A closure table keeps subtree queries one indexed join on SQLite and PostgreSQL alike,
    without LIKE-prefix tricks that depend on the database collation.
    """

    ancestor = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    descendant = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    distance = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = "单位层级关系"
        verbose_name_plural = "单位层级关系"
        constraints = [
            models.UniqueConstraint(fields=["ancestor", "descendant"], name="orgunitclosure_unique_pair"),
        ]
        indexes = [models.Index(fields=["descendant", "ancestor"], name="orgunitclosure_desc_idx")]

    def __str__(self) -> str:
        return f"{self.ancestor_id} → {self.descendant_id} ({self.distance})"


class Person(models.Model):
    """A natural person who appears in records (applicant, party, person under correction …)."""

    name = models.CharField("姓名", max_length=50)
    id_number = models.CharField("身份证号", max_length=18, blank=True, default="", db_index=True)
    phone = models.CharField("联系电话", max_length=20, blank=True, default="")
    address = models.CharField("住址", max_length=200, blank=True, default="")
    org_unit = models.ForeignKey(OrgUnit, verbose_name="所属单位", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "自然人"
        verbose_name_plural = "自然人"

    def __str__(self) -> str:
        return f"{self.name}（{self.masked_id_number}）" if self.id_number else self.name

    @property
    def masked_id_number(self) -> str:
        return id_number_mask(self.id_number)

    @property
    def masked_phone(self) -> str:
        return self.phone[:3] + "****" + self.phone[7:] if len(self.phone) == 11 else self.phone


class Entity(models.Model):
    """A market entity (企业, 个体工商户 …) identified by its 统一社会信用代码."""

    name = models.CharField("名称", max_length=200)
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    industry = models.CharField("行业", max_length=50, blank=True, default="")
    org_unit = models.ForeignKey(OrgUnit, verbose_name="所属单位", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "市场主体"
        verbose_name_plural = "市场主体"

    def __str__(self) -> str:
        return self.name

    @property
    def masked_credit_code(self) -> str:
        return credit_code_mask(self.credit_code)


class Role(models.Model):
    """A role a user holds over an org subtree; transitions in register definitions name roles by code."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=50)
    read_only = models.BooleanField("只读", default=False)
    # An administrator may take every transition of every register within the subtree.
    is_admin = models.BooleanField("管理员", default=False)
    # May see 身份证号 and phone numbers in full (each view is recorded).
    sees_personal_data = models.BooleanField("可查看完整个人信息", default=False)

    class Meta:
        verbose_name = "角色"
        verbose_name_plural = "角色"

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """User holds role over the subtree rooted at org_unit."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.ForeignKey(Role, verbose_name="角色", on_delete=models.PROTECT, related_name="+")
    org_unit = models.ForeignKey(OrgUnit, verbose_name="管辖单位", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "任职"
        verbose_name_plural = "任职"
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "org_unit"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.role} · {self.org_unit}"


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", "法定节假日"  # a weekday that is a day off
    WORKDAY = "workday", "调休上班"  # a Saturday or Sunday worked in exchange (调休)


class CalendarDay(models.Model):
    """An exception to the Monday–Friday week, as announced by the State Council each year."""

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=CalendarDayKind.choices)
    name = models.CharField("节日", max_length=20)

    class Meta:
        verbose_name = "节假日与调休"
        verbose_name_plural = "节假日与调休"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}（{self.get_kind_display()}）"


class AuditEvent(HistoryRow):
    """One row per write, append-only and hash-chained (see HistoryRow)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("时间", default=timezone.now, editable=False, db_index=True)
    action = models.CharField("操作", max_length=60)
    object_type = models.CharField("对象类型", max_length=60)
    object_id = models.CharField("对象编号", max_length=40)
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name="单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    diff = models.JSONField("变更内容", default=dict)

    history_time_field = "at"

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        indexes = [models.Index(fields=["object_type", "object_id"], name="auditevent_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"




class PeriodCloseScope(models.TextChoices):
    ALL = "all", "全部登记簿和数据集"
    REGISTER = "register", "登记簿"
    DATASET = "dataset", "数据集"


class PeriodClose(models.Model):
    """A year closed by the office for a unit's subtree: writes dated in it are refused, except a
    correction after close (core/closing.py). Reopening deletes the row; the audit trail keeps both."""

    year = models.PositiveSmallIntegerField("年度")
    org_unit = models.ForeignKey(OrgUnit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField("范围", max_length=10, choices=PeriodCloseScope.choices, default=PeriodCloseScope.ALL)
    code = models.CharField("登记簿或数据集代码", max_length=40, blank=True, default="")
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="关账人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField("关账时间", auto_now_add=True)

    class Meta:
        verbose_name = "年度关账"
        verbose_name_plural = "年度关账"
        constraints = [
            models.UniqueConstraint(fields=["year", "org_unit", "scope", "code"], name="periodclose_unique"),
        ]

    def __str__(self) -> str:
        what = self.get_scope_display() if self.scope == PeriodCloseScope.ALL else f"{self.get_scope_display()} {self.code}"
        return f"{self.year}年 {self.org_unit} {what}"


class LateCorrection(models.Model):
    """A write made after its year was closed (a correction after close): listed for the office and
    counted in the report's data-quality note."""

    year = models.PositiveSmallIntegerField("年度")
    org_unit = models.ForeignKey(OrgUnit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField("范围", max_length=10, choices=PeriodCloseScope.choices)
    code = models.CharField("登记簿或数据集代码", max_length=40)
    object_type = models.CharField("对象类型", max_length=60)
    object_id = models.CharField("对象编号", max_length=40)
    label = models.CharField("对象", max_length=200)
    action = models.CharField("操作", max_length=60)
    reason = models.TextField("更正理由")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "关账后更正"
        verbose_name_plural = "关账后更正"
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.year}年 {self.label} {self.action}"


class NoticeTopic(models.TextChoices):
    DATASET_REPORT = "dataset_report", "数据集报表"  # subject: the data set's code; period_code: the period
    REPORT_SECTION = "report_section", "报告章节"  # subject: the SectionAssignment's pk


class Notice(models.Model):
    """A 催报 (reminder): the office asks a unit to submit a data set or a report section it has not
    submitted by the deadline. Shown on the workbench of the unit's users who may do it, until one of
    them marks it read. Core knows no data set or section: `topic` and `subject` say what it is about."""

    org_unit = models.ForeignKey(OrgUnit, verbose_name="接收单位", on_delete=models.PROTECT, related_name="+")
    topic = models.CharField("事项", max_length=20, choices=NoticeTopic.choices)
    subject = models.CharField("对象", max_length=60)
    period_code = models.CharField("期间", max_length=12, blank=True, default="")
    title = models.CharField("内容", max_length=200)
    due_on = models.DateField("报送期限", null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="催报人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField("催报时间", auto_now_add=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="阅读人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "催报通知"
        verbose_name_plural = "催报通知"
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["org_unit", "read_at"], name="notice_unit_unread_idx")]

    def __str__(self) -> str:
        return f"{self.org_unit} {self.title}"


class DataVersion(models.Model):
    """One row (id 1), changed by database triggers in the same transaction as every write to the tables that
    pages compute cached figures, menus and to-do counts from (core/dataversion.py). `token` is random at each
    change, so a state that was rolled back is never taken for a later one with the same `n`."""

    n = models.BigIntegerField("版本", default=0)
    token = models.BigIntegerField("随机标记", default=0)

    class Meta:
        verbose_name = "数据版本"
        verbose_name_plural = "数据版本"

    def __str__(self) -> str:
        return f"{self.n}.{self.token}"
