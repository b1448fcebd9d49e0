"""REST API: thin views over selectors; scoping is done by core.access inside the selectors."""

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from fazhi.core import access
from fazhi.core.access import Perm
from fazhi.core.errors import CoreErrorCode
from fazhi.core.params import ParamError, param_choice, param_int, param_period
from fazhi.indicators.engine import indicators_compute
from fazhi.registers.registry import register_definitions
from fazhi.registers.selectors import records_visible
from fazhi.reports import services as report_services
from fazhi.reports.models import SectionAssignment
from fazhi.reports.selectors import assignment_get, assignments_for_user

from .permissions import HoldsRequiredPerm
from .serializers import (
    DefinitionSerializer,
    IndicatorValueSerializer,
    RecordSerializer,
    SectionActionSerializer,
    SectionAssignmentSerializer,
)

if TYPE_CHECKING:
    from rest_framework.permissions import _PermissionClass  # a name of the stubs only


class Guarded:
    """Every API view names the permission it needs (`required_perm`, checked by HoldsRequiredPerm);
    the selectors and services it calls ask again at the unit."""

    permission_classes: Sequence["_PermissionClass"] = [IsAuthenticated, HoldsRequiredPerm]
    required_perm: Perm


@extend_schema(parameters=[OpenApiParameter("register", str, description="登记簿代码；不给则全部")])
class RecordList(Guarded, generics.ListAPIView):
    serializer_class = RecordSerializer
    required_perm = Perm.UNIT_READ

    def get_queryset(self):
        codes = [d.code for d in register_definitions()]
        register = param_choice(self.request.query_params, "register", codes) or None
        return records_visible(self.request.user, register=register).order_by("pk")


class RecordDetail(Guarded, generics.RetrieveAPIView):
    serializer_class = RecordSerializer
    required_perm = Perm.UNIT_READ

    def get_queryset(self):
        return records_visible(self.request.user)


class DefinitionList(Guarded, APIView):
    required_perm = Perm.UNIT_READ

    @extend_schema(responses=DefinitionSerializer(many=True))
    def get(self, request):
        rows = [{"code": d.code, "kind": d.kind, "name": d.name, "version": d.version} for d in register_definitions()]
        return Response(DefinitionSerializer(rows, many=True).data)


class IndicatorList(Guarded, APIView):
    """Every indicator of one unit (in the user's jurisdiction) and period, as `fazhi indicators` prints."""

    required_perm = Perm.UNIT_READ

    @extend_schema(parameters=[OpenApiParameter("unit", int, required=True),
                               OpenApiParameter("period", str, required=True, description="2024, 2024Q1, 2024-03…")],
                   responses=IndicatorValueSerializer(many=True))
    def get(self, request):
        unit_pk = param_int(request.query_params, "unit")
        period = param_period(request.query_params, "period")
        if unit_pk is None:
            raise ParamError("unit", "必须给出单位编号")
        if period is None:
            raise ParamError("period", "必须给出期间：2024、2024Q1、2024-03 或 2024YTD09", code=CoreErrorCode.PERIOD_INVALID)
        unit = access.unit_get(request.user, unit_pk)
        values = indicators_compute(units=[unit], periods=[period])
        rows = [v.as_dict() for (_, _, code), v in sorted(values.items(), key=lambda kv: kv[0][2])]
        return Response(IndicatorValueSerializer(rows, many=True).data)


class SectionList(Guarded, APIView):
    """The report sections the user's units write (writing together)."""

    required_perm = Perm.SECTION_WRITE

    @extend_schema(responses=SectionAssignmentSerializer(many=True))
    def get(self, request):
        return Response(SectionAssignmentSerializer(assignments_for_user(request.user), many=True).data)


def _assignment(request, pk: int) -> SectionAssignment:
    try:
        return assignment_get(request.user, pk=pk)[0]
    except SectionAssignment.DoesNotExist:
        raise Http404("没有这项报告分工") from None


class SectionDetail(Guarded, APIView):
    required_perm = Perm.UNIT_READ  # the office or the unit writing it (assignment_get asks which)

    @extend_schema(responses=SectionAssignmentSerializer)
    def get(self, request, pk: int):
        return Response(SectionAssignmentSerializer(_assignment(request, pk)).data)

    @extend_schema(request=SectionActionSerializer, responses=SectionAssignmentSerializer)
    def post(self, request, pk: int):
        """One step: save (text), submit, accept, return (comment), withdraw, comment. Errors come back as
        {"code", "message", "field"} (fazhi.api.errors) with status 400, or 403 when the user may not."""
        assignment = _assignment(request, pk)
        body = SectionActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        report_services.section_step(acting_user=request.user, assignment=assignment, step=data["action"],
                                     text=data["text"], comment=data["comment"], version=data["version"])
        assignment.refresh_from_db()
        return Response(SectionAssignmentSerializer(assignment).data)
