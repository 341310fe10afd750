from rest_framework.throttling import SimpleRateThrottle

from ..models import ApiClient


class ApiClientRateThrottle(SimpleRateThrottle):
    """A request budget per API client (API_THROTTLE_RATE), answered with 429 and Retry-After."""

    scope = "api_client"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiClient):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
