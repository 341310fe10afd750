from .authorities import Authority, PushRoute, Route
from .institutions import Institution, InstitutionGroupObjectPermission, InstitutionUserObjectPermission
from .people import User
from .regions import Region
from .scope import Scope

__all__ = [
    "Authority",
    "Institution",
    "InstitutionGroupObjectPermission",
    "InstitutionUserObjectPermission",
    "PushRoute",
    "Region",
    "Route",
    "Scope",
    "User",
]
