"""A unit's annual report through 起草 → 审核 → 审定 → 公开, and its immutable generated runs."""

from django.conf import settings
from django.db import models

from fazhi.core.models import OrgUnit


class ReportStatus(models.TextChoices):
    DRAFTING = "drafting", "起草"  # the office drafts and departments contribute
    REVIEWING = "reviewing", "审核"  # the draft is checked (rules, report checker) and edited
    APPROVED = "approved", "审定"  # approved by the leadership; figures frozen for publication
    PUBLISHED = "published", "公开"  # published to the public page (before 4月1日)


class AnnualReport(models.Model):
    org_unit = models.ForeignKey(OrgUnit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    status = models.CharField("状态", max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFTING)
    published_at = models.DateTimeField("公开时间", null=True, blank=True)

    class Meta:
        verbose_name = "年度报告"
        verbose_name_plural = "年度报告"
        constraints = [models.UniqueConstraint(fields=["org_unit", "year"], name="annualreport_unit_year")]

    def __str__(self) -> str:
        return f"{self.year}年{self.org_unit}法治政府建设情况报告（{self.get_status_display()}）"


class ReportRun(models.Model):
    """One generation of the report, kept as it was: parameters, snapshot, definition, text, hashes."""

    report = models.ForeignKey(AnnualReport, on_delete=models.PROTECT, related_name="runs")
    snapshot = models.ForeignKey("indicators.IndicatorSnapshot", on_delete=models.PROTECT, related_name="+")
    definition_code = models.CharField("报告定义", max_length=40)
    definition_version = models.PositiveIntegerField("定义版本")
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="生成人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField("全文")
    html = models.TextField("网页版")
    text_sha256 = models.CharField("全文哈希", max_length=64)
    docx_sha256 = models.CharField("Word文件哈希", max_length=64)
    figures = models.PositiveIntegerField("数字个数")
    gate = models.JSONField("核对结果", default=dict)

    class Meta:
        verbose_name = "报告生成记录"
        verbose_name_plural = "报告生成记录"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.report} @ {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("报告生成记录不可修改")
        super().save(*args, **kwargs)
