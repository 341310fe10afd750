"""Filing in the admin, for the county health bureau: the review queue and its decisions, terminations and
annual reports, operator accounts, and the filing policy of each jurisdiction. Every class starts from
`ScopedAdmin`, so staff see only their jurisdiction, and every change goes through `filing.services`."""

from . import filings, kindergartens, lifecycle, operators, panels, policy, reports

__all__ = ["filings", "kindergartens", "lifecycle", "operators", "panels", "policy", "reports"]
