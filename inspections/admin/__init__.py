"""Supervision in the admin: checklists and deadlines as policy data, inspections and their
rectifications (verified and closed or reopened here), suspensions (lifted by the county bureau),
random inspection plans and their draws, and the monthly directory of sites."""

from . import draws, inspections, policy

__all__ = ["draws", "inspections", "policy"]
