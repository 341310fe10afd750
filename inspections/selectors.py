"""Reads for supervision: the checklists and rectification deadlines in force in a county, what an
operator sees of their inspections, and what is published."""

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from registry.models import Institution, User
from registry.models.institutions import FilingStatus
from registry.selectors import authority_kind, most_specific, visible_institutions

from .models import (
    Assessment,
    Checklist,
    Complaint,
    CreditRecord,
    Department,
    Draw,
    HealthEvaluation,
    Inspection,
    InspectionPlan,
    Rectification,
    RectificationPolicy,
    Severity,
    Suspension,
)

# National defaults when no policy row exists at all (the migration installs rows with these numbers).
DEFAULT_DAYS = {Severity.MINOR: 30, Severity.MAJOR: 15, Severity.SERIOUS: 7}


def department_of(user) -> str:
    """The inspecting department a staff member records for: their authority's kind, when it inspects and
    their role lets them record inspections ("" otherwise)."""
    kind = authority_kind(user)
    if kind not in Department.values or not user.has_perm("inspections.add_inspection"):
        return ""
    return kind


def checklists_for(region_code: str, department: str) -> dict[str, Checklist]:
    """The current checklists of a department in a county, by code (the most specific region wins)."""
    return most_specific(
        Checklist.objects.filter(department=department, current=True), region_code, key=lambda c: c.code
    )


def rectification_policy(region_code: str) -> dict[str, RectificationPolicy | None]:
    found = most_specific(RectificationPolicy.objects.all(), region_code, key=lambda r: r.severity)
    return {severity: found.get(severity) for severity in Severity.values}


def rectification_days(region_code: str, severity: str) -> int:
    row = rectification_policy(region_code)[severity]
    return row.days if row else DEFAULT_DAYS[severity]


def colleagues(authority_id: int) -> QuerySet[User]:
    """Who may be named as an inspector for a body: its active staff."""
    return User.objects.filter(authority_id=authority_id, is_active=True, is_staff=True).order_by("username")


def inspectable(user) -> QuerySet[Institution]:
    """Institutions a department's staff may inspect: registered or filed ones in their jurisdiction,
    not terminated."""
    return visible_institutions(user).exclude(filing_status=FilingStatus.TERMINATED)


def for_operator(institution) -> dict:
    """What an institution's operators see: its recorded inspections with findings, its rectifications
    (the open ones first), and any suspension in force. Never who complained or how inspectors were
    drawn."""
    inspections = (
        Inspection.objects.filter(
            institution=institution, status__in=[Inspection.Status.RECORDED, Inspection.Status.CLOSED]
        )
        .select_related("authority")
        .order_by("-inspected_on", "-pk")
    )
    rectifications = (
        Rectification.objects.filter(institution=institution)
        .select_related("inspection__authority", "finding")
        .order_by("status", "deadline")
    )
    return {
        "inspections": inspections,
        "rectifications": rectifications,
        "suspensions": Suspension.objects.filter(institution=institution, lifted_on__isnull=True),
    }


def published_results(institution) -> QuerySet[Inspection]:
    """一公开: an institution's closed inspections (institution, date, department, outcome)."""
    return (
        Inspection.objects.filter(institution=institution, status=Inspection.Status.CLOSED)
        .select_related("authority")
        .order_by("-inspected_on", "-pk")
    )


def directory_facts(institution_ids: list[int]) -> dict[int, dict]:
    """The public directory's supervision facts per institution: its published quality grade and its latest
    closed inspection (date, department, outcome), the same facts its public page shows; a query each."""
    found: dict[int, dict] = {}
    grades = (
        Assessment.objects.filter(
            institution_id__in=institution_ids,
            status__in=[Assessment.Status.PUBLISHED, Assessment.Status.APPEALED],
        )
        .order_by("institution_id", "-published_at")
        .values_list("institution_id", "grade")
    )
    for institution_id, grade in grades:
        found.setdefault(institution_id, {}).setdefault("quality_grade", grade)
    closed = (
        Inspection.objects.filter(institution_id__in=institution_ids, status=Inspection.Status.CLOSED)
        .order_by("institution_id", "-inspected_on", "-pk")
        .values_list("institution_id", "inspected_on", "department", "outcome")
    )
    for institution_id, day, department, outcome in closed:
        found.setdefault(institution_id, {}).setdefault(
            "latest_inspection",
            {"date": day.isoformat() if day else "", "department": department, "outcome": outcome},
        )
    return found


def requirements_not_met(assessment: Assessment) -> list:
    """The assessed requirements that earned less than their points: what a failed assessment rectifies."""
    return [
        item for item in assessment.items.all() if item.awarded is not None and item.awarded < item.points
    ]


def published_grade(institution):
    """The latest published quality assessment of an institution, or None: publication is the only way a
    grade becomes public (a grade under appeal stays public until the appeal is upheld)."""
    return (
        Assessment.objects.filter(
            institution=institution, status__in=[Assessment.Status.PUBLISHED, Assessment.Status.APPEALED]
        )
        .select_related("round")
        .order_by("-published_at")
        .first()
    )


def published_draws() -> QuerySet[Draw]:
    return Draw.objects.select_related("plan__authority", "plan__region")


def plan_counts(plan: InspectionPlan) -> dict:
    return (
        Inspection.objects.filter(draw__plan=plan)
        .exclude(status=Inspection.Status.CANCELLED)
        .aggregate(
            planned=Count("pk", filter=Q(status=Inspection.Status.PLANNED)),
            under_way=Count("pk", filter=Q(status__in=[Inspection.Status.DRAFT, Inspection.Status.RECORDED])),
            closed=Count("pk", filter=Q(status=Inspection.Status.CLOSED)),
        )
    )


def valid_evaluation(institution, on: datetime.date | None = None):
    """The latest passing health evaluation valid on a day (today by default), or None."""
    on = on or timezone.localdate()
    return (
        HealthEvaluation.objects.filter(
            institution=institution,
            result=HealthEvaluation.Result.PASS,
            evaluated_on__lte=on,
            valid_until__gte=on,
        )
        .order_by("-valid_until")
        .first()
    )


def public_credit(institution, today: datetime.date | None = None) -> QuerySet:
    """An institution's serious bad credit records in force: shown on its public page."""
    today = today or timezone.localdate()
    return CreditRecord.objects.filter(
        institution=institution, severity=CreditRecord.Severity.SERIOUS
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))


def monthly_counts(codes, first: datetime.date, after: datetime.date) -> dict[str, dict[str, int]]:
    """Supervision's figures of a month per county, for the monthly report (five grouped queries)."""
    found: dict[str, dict[str, int]] = {code: {} for code in codes}
    month_end = after - datetime.timedelta(days=1)
    start, stop = _aware(first), _aware(after)

    def put(figure, rows):
        for region_id, n in rows:
            found[region_id][figure] = n

    by_region = {"region_id__in": codes}
    put(
        "inspections",
        Inspection.objects.filter(
            **by_region,
            inspected_on__gte=first,
            inspected_on__lt=after,
            status__in=[Inspection.Status.RECORDED, Inspection.Status.CLOSED],
        )
        .values_list("region_id")
        .annotate(n=Count("pk")),
    )
    still_open = Rectification.objects.filter(**by_region, ordered_at__lt=stop).filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=stop)
    )
    put("rectifications_open", still_open.values_list("region_id").annotate(n=Count("pk")))
    put(
        "rectifications_overdue",
        still_open.filter(deadline__lt=month_end, status=Rectification.Status.OPEN)
        .values_list("region_id")
        .annotate(n=Count("pk")),
    )
    complaints = Complaint.objects.filter(**by_region)
    put(
        "complaints_received",
        complaints.filter(submitted_at__gte=start, submitted_at__lt=stop)
        .values_list("region_id")
        .annotate(n=Count("pk")),
    )
    put(
        "complaints_closed",
        complaints.filter(answered_at__gte=start, answered_at__lt=stop)
        .values_list("region_id")
        .annotate(n=Count("pk")),
    )
    return found


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def grade_distribution(assessments: QuerySet[Assessment]) -> dict:
    """Published grades per county, per city and in total of the assessments given, grades in band order;
    one grouped query. A grade under appeal still counts: it stays published until an appeal is upheld."""
    counts = (
        assessments.filter(status__in=[Assessment.Status.PUBLISHED, Assessment.Status.APPEALED])
        .values_list("region__parent__name", "region__name", "grade")
        .annotate(n=Count("pk"))
        .order_by("region__parent__name", "region__name")
    )
    grades: list[str] = []
    by_city: dict[str, dict[str, dict[str, int]]] = {}
    total: dict[str, int] = {}
    for city, county, grade, n in counts:
        if grade not in grades:
            grades.append(grade)
        by_city.setdefault(city or "", {}).setdefault(county, {})[grade] = n
        total[grade] = total.get(grade, 0) + n
    order = {"优秀": 0, "良好": 1, "合格": 2, "不合格": 3}
    grades.sort(key=lambda g: (order.get(g, 9), g))
    cities = []
    for city, counties in by_city.items():
        city_total = {g: sum(found.get(g, 0) for found in counties.values()) for g in grades}
        cities.append(
            {
                "name": city,
                "rows": [
                    (county, [found.get(g, 0) for g in grades], sum(found.values()))
                    for county, found in counties.items()
                ],
                "total": [city_total[g] for g in grades],
                "all": sum(city_total.values()),
            }
        )
    return {
        "grades": grades,
        "cities": cities,
        "rows": [row for city in cities for row in city["rows"]],
        "total": [total.get(g, 0) for g in grades],
        "all": sum(total.values()),
    }
