"""Reads for the joint conference, and who may see which conference.

`registry.selectors.visible` decides by jurisdiction: staff see the conferences of their authority's region
and below. A conference also has members from outside that jurisdiction (a provincial body, a unit of a
neighbouring county), so `visible_conferences` adds membership: a person sees a conference when their
authority is one of its member units, or when they currently hold one of its roles. Every conference list
and every queryset hanging off a conference (tasks, meetings, reports, bulletins) starts from here.
"""

import datetime
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from registry.roles import Role
from registry.selectors import visible

from .models import (
    Conference,
    ConferenceRole,
    MemberUnit,
    RoleAssignment,
    Task,
)


def current(queryset: QuerySet, on: datetime.date | None = None, prefix: str = "") -> QuerySet:
    """Role assignments (or anything reaching them through `prefix`) held on a date."""
    on = on or timezone.localdate()
    return queryset.filter(
        Q(**{f"{prefix}starts_on__lte": on})
        & (Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": on}))
    )


def visible_conferences(user) -> QuerySet[Conference]:
    """Conferences a person may see: by jurisdiction (`visible`) or by membership."""
    everything = Conference.objects.all()
    if user is None or not user.is_authenticated or not user.is_active:
        return everything.none()
    if user.is_superuser:
        return everything
    condition = Q(pk__in=visible(Conference.objects.all(), user).values("pk"))
    if user.authority_id:
        condition |= Q(
            pk__in=MemberUnit.objects.filter(authority_id=user.authority_id).values("conference_id")
        )
    condition |= Q(pk__in=current(RoleAssignment.objects.filter(user_id=user.pk)).values("conference_id"))
    return everything.filter(condition)


def in_visible_conferences(queryset: QuerySet, user, path: str = "conference") -> QuerySet:
    """Restrict a queryset hanging off a conference (through `path`) to the visible conferences."""
    if user is not None and user.is_authenticated and user.is_active and user.is_superuser:
        return queryset
    return queryset.filter(**{f"{path}__in": visible_conferences(user).values("pk")})


def visible_tasks(user) -> QuerySet[Task]:
    return in_visible_conferences(Task.objects.select_related("conference", "lead_unit"), user)


def holders(
    conference: Conference, role: str, *, on: datetime.date | None = None, unit: MemberUnit | None = None
) -> QuerySet:
    """The people holding a role on a date (today by default); for unit roles, of one unit if given."""
    assignments = current(RoleAssignment.objects.filter(conference=conference, role=role), on)
    if unit is not None:
        assignments = assignments.filter(unit=unit)
    return get_user_model().objects.filter(pk__in=assignments.values("user_id"), is_active=True)


def unit_holders(units, roles, *, on: datetime.date | None = None) -> QuerySet:
    """People holding any of `roles` for any of `units` on a date."""
    assignments = current(RoleAssignment.objects.filter(unit__in=units, role__in=roles), on)
    return get_user_model().objects.filter(pk__in=assignments.values("user_id"), is_active=True)


def user_units(user, conference: Conference, *, on: datetime.date | None = None) -> QuerySet[MemberUnit]:
    """The member units a person currently acts for as liaison or member."""
    assignments = current(
        RoleAssignment.objects.filter(
            conference=conference, user_id=user.pk, role__in=[ConferenceRole.LIAISON, ConferenceRole.MEMBER]
        ),
        on,
    )
    return MemberUnit.objects.filter(pk__in=assignments.values("unit_id"))


def liaison_units(user, *, on: datetime.date | None = None) -> QuerySet[MemberUnit]:
    """Every member unit, in any conference, a person currently acts for as liaison or member."""
    assignments = current(
        RoleAssignment.objects.filter(
            user_id=user.pk, role__in=[ConferenceRole.LIAISON, ConferenceRole.MEMBER]
        ),
        on,
    )
    return MemberUnit.objects.filter(pk__in=assignments.values("unit_id")).select_related("conference")


def is_office(user, conference: Conference) -> bool:
    """The conference office: its current director, or office staff of the organising health bureau."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if holders(conference, ConferenceRole.OFFICE_DIRECTOR).filter(pk=user.pk).exists():
        return True
    return user.authority_id == conference.organiser_id and user.has_perm("conference.run_conference")


def office_people(conference: Conference) -> QuerySet:
    """Who hears what the office must hear: the director and the office staff of the organiser."""
    director = current(
        RoleAssignment.objects.filter(conference=conference, role=ConferenceRole.OFFICE_DIRECTOR)
    )
    return (
        get_user_model()
        .objects.filter(
            Q(pk__in=director.values("user_id"))
            | Q(authority_id=conference.organiser_id, groups__name=Role.CONFERENCE_OFFICE),
            is_active=True,
        )
        .distinct()
    )


def member_people(conference: Conference) -> QuerySet:
    """Every member unit's people: staff of the member authorities and whoever holds a role now."""
    roles = current(RoleAssignment.objects.filter(conference=conference))
    return (
        get_user_model()
        .objects.filter(
            Q(authority_id__in=conference.units.values("authority_id")) | Q(pk__in=roles.values("user_id")),
            is_active=True,
        )
        .distinct()
    )


def plenary_count(conference: Conference, year: int) -> int:
    return conference.meetings.filter(kind="plenary", held_on__year=year).count()


def progress_by_unit(conference: Conference, *, today: datetime.date | None = None) -> list[dict]:
    """For each member unit, its tasks as lead by status, and how many are overdue; tasks with no lead
    member unit are counted on their own row. Two queries whatever the number of tasks."""
    today = today or timezone.localdate()
    active = Q(status__in=Task.ACTIVE)
    rows = (
        Task.objects.filter(conference=conference)
        .values("lead_unit_id")
        .annotate(
            total=Count("pk"),
            open=Count("pk", filter=Q(status=Task.Status.OPEN)),
            in_progress=Count("pk", filter=Q(status=Task.Status.IN_PROGRESS)),
            done=Count("pk", filter=Q(status=Task.Status.DONE)),
            cancelled=Count("pk", filter=Q(status=Task.Status.CANCELLED)),
            overdue=Count("pk", filter=active & Q(due_on__lt=today)),
        )
        .order_by()
    )
    counts = {row["lead_unit_id"]: row for row in rows}
    zero = {"total": 0, "open": 0, "in_progress": 0, "done": 0, "cancelled": 0, "overdue": 0}
    result = []
    for unit in conference.units.select_related("authority").order_by("position", "pk"):
        row = counts.get(unit.pk, zero)
        result.append({"unit_id": unit.pk, "unit": str(unit), **{k: row[k] for k in zero}})
    if None in counts:
        result.append({"unit_id": None, "unit": "", **{k: counts[None][k] for k in zero}})
    return result


def overdue_tasks(conference: Conference, *, today: datetime.date | None = None) -> QuerySet[Task]:
    today = today or timezone.localdate()
    return (
        Task.objects.filter(conference=conference, status__in=Task.ACTIVE, due_on__lt=today)
        .select_related("lead_unit")
        .order_by("due_on", "pk")
    )


def responsible_names(tasks) -> dict[int, list[str]]:
    """Responsible units' names per task id, in one query."""
    through = Task.responsible_units.through
    names: dict[int, list[str]] = defaultdict(list)
    for task_id, short in (
        through.objects.filter(task_id__in=[t.pk for t in tasks])
        .order_by("memberunit__position")
        .values_list("task_id", "memberunit__short_name")
    ):
        names[task_id].append(short)
    return names
