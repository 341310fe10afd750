from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Registration, Route, ServiceType

MAX_BATCH = 1000
# The canonical form: 18 characters of the USCC alphabet (GB 32100: no I, O, S, V, Z). The service also
# takes lower case, spaces and hyphens, and checks the check character and the first character against
# the route.
USCC_PATTERN = r"^[0-9A-HJ-NPQRTUWXY]{18}$"


@extend_schema_field(
    {
        "type": "string",
        "pattern": USCC_PATTERN,
        "example": "91441802MA4WFXU41U",
        "description": "Unified Social Credit Code: 18 characters, the last a check character (GB 32100).",
    }
)
class UsccField(serializers.CharField):
    pass


class RegistrationInput(serializers.Serializer):
    """One pushed registration. Formats are checked here; the rules (check character, route, region,
    dates, who may push) in `registry.services.registration_push_many`."""

    uscc = UsccField(max_length=32, help_text=_("Unified Social Credit Code, 18 characters."))
    name = serializers.CharField(max_length=200)
    route = serializers.ChoiceField(choices=Route.choices)
    region_code = serializers.RegexField(
        r"^\d{6}$",
        help_text=_("County-level division code (GB/T 2260)."),
        error_messages={"invalid": _("A division code is six digits.")},
    )
    address = serializers.CharField(max_length=255)
    legal_representative = serializers.CharField(max_length=64)
    registered_on = serializers.DateField()
    business_scope = serializers.CharField()
    service_types = serializers.ListField(
        child=serializers.ChoiceField(choices=ServiceType.choices), required=False, default=list
    )
    employer_run = serializers.BooleanField(required=False, default=False)
    status = serializers.ChoiceField(choices=Registration.Status.choices, required=False, default="active")
    cancelled_on = serializers.DateField(required=False, allow_null=True, default=None)

    def validate_uscc(self, value):
        return value.replace(" ", "").replace("-", "").upper()


class RegistrationOutput(serializers.ModelSerializer):
    uscc = serializers.CharField(source="institution.uscc")
    region_code = serializers.CharField(source="region_id")
    registering_authority = serializers.CharField(source="authority.name")
    business_scope_flagged = serializers.BooleanField(source="scope_flagged")
    filing_status = serializers.CharField(source="institution.filing_status")

    class Meta:
        model = Registration
        fields = [
            "uscc",
            "name",
            "route",
            "region_code",
            "address",
            "legal_representative",
            "registered_on",
            "business_scope",
            "service_types",
            "employer_run",
            "status",
            "cancelled_on",
            "registering_authority",
            "late",
            "business_scope_flagged",
            "filing_status",
            "first_pushed_at",
            "updated_at",
        ]

    def to_representation(self, registration):
        # The same answer as the declared fields give (a test holds them equal), built directly: walking
        # DRF's fields costs more CPU than the rest of a read.
        return {
            "uscc": registration.institution.uscc,
            "name": registration.name,
            "route": registration.route,
            "region_code": registration.region_id,
            "address": registration.address,
            "legal_representative": registration.legal_representative,
            "registered_on": registration.registered_on.isoformat(),
            "business_scope": registration.business_scope,
            "service_types": list(registration.service_types),
            "employer_run": registration.employer_run,
            "status": registration.status,
            "cancelled_on": registration.cancelled_on.isoformat() if registration.cancelled_on else None,
            "registering_authority": registration.authority.name,
            "late": registration.late,
            "business_scope_flagged": registration.scope_flagged,
            "filing_status": registration.institution.filing_status,
            "first_pushed_at": _iso_datetime(registration.first_pushed_at),
            "updated_at": _iso_datetime(registration.updated_at),
        }

    def declared_representation(self, registration):
        return super().to_representation(registration)


def _iso_datetime(value) -> str:
    """What DRF's DateTimeField answers: local time in ISO 8601, UTC written as Z."""
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class PushResult(serializers.Serializer):
    result = serializers.ChoiceField(choices=["created", "updated", "unchanged"])
    record = RegistrationOutput()
    filing_status = serializers.CharField()
    flags = serializers.ListField(
        child=serializers.CharField(), help_text=_("late, business_scope_not_childcare")
    )


class FieldError(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class Error(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()
    errors = serializers.DictField(child=FieldError(many=True))


class BatchInput(serializers.Serializer):
    # Each record is checked on its own and reported by index, so the batch itself takes any items.
    records = serializers.ListField(
        child=serializers.JSONField(),
        max_length=MAX_BATCH,
        help_text=_(
            "Up to 1000 registrations, each as the body of POST /api/v1/registrations/. An invalid record "
            "is reported in its place in `results`; more than 1000 records answer 413."
        ),
    )


class BatchItemResult(serializers.Serializer):
    index = serializers.IntegerField()
    result = serializers.CharField(required=False)
    uscc = serializers.CharField(required=False)
    filing_status = serializers.CharField(required=False)
    flags = serializers.ListField(child=serializers.CharField(), required=False)
    status = serializers.IntegerField(required=False)
    code = serializers.CharField(required=False)
    message = serializers.CharField(required=False)
    errors = serializers.DictField(child=FieldError(many=True), required=False)


class BatchResult(serializers.Serializer):
    results = BatchItemResult(many=True)
