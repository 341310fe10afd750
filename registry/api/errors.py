"""One error shape for every API error:

    {"status": 400, "code": "invalid", "message": "…", "errors": {"field": [{"code": "…", "message": "…"}]}}

`code` is machine-readable and stable; `message` is in the request's language.
"""

from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from .parsers import RequestTooLarge


def error_body(status: int, code: str, message: str, errors: dict | None = None) -> dict:
    return {"status": status, "code": code, "message": str(message), "errors": errors or {}}


def field_errors(detail) -> dict[str, list[dict[str, str]]]:
    """DRF's nested error details as {field: [{code, message}]}; nested fields are dotted."""
    out: dict[str, list[dict[str, str]]] = {}

    def walk(prefix: str, value) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        elif isinstance(value, list) and value and not isinstance(value[0], exceptions.ErrorDetail):
            for i, inner in enumerate(value):
                if inner:
                    walk(f"{prefix}.{i}" if prefix else str(i), inner)
        else:
            for item in value if isinstance(value, list) else [value]:
                out.setdefault(prefix or "non_field_errors", []).append(
                    {"code": getattr(item, "code", "invalid"), "message": str(item)}
                )

    walk("", detail)
    return out


def exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig):  # Django's own limit, met when a view reads request.body
        exc = RequestTooLarge()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        body = error_body(
            response.status_code, "invalid", _("The request has invalid fields."), field_errors(exc.detail)
        )
    else:
        code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        if not isinstance(code, str):
            code = "error"
        body = error_body(response.status_code, code, str(getattr(exc, "detail", exc)))
    response.data = body
    return response
