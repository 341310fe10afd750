"""Demo joint conferences: Shiyan's (its 19 member units and their duties, its plan's tasks) and
Qingyuan's plan, from `conference.plans`. People hold the roles, some tasks are overdue and some done,
all through the real services. Only what is missing is created, so running it again changes nothing and
the dates (relative to the day of the first load) stay put."""

import datetime

from django.db import transaction
from django.utils import timezone

from registry.models import Authority, Region, User
from registry.roles import Role
from registry.services import authority_ensure, staff_user_ensure

from .models import Conference, ConferenceRole, DecidedItem, Meeting, MemberUnit, RoleAssignment, Task
from .plans import CONFERENCES, SHIYAN, ConferenceData
from .selectors import current
from .services import (
    resolve_units,
    role_assign,
    task_confirm,
    task_create,
    task_mark_done,
    task_report_progress,
    unit_index,
)

DEMO_PASSWORD = "demo"
# The one liaison who can sign in (password "demo"); the others have unusable passwords.
SIGN_IN_LIAISON = ("420300", Authority.Kind.EDUCATION)
# Due dates of the plan's tasks, in days from the first load, and the state each is brought to, in turn.
SCHEDULE = (
    (-75, "confirmed"),
    (-45, "in_progress"),
    (-12, "open"),
    (4, "in_progress"),
    (25, "open"),
    (-20, "done"),
    (60, "in_progress"),
    (-3, "open"),
    (120, "open"),
)
R = ConferenceRole


def _person(
    username: str, authority: Authority, role: str, full_name: str, password: str | None = None
) -> User:
    user, _created = staff_user_ensure(
        username=username, authority=authority, role=role, password=password, full_name=full_name
    )
    return user


def _hold(conference, role, user, starts_on, unit=None) -> None:
    held = RoleAssignment.objects.filter(conference=conference, role=role, unit=unit, user=user)
    if not current(held).exists():
        role_assign(conference=conference, role=role, user=user, unit=unit, starts_on=starts_on)


def _conference(data: ConferenceData) -> Conference:
    region = Region.objects.get(pk=data.region_code)
    health = Authority.objects.get(kind=Authority.Kind.HEALTH, region=region)
    conference, _created = Conference.objects.get_or_create(
        region=region,
        defaults={
            "organiser": health,
            "name": data.name,
            "established_on": datetime.date.fromisoformat(data.established_on),
            "plenary_min_per_year": data.plenary_min,
            "plenary_max_per_year": data.plenary_max,
        },
    )
    for position, unit in enumerate(data.units, start=1):
        authority, _created = authority_ensure(
            kind=unit.kind, region=region, name=region.name + unit.short_name.removeprefix("市")
        )
        MemberUnit.objects.get_or_create(
            conference=conference,
            authority=authority,
            defaults={
                "short_name": unit.short_name,
                "duties": unit.duties,
                "aliases": unit.aliases,
                "position": position,
            },
        )
    return conference


def _people(conference: Conference) -> dict[str, User]:
    """Who holds the roles: a convenor, deputies, the office director and each unit's liaison and
    member. Demo users are named after the place and the unit's authority kind."""
    code = conference.region_id
    started = conference.established_on or timezone.localdate() - datetime.timedelta(days=365)
    government = Authority.objects.filter(kind=Authority.Kind.GOVERNMENT, region_id=code).first()
    health = conference.organiser
    office = User.objects.filter(username=f"office-{code}").first() or _person(
        f"office-{code}", health, Role.CONFERENCE_OFFICE, f"{health.name}联席会议办公室"
    )
    _hold(conference, R.OFFICE_DIRECTOR, office, started)
    if government is not None:
        convenor = _person(
            f"convenor-{code}", government, Role.CONFERENCE_LIAISON, "联席会议召集人（分管副市长）"
        )
        _hold(conference, R.CONVENOR, convenor, started)
        deputy = _person(
            f"deputy-{code}-government", government, Role.CONFERENCE_LIAISON, "副召集人（副秘书长）"
        )
        _hold(conference, R.DEPUTY_CONVENOR, deputy, started)
    deputy_health = _person(
        f"deputy-{code}-health", health, Role.CONFERENCE_LIAISON, "副召集人（卫健部门主要负责同志）"
    )
    _hold(conference, R.DEPUTY_CONVENOR, deputy_health, started)
    liaisons = {}
    for unit in conference.units.select_related("authority"):
        kind = unit.authority.kind
        password = DEMO_PASSWORD if (code, kind) == SIGN_IN_LIAISON else None
        if (code, kind) == SIGN_IN_LIAISON and not RoleAssignment.objects.filter(
            unit=unit, role=R.LIAISON
        ).exists():
            # The first liaison moved on half a year ago: the history keeps them.
            former = _person(
                f"liaison-{code}-{kind}-former", unit.authority, Role.CONFERENCE_LIAISON, f"{unit}原联络员"
            )
            _hold(conference, R.LIAISON, former, started, unit)
            started_now = timezone.localdate() - datetime.timedelta(days=180)
        else:
            started_now = started
        liaison = _person(
            f"liaison-{code}-{kind}", unit.authority, Role.CONFERENCE_LIAISON, f"{unit}联络员", password
        )
        if not RoleAssignment.objects.filter(unit=unit, role=R.LIAISON, user=liaison).exists():
            role_assign(conference=conference, role=R.LIAISON, user=liaison, unit=unit, starts_on=started_now)
        member = _person(
            f"member-{code}-{kind}", unit.authority, Role.CONFERENCE_LIAISON, f"{unit}分管负责同志"
        )
        if not RoleAssignment.objects.filter(unit=unit, role=R.MEMBER, user=member).exists():
            role_assign(conference=conference, role=R.MEMBER, user=member, unit=unit, starts_on=started)
        liaisons[unit.pk] = liaison
    liaisons["office"] = office
    return liaisons


def _tasks(conference: Conference, data: ConferenceData, people: dict) -> int:
    today = timezone.localdate()
    index = unit_index(conference)
    known = set(Task.objects.filter(conference=conference).values_list("reference", flat=True))
    created = 0
    for number, item in enumerate(data.tasks):
        if item.reference in known:
            continue
        resolved = resolve_units(index, item.lead, item.responsible)
        offset, state = SCHEDULE[number % len(SCHEDULE)]
        task = task_create(
            conference=conference,
            text=item.text,
            reference=item.reference,
            due_on=today + datetime.timedelta(days=offset),
            lead_unit=resolved.lead,
            responsible_units=resolved.responsible,
            # Names that are no member unit (各县市区, a bank regulator) stay on the task as written.
            other_parties="、".join([*resolved.others, *resolved.unknown]),
            acting_user=people["office"],
        )
        created += 1
        lead_person = people.get(task.lead_unit_id, people["office"])
        if state in ("in_progress", "done", "confirmed") and task.lead_unit_id:
            task_report_progress(task=task, text="已制定工作方案，正在按计划推进。", acting_user=lead_person)
        if state in ("done", "confirmed"):
            task_mark_done(task=task, acting_user=lead_person, note="已按要求完成。")
        if state == "confirmed":
            task_confirm(task=task, acting_user=people["office"])
    return created


def _meeting(conference: Conference, people: dict) -> None:
    """A plenary meeting two months ago whose minutes decided two items; the first is already a task."""
    if conference.meetings.exists():
        return
    today = timezone.localdate()
    meeting = Meeting.objects.create(
        conference=conference,
        kind=Meeting.Kind.PLENARY,
        held_on=today - datetime.timedelta(days=60),
        convened_by=people["office"],
        agenda="一、听取年度婴幼儿照护服务工作报告；二、研究普惠托育服务推进中的重点问题。",
        minutes="会议听取了市卫健委关于年度工作情况的汇报，研究部署了下一阶段重点工作。",
    )
    meeting.attending_units.set(conference.units.all())
    health = conference.units.filter(authority=conference.organiser).first()
    education = conference.units.filter(authority__kind=Authority.Kind.EDUCATION).first()
    first = DecidedItem.objects.create(
        meeting=meeting,
        text="各成员单位于一个月内报送本单位婴幼儿照护服务工作台账。",
        lead_unit=health,
        due_on=today - datetime.timedelta(days=30),
    )
    DecidedItem.objects.create(
        meeting=meeting,
        text="研究制定幼儿园开设托班的具体支持措施。",
        lead_unit=education,
        due_on=today + datetime.timedelta(days=45),
    )
    if health is not None:
        from .services import decided_item_to_task

        decided_item_to_task(item=first, acting_user=people["office"])


@transaction.atomic
def load(*, stdout) -> None:
    for data in CONFERENCES:
        conference = _conference(data)
        people = _people(conference)
        before = conference.tasks.count()
        _tasks(conference, data, people)
        if data is SHIYAN:
            _meeting(conference, people)  # its first decided item becomes a task too
        total = conference.tasks.count()
        stdout.write(
            f"conference: {conference.name}: {conference.units.count()} member units, "
            f"{total} tasks ({total - before} new)"
        )
