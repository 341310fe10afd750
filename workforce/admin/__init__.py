"""The staff register in the admin: the county bureau reads rosters across its jurisdiction (identity
numbers masked; in full on a person's page, recorded), public security sees security staff and bans, and
bans are recorded here."""

from . import bans, panels, people, policy

__all__ = ["bans", "panels", "people", "policy"]
