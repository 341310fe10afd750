"""The joint conference in the admin: the office runs conferences, meetings, tasks and bulletins; a
member unit's liaison reads their conference and reports progress. Every list goes through
`conference.selectors.visible_conferences` (jurisdiction or membership)."""

from . import conferences, records, tasks

__all__ = ["conferences", "records", "tasks"]
