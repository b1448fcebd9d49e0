from rest_framework import serializers

from fazhi.registers.models import Record


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
