"""The score and grade of a quality assessment: points awarded per requirement, summed per dimension and in
total, as a share of the points available; the grade is the highest band that share reaches, unless a veto
requirement (否决项) is not fully met, which fails the assessment whatever the score."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Scored:
    code: str
    dimension: str
    points: Decimal
    awarded: Decimal | None
    veto: bool = False


@dataclass(frozen=True)
class Band:
    grade: str
    min_percent: Decimal
    passing: bool = True


@dataclass
class Outcome:
    total: Decimal
    maximum: Decimal
    percent: Decimal
    grade: str
    passing: bool
    by_dimension: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)
    vetoed: list[str] = field(default_factory=list)


class ScoringError(ValueError):
    """The scores cannot be graded yet (a requirement unscored, a score out of range); `codes` says which."""

    def __init__(self, message: str, codes: list[str]):
        super().__init__(message)
        self.codes = codes


def grade(scored: list[Scored], bands: list[Band]) -> Outcome:
    unscored = [s.code for s in scored if s.awarded is None]
    if unscored:
        raise ScoringError("requirements not scored", unscored)
    out_of_range = [s.code for s in scored if not Decimal(0) <= s.awarded <= s.points]
    if out_of_range:
        raise ScoringError("scores outside 0 and the requirement's points", out_of_range)
    if not bands:
        raise ScoringError("the rubric has no grade bands", [])
    by_dimension: dict[str, tuple[Decimal, Decimal]] = {}
    for s in scored:
        awarded, maximum = by_dimension.get(s.dimension, (Decimal(0), Decimal(0)))
        by_dimension[s.dimension] = (awarded + s.awarded, maximum + s.points)
    total = sum((s.awarded for s in scored), Decimal(0))
    maximum = sum((s.points for s in scored), Decimal(0))
    percent = (total * 100 / maximum).quantize(Decimal("0.1"), ROUND_HALF_UP) if maximum else Decimal(0)
    vetoed = [s.code for s in scored if s.veto and s.awarded < s.points]
    ordered = sorted(bands, key=lambda b: b.min_percent, reverse=True)
    if vetoed:
        failing = [b for b in ordered if not b.passing]
        band = failing[-1] if failing else Band("fail", Decimal(0), passing=False)
    else:
        band = next((b for b in ordered if percent >= b.min_percent), ordered[-1])
    return Outcome(total, maximum, percent, band.grade, band.passing, by_dimension, vetoed)
