"""Frozen indicator values: reports read snapshots, never live values."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from fazhi.core.models import HistoryRow, OrgUnit


class IndicatorSnapshot(HistoryRow):
    """Every indicator of one unit and period, frozen with the definition versions it used.
    Append-only and hash-chained (see HistoryRow), as are its values: a new freeze is a new snapshot."""

    org_unit = models.ForeignKey(OrgUnit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    period_code = models.CharField("期间", max_length=12)
    period_start = models.DateField("起始日期")
    period_end = models.DateField("截止日期")
    created_at = models.DateTimeField("冻结时间", default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="冻结人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField("说明", max_length=200, blank=True, default="")

    history_time_field = "created_at"

    class Meta:
        verbose_name = "指标快照"
        verbose_name_plural = "指标快照"
        indexes = [models.Index(fields=["org_unit", "period_code", "created_at"], name="snapshot_unit_period_idx")]

    def __str__(self) -> str:
        return f"{self.org_unit} {self.period_code} @ {self.created_at:%Y-%m-%d %H:%M}"


class SnapshotValue(HistoryRow):
    snapshot = models.ForeignKey(IndicatorSnapshot, on_delete=models.PROTECT, related_name="values")
    code = models.CharField("指标", max_length=60)
    name = models.CharField("名称", max_length=100)
    unit = models.CharField("计量单位", max_length=10)
    kind = models.CharField("类型", max_length=10)
    value = models.DecimalField("数值", max_digits=24, decimal_places=6, null=True)
    exact = models.DecimalField("未舍入数值", max_digits=30, decimal_places=10, null=True)
    numerator = models.DecimalField("分子", max_digits=24, decimal_places=6, null=True)
    denominator = models.DecimalField("分母", max_digits=24, decimal_places=6, null=True)
    version = models.CharField("定义版本", max_length=40)

    class Meta:
        verbose_name = "快照数值"
        verbose_name_plural = "快照数值"
        constraints = [models.UniqueConstraint(fields=["snapshot", "code"], name="snapshotvalue_unique_code")]

    def __str__(self) -> str:
        return f"{self.code}={self.value}"
