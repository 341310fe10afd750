from .errors import SubsidyError
from .fees import fees_refresh
from .programmes import (
    application_decide,
    application_submit,
    batch_paid,
    batch_prepare,
    clawback_record,
    periods,
    prefill,
)
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
    "application_decide",
    "application_submit",
    "batch_paid",
    "batch_prepare",
    "clawback_record",
    "fees_refresh",
    "guided_fees",
    "periods",
    "prefill",
    "price_cap",
    "recognition_apply",
    "recognition_checks",
    "recognition_confirm_fees",
    "recognition_decide",
    "recognition_revoke",
]
