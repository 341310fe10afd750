"""The random inspection draw, sha256-rank-v1, in plain Python with nothing from the platform, so anyone
can rerun it from a draw's published inputs (docs/draws.md prints the same steps).

Inputs: the seed (64 hex characters, revealed at the draw; its SHA-256 was published before), the roster
(USCCs, ascending), the inspector pool (codes, ascending) and the sample size.

1. Each institution's rank is SHA-256 of ``seed + ":" + uscc`` (hex); the ``sample_size`` lowest ranks are
   drawn, in rank order.
2. Each inspector's rank is SHA-256 of ``seed + ":inspector:" + code``; in rank order they form the list
   ``p``. The k-th drawn institution (from 0) gets ``p[2k mod m]`` and ``p[(2k+1) mod m]`` (m ≥ 2), so
   pairs rotate through the whole pool and nobody is paired with themself.
"""

import hashlib


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def digest(lines: list[str]) -> str:
    """The published digest of a roster or pool: SHA-256 of its entries joined by newlines."""
    return sha256("\n".join(lines))


def draw(seed: str, roster: list[str], pool: list[str], sample_size: int) -> list[dict]:
    if len(pool) < 2:
        raise ValueError("the inspector pool needs at least two inspectors")
    ranked = sorted(roster, key=lambda uscc: sha256(f"{seed}:{uscc}"))[:sample_size]
    inspectors = sorted(pool, key=lambda code: sha256(f"{seed}:inspector:{code}"))
    m = len(inspectors)
    return [
        {"uscc": uscc, "inspectors": [inspectors[(2 * k) % m], inspectors[(2 * k + 1) % m]]}
        for k, uscc in enumerate(ranked)
    ]
