"""REST API: thin views over selectors; scoping is done by core.access inside the selectors."""

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import generics
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from fazhi.core import access
from fazhi.core.access import Perm
from fazhi.core.errors import CoreErrorCode
from fazhi.core.params import ParamError, param_choice, param_int, param_period
from fazhi.imports.models import ImportBatch
from fazhi.imports.selectors import batch_get
from fazhi.imports.services import batch_commit, import_run
from fazhi.indicators.engine import indicators_compute
from fazhi.registers.models import Record
from fazhi.registers.registry import register_definition, register_definitions
from fazhi.registers.selectors import record_get, records_visible
from fazhi.registers.services import record_transition, record_update
from fazhi.reports import services as report_services
from fazhi.reports.models import SectionAssignment
from fazhi.reports.selectors import assignment_get, assignments_for_user

from .permissions import HoldsRequiredPerm
from .serializers import (
    ApiRootSerializer,
    DefinitionSerializer,
    ImportCommitSerializer,
    ImportResultSerializer,
    ImportUploadSerializer,
    IndicatorValueSerializer,
    RecordSerializer,
    RecordTransitionSerializer,
    RecordUpdateSerializer,
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
    required_perm = Perm.UNIT_READ  # reading; a correction asks record.edit at the record's unit (the service)

    def get_queryset(self):
        return records_visible(self.request.user)

    @extend_schema(request=RecordUpdateSerializer, responses=RecordSerializer)
    def patch(self, request, pk: int):
        """Correct fields of the record (record_update). `version` is the one GET gave: a record changed
        since is a 409 record_conflict and nothing is written."""
        record = _record(request, pk)
        body = RecordUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        record = record_update(acting_user=request.user, record=record, changes=data["changes"], note=data["note"],
                               version=data["version"])
        return Response(RecordSerializer(record).data)


def _record(request, pk: int):
    try:
        return record_get(request.user, pk=pk)
    except Record.DoesNotExist:
        raise Http404 from None


class RecordTransition(Guarded, APIView):
    required_perm = Perm.RECORD_TRANSITION  # somewhere; the service asks it at the record's unit and step

    @extend_schema(request=RecordTransitionSerializer, responses=RecordSerializer)
    def post(self, request, pk: int):
        """One step of the record's procedure (record_transition), with the version GET gave (409
        record_conflict when the record changed since)."""
        record = _record(request, pk)
        body = RecordTransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        record = record_transition(acting_user=request.user, record=record, transition=data["transition"],
                                   on_date=data["on_date"], fields=data["payload"], outcome=data["outcome"] or None,
                                   note=data["note"], version=data["version"])
        return Response(RecordSerializer(record).data)


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


class ImportCreate(Guarded, APIView):
    """Import a file into a register, as `fazhi import FILE --into CODE …` does, answering its JSON."""

    required_perm = Perm.RECORD_CREATE  # somewhere; every row's unit is asked again by the register service

    @extend_schema(request={"multipart/form-data": ImportUploadSerializer}, responses=ImportResultSerializer)
    def post(self, request):
        """Upload an .xlsx/.xls/.csv file (multipart: `file`, `into`, optional `unit`, `mapping`, `dry_run`,
        `mode`). The answer is the CLI's JSON: `rows` = `accepted` + `rejected` + `unchanged` + `updated`, and
        `errors` as `{row, column, value, code, message}` (a file refused as a whole has `row` null). A dry
        run's `batch` is committed with POST /api/imports/<batch>/commit/."""
        body = ImportUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        definition = register_definition(data["into"])  # validated by the serializer
        if not access.units_where(request.user, Perm.RECORD_CREATE, definition=definition).exists():
            raise access.AccessDenied(f"无权向“{definition.name}”导入记录")
        upload = data["file"]
        result = import_run(acting_user=request.user, register=definition.code, content=upload.read(),
                            filename=upload.name or "upload", unit=data["unit"].strip() or None,
                            mapping=data["mapping"].strip() or None, dry_run=data["dry_run"], mode=data["mode"])
        return Response(ImportResultSerializer(result.as_json()).data)


def _batch(request, pk: int) -> ImportBatch:
    try:
        return batch_get(request.user, pk=pk)
    except ImportBatch.DoesNotExist:
        raise Http404 from None


class ImportCommit(Guarded, APIView):
    required_perm = Perm.RECORD_CREATE

    @extend_schema(request=ImportCommitSerializer, responses=ImportResultSerializer)
    def post(self, request, pk: int):
        """Commit one of the user's dry runs: the same file, unit and mapping; `mode` chosen now
        (all_or_nothing or keep_rejected; the dry run's when not given). A batch that is not a dry run is a 409
        batch_not_dry_run; another user's batch a 404."""
        batch = _batch(request, pk)
        body = ImportCommitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        result = batch_commit(acting_user=request.user, batch=batch, mode=body.validated_data["mode"])
        return Response(ImportResultSerializer(result.as_json()).data)


# What /api/ lists: (URL name, description), in the order a client meets them.
_ENDPOINTS = (
    ("api:docs", "接口说明（OpenAPI，可在页面上试用）"),
    ("api:schema", "OpenAPI 描述（YAML；?format=json 为 JSON）"),
    ("api:definitions", "登记簿定义"),
    ("api:records", "案件记录（?register=登记簿代码；分页 limit/offset）；单条 GET/PATCH，流转 POST …/transition/"),
    ("api:indicators", "某单位某期间的全部指标（?unit=&period=）"),
    ("api:sections", "报告章节分工；单条 GET，步骤 POST"),
    ("api:imports", "导入文件到登记簿（POST multipart：file、into、unit、mapping、dry_run、mode）；试导入批次 POST …/commit/"),
)


class ApiRoot(Guarded, APIView):
    """The API's entry point: every endpoint with what it serves."""

    required_perm = Perm.UNIT_READ

    @extend_schema(responses=ApiRootSerializer(many=True))
    def get(self, request):
        from django.urls import reverse

        rows = [{"name": name.split(":")[1], "url": request.build_absolute_uri(reverse(name)), "description": text}
                for name, text in _ENDPOINTS]
        return Response(ApiRootSerializer(rows, many=True).data)


class ApiDocs(Guarded, SpectacularSwaggerSplitView):
    """Swagger UI, its files served by fazhi (drf-spectacular-sidecar) and its start-up script a separate
    file (the split view), so the page runs under the CSP: no inline script, no inline style, no CDN."""

    required_perm = Perm.UNIT_READ
    template_name = "api/swagger_ui.html"
    url_name = "api:schema"
