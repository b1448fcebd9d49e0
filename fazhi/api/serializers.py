from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from fazhi.core.personaldata import personal_data_mask
from fazhi.registers.models import Record
from fazhi.reports.services import SECTION_STEPS


class RecordSerializer(serializers.ModelSerializer):
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)

    class Meta:
        model = Record
        fields = [
            "id", "register", "definition_version", "version", "org_unit", "org_unit_name", "external_id",
            "status", "outcome", "category", "opened_on", "closed_on", "amount", "created_at", "updated_at",
        ]


class DefinitionSerializer(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.CharField()
    name = serializers.CharField()
    version = serializers.IntegerField()


class IndicatorValueSerializer(serializers.Serializer):
    """The JSON of `fazhi indicators --format json`, one object per indicator."""

    code = serializers.CharField()
    name = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    unit = serializers.CharField()
    numerator = serializers.FloatField(allow_null=True)
    denominator = serializers.FloatField(allow_null=True)
    period = serializers.CharField()
    period_label = serializers.CharField()
    unit_name = serializers.CharField()
    org_unit_id = serializers.IntegerField()
    version = serializers.CharField()


class SectionAssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    report = serializers.CharField(source="report.__str__")
    year = serializers.IntegerField(source="report.year")
    section = serializers.CharField()
    version = serializers.IntegerField()
    org_unit = serializers.IntegerField(source="org_unit_id")
    org_unit_name = serializers.CharField(source="org_unit.name")
    deadline = serializers.DateField()
    status = serializers.CharField()
    status_name = serializers.CharField(source="get_status_display")
    late = serializers.BooleanField()
    # Personal numbers in the text are masked in the API (no reveal here: the web page audits reveals).
    text = serializers.SerializerMethodField()
    submitted_at = serializers.DateTimeField(allow_null=True)


    def get_text(self, obj) -> str:
        return personal_data_mask(obj.text)


class SectionActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=SECTION_STEPS)
    text = serializers.CharField(required=False, allow_blank=True, default="")
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    # The `version` of the section the text was read at (GET gives it): a stale save is a 409
    # section_conflict. Without it the save wins (older clients).
    version = serializers.IntegerField(required=False, min_value=0, max_value=2**31 - 1, allow_null=True,
                                       default=None)

    def validate(self, attrs):
        # A `save` without `text` used to write an empty text over the section: `text` is required for it
        # (an empty string still clears the section on purpose).
        if attrs.get("action") == "save" and "text" not in self.initial_data:
            raise serializers.ValidationError({"text": serializers.ErrorDetail("保存时必须提交 text（正文）",
                                                                               code="required")})
        return attrs


@extend_schema_field({"oneOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}], "nullable": True})
class ScalarField(serializers.Field):
    """A field value as JSON gives it: text, number, true/false or null (the register cleans it further);
    an object or a list is refused here, naming the field."""

    default_error_messages = {"invalid": "应为文字、数字、true/false 或 null"}

    def to_internal_value(self, data):
        if data is None or isinstance(data, str | int | float | bool):
            return data
        self.fail("invalid")

    def to_representation(self, value):
        return value


_VERSION_HELP = "读取记录时的 version：期间别人改过则 409 record_conflict，什么也不写"


class RecordUpdateSerializer(serializers.Serializer):
    """PATCH /api/records/<id>/: correct fields of the record's content (not its status: see transition)."""

    version = serializers.IntegerField(min_value=0, max_value=2**31 - 1, help_text=_VERSION_HELP)
    changes = serializers.DictField(child=ScalarField(allow_null=True), allow_empty=False,
                                    help_text="字段代码 → 新值；null 清除")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="",
                                 help_text="更正理由")


class RecordTransitionSerializer(serializers.Serializer):
    """POST /api/records/<id>/transition/: one step of the record's procedure."""

    transition = serializers.CharField(max_length=40)
    version = serializers.IntegerField(min_value=0, max_value=2**31 - 1, help_text=_VERSION_HELP)
    on_date = serializers.DateField(required=False, allow_null=True, default=None)
    outcome = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    payload = serializers.DictField(child=ScalarField(allow_null=True), required=False, default=dict,
                                   help_text="这一步要填写的字段：字段代码 → 值")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ApiRootSerializer(serializers.Serializer):
    name = serializers.CharField()
    url = serializers.CharField()
    description = serializers.CharField()


class ImportRowErrorSerializer(serializers.Serializer):
    """One error of an import: the spreadsheet's row (null for the file as a whole) and the file's header."""

    row = serializers.IntegerField(allow_null=True)
    column = serializers.CharField(allow_null=True)
    value = serializers.CharField(allow_blank=True)
    code = serializers.CharField()
    message = serializers.CharField()


class ImportResultSerializer(serializers.Serializer):
    """The JSON of `fazhi import … --format json`: rows = accepted + rejected + unchanged + updated."""

    batch = serializers.IntegerField(help_text="导入批次编号（试导入的批次可 POST …/commit/ 正式导入）")
    register = serializers.CharField()
    dry_run = serializers.BooleanField()
    mode = serializers.CharField()
    committed = serializers.BooleanField()
    encoding = serializers.CharField(allow_blank=True)
    sheet = serializers.CharField(allow_blank=True)
    rows = serializers.IntegerField()
    accepted = serializers.IntegerField()
    rejected = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    updated = serializers.IntegerField()
    ignored_columns = serializers.ListField(child=serializers.CharField())
    ignored_sheets = serializers.ListField(child=serializers.CharField())
    unit = serializers.CharField(allow_blank=True)
    headers = serializers.ListField(child=serializers.CharField(allow_blank=True))
    errors_omitted = serializers.IntegerField(help_text="超出列出上限（前 10000 条）而未列出的行错误数")

    def get_fields(self):
        # `errors` is a key of the JSON and also a property of every Serializer: added here, not as an attribute.
        fields = super().get_fields()
        fields["errors"] = ImportRowErrorSerializer(many=True)
        return fields


_MODES = [("all_or_nothing", "全部正确才导入"), ("keep_rejected", "导入正确行，保留错误行")]


IMPORT_MAX_BYTES = 20 * 1024 * 1024  # as the import page; larger files go through `fazhi import`


class ImportUploadSerializer(serializers.Serializer):
    """POST /api/imports/ (multipart/form-data): the options of `fazhi import`."""

    file = serializers.FileField(help_text=".xlsx、.xls 或 .csv（UTF-8、UTF-8 BOM 或 GB18030）")
    into = serializers.CharField(max_length=40, help_text="登记簿代码，如 people_mediation")
    unit = serializers.CharField(max_length=100, required=False, allow_blank=True, default="",
                                 help_text="文件没有“承办单位”列时导入到的单位（名称或行政区划代码）")
    mapping = serializers.CharField(max_length=60, required=False, allow_blank=True, default="",
                                    help_text="已保存的导入映射名称")
    dry_run = serializers.BooleanField(required=False, default=False, help_text="只检查，不写入")
    mode = serializers.ChoiceField(choices=_MODES, required=False, default="all_or_nothing",
                                   help_text="all_or_nothing：全部正确才导入；keep_rejected：导入正确行，保留错误行")

    def validate_file(self, value):
        if value.size > IMPORT_MAX_BYTES:
            raise serializers.ValidationError("文件超过 20MB，请用命令行 fazhi import 导入")
        return value

    def validate_into(self, value: str) -> str:
        from fazhi.registers.registry import UnknownRegister, register_definition

        try:
            return register_definition(value).code
        except UnknownRegister:
            raise serializers.ValidationError(f"没有登记簿“{value[:40]}”") from None


class ImportCommitSerializer(serializers.Serializer):
    """POST /api/imports/<batch>/commit/: commit a dry run, optionally choosing the mode anew."""

    mode = serializers.ChoiceField(choices=_MODES, required=False, allow_null=True, default=None,
                                   help_text="不给则沿用试导入时的方式")
