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
from .queue import QueueOrder
from .regions import Region
from .registrations import Registration, RegistrationConflict, ServiceType
from .scope import InstitutionRegion, Scope

__all__ = [
    "ApiClient",
    "Authority",
    "CalendarDay",
    "CareForm",
    "IdempotencyRecord",
    "Institution",
    "InstitutionGroupObjectPermission",
    "InstitutionRegion",
    "InstitutionUserObjectPermission",
    "PushRoute",
    "QueueOrder",
    "Region",
    "Registration",
    "RegistrationConflict",
    "Route",
    "Scope",
    "ServiceType",
    "User",
    "hash_token",
]
