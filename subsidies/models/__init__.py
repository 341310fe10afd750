from .fees import Fee
from .indicators import IndicatorSnapshot, SupplyTarget
from .programmes import (
    Application,
    ApplicationFile,
    Budget,
    Clawback,
    LevelRate,
    PaymentBatch,
    Programme,
    ProgrammeRule,
)
from .recognition import Recognition
from .reference import GuidedFee, Income, PriceCapRule, ReferenceYear

__all__ = [
    "Application",
    "ApplicationFile",
    "Budget",
    "Clawback",
    "Fee",
    "GuidedFee",
    "Income",
    "IndicatorSnapshot",
    "LevelRate",
    "PaymentBatch",
    "PriceCapRule",
    "Programme",
    "ProgrammeRule",
    "Recognition",
    "ReferenceYear",
    "SupplyTarget",
]
