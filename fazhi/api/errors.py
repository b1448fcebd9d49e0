"""The API's one exception handler: every error is JSON `{"code", "message", "field"}`.

fazhi's own errors (`FazhiError`) keep their code, message and field and answer with their
`http_status`; DRF's validation, authentication, permission, parse and method errors and Django's
Http404/PermissionDenied are mapped into the same shape, with Chinese messages (LANGUAGE_CODE is
zh-hans, so DRF's own texts come translated).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

from fazhi.core.errors import CoreErrorCode, FazhiError
from fazhi.core.personaldata import personal_data_mask

# One answer for "no such object" and "not yours to see", so a 404 never reveals that a record exists.
NOT_FOUND_MESSAGE = "没有找到，或不在您的管辖范围内"
PARSE_ERROR_MESSAGE = "请求内容无法解析：请提交有效的 JSON 或表单数据"


class ApiErrorCode(StrEnum):
    NOT_AUTHENTICATED = "not_authenticated"  # no credentials given
    AUTHENTICATION_FAILED = "authentication_failed"  # wrong credentials
    FIELD_REQUIRED = "field_required"  # a required input is missing or empty
    FIELD_INVALID = "field_invalid"  # an input of the wrong type, length or choice
    PARSE_ERROR = "parse_error"  # the request body is not valid JSON/form data
    METHOD_NOT_ALLOWED = "method_not_allowed"
    NOT_ACCEPTABLE = "not_acceptable"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    THROTTLED = "throttled"


_DRF_CODES: dict[type[exceptions.APIException], str] = {
    exceptions.NotAuthenticated: ApiErrorCode.NOT_AUTHENTICATED,
    exceptions.AuthenticationFailed: ApiErrorCode.AUTHENTICATION_FAILED,
    exceptions.PermissionDenied: CoreErrorCode.FORBIDDEN,
    exceptions.NotFound: CoreErrorCode.NOT_FOUND,
    exceptions.MethodNotAllowed: ApiErrorCode.METHOD_NOT_ALLOWED,
    exceptions.NotAcceptable: ApiErrorCode.NOT_ACCEPTABLE,
    exceptions.UnsupportedMediaType: ApiErrorCode.UNSUPPORTED_MEDIA_TYPE,
    exceptions.Throttled: ApiErrorCode.THROTTLED,
}
_REQUIRED_CODES = {"required", "null", "blank"}


def error_body(code: str, message: str, field: str | None = None) -> dict[str, str | None]:
    return {"code": str(code), "message": message, "field": field}


def _first_error(detail: Any, path: tuple[str, ...] = ()) -> tuple[tuple[str, ...], exceptions.ErrorDetail | str]:
    """The first (field path, error) of a ValidationError's nested detail, in the serializer's field order."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            return _first_error(value, path if key == "non_field_errors" else (*path, str(key)))
    if isinstance(detail, list) and detail:
        return _first_error(detail[0], path)
    return path, detail if isinstance(detail, str) else str(detail)


def _validation_body(exc: exceptions.ValidationError) -> dict[str, str | None]:
    path, error = _first_error(exc.detail)
    code = ApiErrorCode.FIELD_REQUIRED if getattr(error, "code", None) in _REQUIRED_CODES \
        else ApiErrorCode.FIELD_INVALID
    return error_body(code, personal_data_mask(str(error)), ".".join(path) or None)


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]; anything it does not know stays a 500 (and is logged)."""
    if isinstance(exc, FazhiError):
        return Response(exc.as_dict(), status=exc.http_status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = exception_handler(exc, context)  # DRF's: status, WWW-Authenticate, Retry-After
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = _validation_body(exc)
    elif isinstance(exc, exceptions.NotFound):
        response.data = error_body(CoreErrorCode.NOT_FOUND, NOT_FOUND_MESSAGE)
    elif isinstance(exc, exceptions.ParseError):  # DRF's parsers put the (English) parser message here
        response.data = error_body(ApiErrorCode.PARSE_ERROR, PARSE_ERROR_MESSAGE)
    elif isinstance(exc, exceptions.APIException):  # DRF answers (response not None) only APIExceptions
        # An APIException not listed (none that fazhi raises itself) keeps DRF's own code.
        code = next((c for cls, c in _DRF_CODES.items() if isinstance(exc, cls)), exc.default_code)
        response.data = error_body(code, str(exc.detail))
    return response

