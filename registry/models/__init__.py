from .authorities import Authority, PushRoute, Route
from .calendar import CalendarDay
from .clients import ApiClient, IdempotencyRecord, hash_token
from .institutions import (
    CareForm,
    Institution,
    InstitutionGroupObjectPermission,
    InstitutionUserObjectPermission,
)
from .people import User
from .regions import Region
from .registrations import Registration, RegistrationConflict, ServiceType
from .scope import Scope

__all__ = [
    "ApiClient",
    "Authority",
    "CalendarDay",
    "CareForm",
    "IdempotencyRecord",
    "Institution",
    "InstitutionGroupObjectPermission",
    "InstitutionUserObjectPermission",
    "PushRoute",
    "Region",
    "Registration",
    "RegistrationConflict",
    "Route",
    "Scope",
    "ServiceType",
    "User",
    "hash_token",
]
