"""Supervision in the admin: checklists and deadlines as policy data, inspections and their
rectifications (verified and closed or reopened here), suspensions (lifted by the county bureau),
random inspection plans and their draws, the monthly directory of sites, health evaluations, complaints
and credit records."""

from . import assessments, draws, inspections, panels, policy, public_matters, rubrics

__all__ = ["assessments", "draws", "inspections", "panels", "policy", "public_matters", "rubrics"]
