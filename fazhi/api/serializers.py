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
