"""Values of data sets (one row per element × disaggregation cell × unit × period) and the report
that carries them through entry, submission, approval and lock."""

from django.conf import settings
from django.db import models

from fazhi.core.models import OrgUnit


class DataValue(models.Model):
    """One figure entered by one unit for one period.

    `disaggregation` is the canonical cell key: '' for the element's total, `venue=school` for one
    option, `audience=youth;venue=school` for a cross-classified cell (parts sorted by code).
    `dimensions` repeats the key's disaggregation codes ('' / `venue` / `audience;venue`) as a
    column so the total-from-parts rule is an indexed equality, not a LIKE pattern.
    """

    dataset = models.CharField("数据集", max_length=40)
    definition_version = models.PositiveIntegerField("定义版本")
    element = models.CharField("数据项", max_length=40)
    org_unit = models.ForeignKey(OrgUnit, verbose_name="填报单位", on_delete=models.PROTECT, related_name="+")
    period_type = models.CharField("期间类型", max_length=10)
    period_start = models.DateField("期间开始")
    period_end = models.DateField("期间结束")
    disaggregation = models.CharField("分类", max_length=200, blank=True, default="")
    dimensions = models.CharField("分类维度", max_length=100, blank=True, default="")
    value = models.DecimalField("数值", max_digits=20, decimal_places=4)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "数据值"
        verbose_name_plural = "数据值"
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "element", "org_unit", "period_start", "period_type", "disaggregation"],
                name="datavalue_unique_cell",
            ),
        ]
        indexes = [
            # datavalue_totals: one element over many units and a date range.
            models.Index(fields=["dataset", "element", "period_start", "dimensions"], name="datavalue_element_idx"),
            # Completeness and the entry form: every value of one unit's report.
            models.Index(fields=["dataset", "org_unit", "period_type", "period_start"], name="datavalue_report_idx"),
        ]

    def __str__(self) -> str:
        cell = f"[{self.disaggregation}]" if self.disaggregation else ""
        return f"{self.dataset}.{self.element}{cell} {self.period_start} = {self.value}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "草稿"  # being entered by the unit; values may change
    SUBMITTED = "submitted", "已报送"  # sent to the approvers; values frozen until returned
    APPROVED = "approved", "已审核"  # accepted by an approver; counts in completeness and reports


class DataSetReport(models.Model):
    """One unit's report of one data set for one period: its status, lock and who did what when."""

    dataset = models.CharField("数据集", max_length=40)
    definition_version = models.PositiveIntegerField("定义版本")
    org_unit = models.ForeignKey(OrgUnit, verbose_name="填报单位", on_delete=models.PROTECT, related_name="+")
    period_type = models.CharField("期间类型", max_length=10)
    period_start = models.DateField("期间开始")
    period_end = models.DateField("期间结束")
    status = models.CharField("状态", max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    # A locked report refuses every change (values, submission, return) until an administrator unlocks it.
    locked = models.BooleanField("已锁定", default=False)
    # Timeliness is judged on the first submission, so a report returned for correction after the
    # deadline does not turn an on-time unit into a late one.
    first_submitted_at = models.DateTimeField("首次报送时间", null=True, blank=True)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报送人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField("审核时间", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    returned_at = models.DateTimeField("退回时间", null=True, blank=True)
    returned_reason = models.TextField("退回理由", blank=True, default="")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "数据集报表"
        verbose_name_plural = "数据集报表"
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "org_unit", "period_type", "period_start"], name="datasetreport_unique"
            ),
        ]
        indexes = [models.Index(fields=["dataset", "period_type", "period_start"], name="datasetreport_period_idx")]

    def __str__(self) -> str:
        return f"{self.dataset} · {self.org_unit_id} · {self.period_start}"
