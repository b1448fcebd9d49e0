"""A unit's annual report through 起草 → 审核 → 审定 → 公开, and its immutable generated runs."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from fazhi.core.models import HistoryRow, OrgUnit


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
    # Why a published report is being revised (report_revise); the next published version carries it.
    revision_reason = models.TextField("修订理由", blank=True, default="")

    class Meta:
        verbose_name = "年度报告"
        verbose_name_plural = "年度报告"
        constraints = [models.UniqueConstraint(fields=["org_unit", "year"], name="annualreport_unit_year")]

    def __str__(self) -> str:
        return f"{self.year}年{self.org_unit}法治政府建设情况报告（{self.get_status_display()}）"


class ReportRun(HistoryRow):
    """One generation of the report, kept as it was: parameters, snapshot, definition, text, hashes.
    Append-only and hash-chained (see HistoryRow)."""

    report = models.ForeignKey(AnnualReport, on_delete=models.PROTECT, related_name="runs")
    snapshot = models.ForeignKey("indicators.IndicatorSnapshot", on_delete=models.PROTECT, related_name="+")
    definition_code = models.CharField("报告定义", max_length=40)
    definition_version = models.PositiveIntegerField("定义版本")
    created_at = models.DateTimeField("生成时间", default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="生成人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField("全文")
    html = models.TextField("网页版")
    text_sha256 = models.CharField("全文哈希", max_length=64)
    docx_sha256 = models.CharField("Word文件哈希", max_length=64)
    figures = models.PositiveIntegerField("数字个数")
    gate = models.JSONField("核对结果", default=dict)

    history_time_field = "created_at"

    class Meta:
        verbose_name = "报告生成记录"
        verbose_name_plural = "报告生成记录"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.report} @ {self.created_at:%Y-%m-%d %H:%M}"


class SectionStatus(models.TextChoices):
    ASSIGNED = "assigned", "待报送"  # the unit has been asked to write the section
    SUBMITTED = "submitted", "已报送"  # the unit sent its text; the office has not decided
    RETURNED = "returned", "已退回"  # the office sent it back with a comment; the unit writes again
    ACCEPTED = "accepted", "已采用"  # merged into the report (the office may still edit it)
    WITHDRAWN = "withdrawn", "已撤回"  # the office cancelled the assignment; nothing is merged


class SectionAssignment(models.Model):
    """One unit's part of the report: the office assigns a section, the unit writes or uploads its text
    before the deadline (default 3月1日, so the report can be published before 4月1日), the office
    accepts it into the report or returns it with a comment."""

    report = models.ForeignKey(AnnualReport, on_delete=models.PROTECT, related_name="assignments")
    section = models.CharField("章节", max_length=40)  # a SectionRef.key of the report definition
    org_unit = models.ForeignKey(OrgUnit, verbose_name="承担单位", on_delete=models.PROTECT, related_name="+")
    deadline = models.DateField("报送期限")
    status = models.CharField("状态", max_length=12, choices=SectionStatus.choices, default=SectionStatus.ASSIGNED)
    text = models.TextField("报送内容", blank=True, default="")
    # Incremented by every text save: a save carries the version its text was read at, and a stale one
    # is refused (SectionConflict) instead of overwriting what someone else saved meanwhile.
    version = models.PositiveIntegerField("版本", default=0)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    created_at = models.DateTimeField("分配时间", auto_now_add=True)

    class Meta:
        verbose_name = "报告分工"
        verbose_name_plural = "报告分工"
        ordering = ["report", "section", "pk"]

    def __str__(self) -> str:
        return f"{self.report} · {self.section} · {self.org_unit}"

    @property
    def late(self) -> bool:
        """Submitted after the deadline, or still not submitted and the deadline has passed."""
        from django.utils import timezone

        if self.submitted_at is not None:
            return timezone.localdate(self.submitted_at) > self.deadline
        return self.status in (SectionStatus.ASSIGNED, SectionStatus.RETURNED) and timezone.localdate() > self.deadline


class SectionEventKind(models.TextChoices):
    ASSIGNED = "assigned", "分配"
    SAVED = "saved", "保存草稿"
    UPLOADED = "uploaded", "上传文件"
    SUBMITTED = "submitted", "报送"
    RETURNED = "returned", "退回"
    ACCEPTED = "accepted", "采用"
    EDITED = "edited", "办公室修改"
    COMMENTED = "commented", "意见"
    WITHDRAWN = "withdrawn", "撤回分工"


class SectionEvent(HistoryRow):
    """The timeline of one assignment: who did what, when, with their comment (append-only, hash-chained)."""

    assignment = models.ForeignKey(SectionAssignment, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField("事件", max_length=12, choices=SectionEventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.PROTECT,
                              related_name="+")
    at = models.DateTimeField("时间", default=timezone.now, editable=False)
    comment = models.TextField("意见", blank=True, default="")

    history_time_field = "at"

    class Meta:
        verbose_name = "报告分工事件"
        verbose_name_plural = "报告分工事件"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.assignment} {self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class ReportApproval(HistoryRow):
    """审定: a leader, not the person who drafted it, approves one run and so the snapshot it was drafted
    from. Append-only and hash-chained; an approval holds only for that run (a later run needs its own)."""

    report = models.ForeignKey(AnnualReport, on_delete=models.PROTECT, related_name="approvals")
    run = models.ForeignKey(ReportRun, on_delete=models.PROTECT, related_name="approvals")
    snapshot = models.ForeignKey("indicators.IndicatorSnapshot", on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审定人", null=True,
                                    on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField("审定时间", default=timezone.now, editable=False)
    note = models.CharField("审定意见", max_length=500, blank=True, default="")

    history_time_field = "approved_at"

    class Meta:
        verbose_name = "报告审定"
        verbose_name_plural = "报告审定"
        ordering = ["-approved_at", "-pk"]


class ReportVersion(HistoryRow):
    """公开版本: what the public page serves, kept byte for byte (the .docx as published, its text and
    page). A published report never changes: publishing again after a revision adds version n+1 with
    the figures that changed (old → new) and why. Append-only and hash-chained."""

    report = models.ForeignKey(AnnualReport, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    run = models.ForeignKey(ReportRun, on_delete=models.PROTECT, related_name="+")
    approval = models.ForeignKey(ReportApproval, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField("公开时间", default=timezone.now, editable=False)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="公开人", null=True,
                                     on_delete=models.PROTECT, related_name="+")
    text = models.TextField("全文")
    html = models.TextField("网页版")
    docx = models.BinaryField("Word文件")
    docx_sha256 = models.CharField("Word文件哈希", max_length=64)
    # [{"code", "name", "unit", "old", "new"}]: the snapshot figures that differ from the previous version.
    changes = models.JSONField("变更数字", default=list)
    reason = models.TextField("修订理由", blank=True, default="")

    history_time_field = "published_at"

    class Meta:
        verbose_name = "报告公开版本"
        verbose_name_plural = "报告公开版本"
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="reportversion_unique_number")]

    def __str__(self) -> str:
        return f"{self.report} 第{self.number}版"
