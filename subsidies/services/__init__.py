from .errors import SubsidyError
from .fees import fees_refresh
from .recognition import (
    recognition_apply,
    recognition_checks,
    recognition_confirm_fees,
    recognition_decide,
    recognition_revoke,
)
from .reference import Cap, guided_fees, price_cap

__all__ = [
    "Cap",
    "SubsidyError",
    "fees_refresh",
    "guided_fees",
    "price_cap",
    "recognition_apply",
    "recognition_checks",
    "recognition_confirm_fees",
    "recognition_decide",
    "recognition_revoke",
]
