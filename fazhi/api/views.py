"""REST API: thin views over selectors; scoping is done by core.access inside the selectors."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from fazhi.registers.registry import register_definitions
from fazhi.registers.selectors import records_visible

from .serializers import DefinitionSerializer, RecordSerializer


class RecordList(generics.ListAPIView):
    serializer_class = RecordSerializer

    def get_queryset(self):
        return records_visible(self.request.user, register=self.request.query_params.get("register")).order_by("pk")


class RecordDetail(generics.RetrieveAPIView):
    serializer_class = RecordSerializer

    def get_queryset(self):
        return records_visible(self.request.user)


class DefinitionList(APIView):
    @extend_schema(responses=DefinitionSerializer(many=True))
    def get(self, request):
        rows = [{"code": d.code, "kind": d.kind, "name": d.name, "version": d.version} for d in register_definitions()]
        return Response(DefinitionSerializer(rows, many=True).data)
