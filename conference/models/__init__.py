"""The joint conference (联席会议): member units and the people who hold its roles, meetings and their
decided items, tasks and progress reports, escalation and bulletins.

Every model is scoped to the conference's region (`Scope(region=...)`), so `registry.selectors.visible`
gives staff of the city's authorities their conferences; `conference.selectors.visible_conferences` adds
the member units' people, whose authority may sit elsewhere.
"""

from .bulletins import Bulletin
from .conferences import (
    SINGLE_HOLDER_ROLES,
    UNIT_ROLES,
    Conference,
    ConferenceRole,
    MemberUnit,
    RoleAssignment,
)
from .meetings import DecidedItem, Meeting, PlenaryShortfall
from .tasks import Escalation, ProgressReport, Task, attachment_upload_to  # the migrations name it here

__all__ = [
    "SINGLE_HOLDER_ROLES",
    "UNIT_ROLES",
    "Bulletin",
    "Conference",
    "ConferenceRole",
    "DecidedItem",
    "Escalation",
    "Meeting",
    "MemberUnit",
    "PlenaryShortfall",
    "ProgressReport",
    "RoleAssignment",
    "Task",
    "attachment_upload_to",
]
