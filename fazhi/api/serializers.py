from rest_framework import serializers

from fazhi.core.personaldata import personal_data_mask
from fazhi.registers.models import Record
from fazhi.reports.services import SECTION_STEPS


class RecordSerializer(serializers.ModelSerializer):
    org_unit_name = serializers.CharField(source="org_unit.name", read_only=True)

    class Meta:
        model = Record
        fields = [
            "id", "register", "definition_version", "org_unit", "org_unit_name", "external_id", "status",
            "outcome", "category", "opened_on", "closed_on", "amount", "created_at", "updated_at",
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
