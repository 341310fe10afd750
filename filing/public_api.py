"""Open data (`GET /api/v1/public/institutions/`): the public directory for maps and parents' apps. No token,
read-only, 100 a page by cursor (no count of the whole table), filters `region` (any level) and
`updated_since`; only the fields of `filing.directory.OPEN_FIELDS`."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, serializers
from rest_framework.throttling import SimpleRateThrottle

from config.lockout import client_ip
from registry.api import params
from registry.api.pagination import StrictCursorPagination

from . import directory


class PublicInstitution(serializers.Serializer):
    uscc = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=["institution", "home_point"])
    region_code = serializers.CharField()
    address = serializers.CharField()
    service_types = serializers.ListField(child=serializers.CharField())
    slots = serializers.IntegerField()
    monthly_fees = serializers.DictField(
        child=serializers.IntegerField(), help_text="Yuan a month by service type"
    )
    inclusive = serializers.BooleanField()
    filing_receipt_number = serializers.CharField(allow_null=True)
    filed_on = serializers.DateField(allow_null=True)
    quality_grade = serializers.CharField(allow_null=True, help_text="The latest published grade, if any")
    latest_inspection = serializers.DictField(
        allow_null=True, help_text="The latest closed inspection: date, department, outcome"
    )

    def to_representation(self, instance):
        return directory.open_row(instance)


class PublicThrottle(SimpleRateThrottle):
    """A budget per client address (PUBLIC_API_RATE); 429 with Retry-After when spent."""

    scope = "public"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}


class DirectoryPagination(StrictCursorPagination):
    ordering = ("updated_at", "uscc")


class PublicInstitutionList(generics.ListAPIView):
    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [PublicThrottle]
    serializer_class = PublicInstitution
    pagination_class = DirectoryPagination

    def get_queryset(self):
        return directory.search(
            {"region": params.single(self.request, "region") or ""},
            updated_since=params.updated_since(self.request),
        )

    @extend_schema(
        summary="The public directory of filed institutions (open data, no token)",
        description=(
            "Filed, active childcare institutions and home-based care points, oldest change first, 100 a "
            "page; follow `next`. Never personal data. The same as CSV at /public/institutions.csv."
        ),
        parameters=[
            OpenApiParameter("region", OpenApiTypes.STR, description="A county, city or province code"),
            OpenApiParameter(
                "updated_since", OpenApiTypes.DATETIME, description="ISO-8601 date and time with offset"
            ),
        ],
        auth=[],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
