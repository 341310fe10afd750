"""The push API for registration bodies. Views translate between HTTP and the push service."""

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from ..models import ApiClient
from ..selectors import client_registrations
from ..services import (
    IdempotencyConflict,
    IdempotencyInProgress,
    idempotency_begin,
    idempotency_complete,
    registration_push_many,
    request_fingerprint,
)
from . import params
from .errors import error_body, field_errors
from .pagination import StrictCursorPagination
from .serializers import (
    MAX_BATCH,
    BatchInput,
    BatchResult,
    Error,
    PushResult,
    RegistrationInput,
    RegistrationOutput,
)

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Repeat a POST safely: the same key and body return the first answer (kept 48 hours).",
)
ERRORS = {400: Error, 401: Error, 403: Error, 409: Error, 422: Error, 429: Error}


class IsApiClient(permissions.BasePermission):
    def has_permission(self, request, view):
        return isinstance(request.auth, ApiClient)


class IdempotentPost:
    """Run `push(request)` at most once per Idempotency-Key; replay its answer to repeats."""

    def post(self, request, *args, **kwargs):
        key = request.headers.get("Idempotency-Key")
        if not key:
            return self.push(request)
        if len(key) > 255:
            return Response(
                error_body(400, "invalid_idempotency_key", _("The Idempotency-Key is too long.")), 400
            )
        fingerprint = request_fingerprint(request.method, request.path, request.body)
        with transaction.atomic():
            try:
                stored = idempotency_begin(client=request.auth, key=key, fingerprint=fingerprint)
            except IdempotencyConflict:
                return Response(
                    error_body(
                        422, "idempotency_key_reused", _("This Idempotency-Key was used with another body.")
                    ),
                    422,
                )
            except IdempotencyInProgress:
                return Response(
                    error_body(
                        409, "idempotency_in_progress", _("The first request with this key is still running.")
                    ),
                    409,
                )
            if stored is not None:
                return Response(
                    stored.response_body, stored.response_status, headers={"Idempotent-Replayed": "true"}
                )
            response = self.push(request)
            idempotency_complete(
                client=request.auth, key=key, status=response.status_code, body=response.data
            )
            return response


def _outcome_body(outcome) -> dict:
    if not outcome.ok:
        return error_body(outcome.status, outcome.code, outcome.message, outcome.errors)
    return {
        "result": outcome.result,
        "record": RegistrationOutput(outcome.registration).data,
        "filing_status": outcome.registration.institution.filing_status,
        "flags": outcome.flags,
    }


class RegistrationPagination(StrictCursorPagination):
    ordering = ("updated_at", "id")


class RegistrationListCreate(IdempotentPost, generics.ListAPIView):
    permission_classes = [permissions.IsAuthenticated, IsApiClient]
    serializer_class = RegistrationOutput
    pagination_class = RegistrationPagination

    def get_queryset(self):
        return client_registrations(self.request.auth, updated_since=params.updated_since(self.request))

    @extend_schema(
        summary="Registrations this registration body pushed",
        description=(
            "The registrations pushed by the token's authority, oldest change first, 100 a page; follow "
            "`next`. With `updated_since`, only those changed at or after that instant."
        ),
        parameters=[
            OpenApiParameter(
                "updated_since", OpenApiTypes.DATETIME, description="ISO-8601 date and time with offset"
            )
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Push one registration (create or update)",
        request=RegistrationInput,
        responses={201: PushResult, 200: PushResult, **ERRORS},
        parameters=[IDEMPOTENCY_HEADER],
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)

    def push(self, request):
        record = RegistrationInput(data=request.data)
        if not record.is_valid():
            return Response(
                error_body(400, "invalid", _("The record has invalid fields."), field_errors(record.errors)),
                400,
            )
        outcome = registration_push_many(client=request.auth, records=[record.validated_data])[0]
        return Response(_outcome_body(outcome), status=outcome.status)


class RegistrationBatch(IdempotentPost, APIView):
    permission_classes = [permissions.IsAuthenticated, IsApiClient]

    @extend_schema(
        summary="Push up to 1000 registrations; each record is reported",
        request=BatchInput,
        responses={200: BatchResult, 413: Error, **ERRORS},
        parameters=[IDEMPOTENCY_HEADER],
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)

    def push(self, request):
        records = request.data.get("records") if isinstance(request.data, dict) else None
        if not isinstance(records, list):
            return Response(
                error_body(
                    400,
                    "invalid",
                    _("The request has invalid fields."),
                    {"records": [{"code": "required", "message": _("Send a list of records.")}]},
                ),
                400,
            )
        if len(records) > MAX_BATCH:
            return Response(
                error_body(
                    413,
                    "too_many_records",
                    _("A batch holds at most %(max)d records; this one has %(count)d.")
                    % {"max": MAX_BATCH, "count": len(records)},
                ),
                413,
            )
        results: list[dict | None] = [None] * len(records)
        valid_indexes, valid_records = [], []
        # One serializer validates every record: building one per record deep-copies its fields each time.
        validator = RegistrationInput()
        for index, raw in enumerate(records):
            if not isinstance(raw, dict):
                errors = {
                    "non_field_errors": [
                        {"code": "not_an_object", "message": _("Each record is a JSON object.")}
                    ]
                }
            else:
                try:
                    valid_records.append(validator.run_validation(raw))
                    valid_indexes.append(index)
                    continue
                except ValidationError as exc:
                    errors = field_errors(exc.detail)
            results[index] = {
                "index": index,
                **error_body(400, "invalid", _("The record has invalid fields."), errors),
            }
        for index, outcome in zip(
            valid_indexes, registration_push_many(client=request.auth, records=valid_records), strict=True
        ):
            if outcome.ok:
                results[index] = {
                    "index": index,
                    "result": outcome.result,
                    "uscc": outcome.registration.institution.uscc,
                    "filing_status": outcome.registration.institution.filing_status,
                    "flags": outcome.flags,
                }
            else:
                results[index] = {"index": index, **_outcome_body(outcome)}
        return Response({"results": results}, status=200)


class RegistrationDetail(generics.RetrieveAPIView):
    permission_classes = [permissions.IsAuthenticated, IsApiClient]
    serializer_class = RegistrationOutput
    lookup_field = "institution__uscc"
    lookup_url_kwarg = "uscc"

    def get_queryset(self):
        return client_registrations(self.request.auth)

    @extend_schema(
        summary="One registration this registration body pushed",
        responses={200: RegistrationOutput, 404: Error},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
