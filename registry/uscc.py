"""Unified Social Credit Code (GB 32100-2015) rules beyond the check character, which python-stdnum checks."""

from stdnum.cn import uscc as stdnum_uscc

from .models import Route

# The first character names the registering department; the second, where the standard fixes it,
# the kind of entity (1x public institution by the establishment office, 5x social organisation by
# civil affairs, 9x enterprise by market regulation).
ROUTE_PREFIXES: dict[str, tuple[str, ...]] = {
    Route.PUBLIC_INSTITUTION: ("12",),
    Route.SOCIAL_SERVICE: ("52",),
    Route.ENTERPRISE: ("91", "92", "93"),
    Route.KINDERGARTEN: ("12", "52", "91"),  # a for-profit kindergarten is a company (market regulation)
}


def uscc_with_check(first17: str) -> str:
    """Complete 17 characters with their check character."""
    return first17 + stdnum_uscc.calc_check_digit(first17)


def uscc_route_error(uscc: str, route: str) -> str | None:
    """Why `uscc` cannot belong to `route`, or None when it fits."""
    prefixes = ROUTE_PREFIXES.get(route, ())
    if not prefixes or uscc[:2] in prefixes:
        return None
    if uscc[0] not in {p[0] for p in prefixes}:
        return "first_character"
    return "second_character"
