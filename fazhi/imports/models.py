"""Import batches, every raw row they read (the staging table) and saved column mappings."""

from django.conf import settings
from django.db import models


class BatchMode(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", "全部正确才导入"
    KEEP_REJECTED = "keep_rejected", "导入正确行，保留错误行"


class BatchStatus(models.TextChoices):
    DRY_RUN = "dry_run", "试导入"
    COMMITTED = "committed", "已导入"
    REFUSED = "refused", "整批未导入"


class BatchState(models.TextChoices):
    """Where the run of a batch is (a large file runs as a background job, with its progress)."""

    QUEUED = "queued", "排队中"
    RUNNING = "running", "处理中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class ImportBatch(models.Model):
    """One run of one file into one register (a dry run or a commit)."""

    register = models.CharField("登记簿", max_length=40)
    filename = models.CharField("文件名", max_length=255)
    sha256 = models.CharField("文件摘要", max_length=64)
    encoding = models.CharField("编码", max_length=20, blank=True, default="")
    sheet = models.CharField("工作表", max_length=100, blank=True, default="")
    mode = models.CharField("方式", max_length=20, choices=BatchMode.choices)
    status = models.CharField("状态", max_length=20, choices=BatchStatus.choices)
    mapping = models.CharField("映射", max_length=60, blank=True, default="")
    # The file itself, so a dry run can be committed without uploading it again.
    content = models.BinaryField("文件内容", editable=False)
    summary = models.JSONField("结果", default=dict)
    state = models.CharField("进度状态", max_length=10, choices=BatchState.choices, default=BatchState.DONE)
    progress = models.PositiveSmallIntegerField("进度", default=100)  # percent, while queued or running
    error = models.TextField("失败原因", blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="导入人", null=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "导入批次"
        verbose_name_plural = "导入批次"

    def __str__(self) -> str:
        return f"#{self.pk} {self.register} {self.filename}"


class RowStatus(models.TextChoices):
    ACCEPTED = "accepted", "新增"
    UPDATED = "updated", "更新"
    UNCHANGED = "unchanged", "未变化"
    REJECTED = "rejected", "未导入"
    PENDING = "pending", "待写入"  # checked, not yet written (while a batch runs)


class StagedRow(models.Model):
    """One raw data row of a batch, as read from the file, with what became of it."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    row_number = models.PositiveIntegerField("行号")  # as the spreadsheet shows it (1-based)
    cells = models.JSONField("原始内容", default=list)
    external_id = models.CharField("编号", max_length=60, blank=True, default="")
    status = models.CharField("状态", max_length=20, choices=RowStatus.choices)
    reason = models.TextField("原因", blank=True, default="")
    record_id = models.BigIntegerField("记录", null=True, blank=True)
    errors = models.JSONField("错误", default=list)  # [{row, column, value, code, message}], in order
    # A checked row's converted values until it is written (unit, dates, payload, status): a batch is
    # checked and written in chunks, never held in memory whole.
    data = models.JSONField("转换结果", null=True, blank=True)

    class Meta:
        verbose_name = "导入行"
        verbose_name_plural = "导入行"
        ordering = ["batch", "row_number"]
        constraints = [models.UniqueConstraint(fields=["batch", "row_number"], name="stagedrow_unique_row")]
        indexes = [models.Index(fields=["batch", "external_id"], name="stagedrow_batch_external_id")]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.row_number} {self.status}"


class ImportMapping(models.Model):
    """How one source system's export maps onto a register, saved once by an office and reused."""

    name = models.CharField("名称", max_length=60)
    register = models.CharField("登记簿", max_length=40)
    columns = models.JSONField("列对应", default=dict)  # {file header: field code | external_id | org_unit}
    values = models.JSONField("值对应", default=dict)  # {field code: {file value: choice code}}
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", null=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "导入映射"
        verbose_name_plural = "导入映射"
        constraints = [models.UniqueConstraint(fields=["register", "name"], name="importmapping_unique_name")]

    def __str__(self) -> str:
        return f"{self.register}:{self.name}"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "生成中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class ExportKind(models.TextChoices):
    """What an export holds (fazhi.imports.tables builds each kind's rows)."""

    RECORDS = "records", "登记簿列表"
    INDICATORS = "indicators", "指标表"
    INDICATOR_RECORDS = "indicator_records", "构成指标的记录"
    COMPLETENESS = "completeness", "数据集报送情况"
    DATASET_VALUES = "dataset_values", "数据集填报数据"


class ExportFile(models.Model):
    """One export of a filtered register list (or of another table, `kind`), kept for FAZHI_EXPORT_RETENTION_DAYS so it can be downloaded
    again from the exports page, then removed by `fazhi exports purge`. Only its author may download it."""

    kind = models.CharField("内容", max_length=20, choices=ExportKind.choices, default=ExportKind.RECORDS)
    # The register, indicator or data set exported (its code); "indicators" for a whole indicator table.
    register = models.CharField("登记簿", max_length=40)
    title = models.CharField("名称", max_length=200, blank=True, default="")  # as the exports page names it
    fmt = models.CharField("格式", max_length=8)
    # The list's validated filters (a 身份证号 searched for is never stored here, only that one was).
    filters = models.JSONField("筛选条件", default=dict)
    row_count = models.PositiveIntegerField("行数", default=0)
    masked = models.BooleanField("个人信息已遮蔽", default=True)
    content = models.BinaryField("文件内容", editable=False, default=bytes)
    # A large list is written by a background job: its state and progress (percent) for the exports page.
    status = models.CharField("状态", max_length=10, choices=ExportStatus.choices, default=ExportStatus.DONE)
    progress = models.PositiveSmallIntegerField("进度", default=100)
    error = models.TextField("失败原因", blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="导出人", null=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "导出文件"
        verbose_name_plural = "导出文件"

    def __str__(self) -> str:
        return f"#{self.pk} {self.register}.{self.fmt}"

    @property
    def filename(self) -> str:
        return f"{self.register}-{self.created_at:%Y%m%d-%H%M%S}.{self.fmt}"
