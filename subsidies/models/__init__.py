from .fees import Fee
from .recognition import Recognition
from .reference import GuidedFee, Income, PriceCapRule, ReferenceYear

__all__ = ["Fee", "GuidedFee", "Income", "PriceCapRule", "Recognition", "ReferenceYear"]
