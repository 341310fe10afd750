"""Fees and subsidies in the admin: the reference figures, guided fee standards and price cap rules of each
jurisdiction; inclusive and demonstration recognitions and their decisions; the fee disclosure list that
market regulation reads. Every class starts from `ScopedAdmin`; every change goes through the services."""

from . import fees, indicators, panels, programmes, recognitions, reference

__all__ = ["fees", "indicators", "panels", "programmes", "recognitions", "reference"]
