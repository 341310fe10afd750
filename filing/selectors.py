"""Reads for filing: the policy that applies, the standards findings, how long a filing has waited."""

import datetime
from dataclasses import asdict, dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from registry.models import CareForm, Institution, Region, Registration, Route
from registry.selectors import most_specific, most_specific_many, visible
from registry.workdays import working_days_between

from .models import PARTICULARS, ClassType, Filing, FilingPolicy, MaterialRequirement


def policy_for(region_code: str) -> FilingPolicy:
    """The most specific filing policy for a county: its own, its city's, its province's, or national."""
    found = most_specific(FilingPolicy.objects.all(), region_code, key=lambda p: "policy")
    return found.get("policy") or FilingPolicy()  # the model's defaults are the national numbers


def policies_for(region_codes) -> dict[str, FilingPolicy]:
    """`policy_for` for many counties in two queries: county code -> its policy (the model's defaults
    are the national numbers when no row applies)."""
    found = most_specific_many(FilingPolicy.objects.all(), region_codes, key=lambda p: "policy")
    return {code: rows.get("policy") or FilingPolicy() for code, rows in found.items()}


def kindergartens_exempt() -> set[str]:
    """The county-level regions whose policy says kindergartens do not file with the health bureau.
    Only regions with a row saying so (and the counties below them) are examined, then each county's
    own resolution decides: a county may say yes again under a city that says no."""
    saying_no = FilingPolicy.objects.filter(kindergartens_file=False).values_list("region_id", flat=True)
    candidates = Region.objects.counties()
    if None not in set(saying_no):  # no national "no": only the regions that say so, and below them
        codes = [code for code in saying_no if code]
        if not codes:
            return set()
        within = Q()
        for code in codes:
            within |= Q(pk=code) | Q(parent_id=code) | Q(parent__parent_id=code)
        candidates = candidates.filter(within)
    counties = list(candidates.values_list("pk", flat=True))
    return {code for code, policy in policies_for(counties).items() if not policy.kindergartens_file}


def review_limit_exceptions(jurisdiction=None) -> tuple[int, dict[str, int]]:
    """The national review limit, and the counties (within `jurisdiction`, a list of codes; None for
    all) whose own, city's or province's policy sets another one. Few counties have a policy of their
    own, so a filter over the whole country names only those, not 3,000 counties."""
    national = (
        FilingPolicy.objects.filter(region__isnull=True).first() or FilingPolicy()
    ).review_working_days
    regional = FilingPolicy.objects.filter(region__isnull=False).values("region_id")
    counties = Region.objects.counties().filter(
        Q(pk__in=regional) | Q(parent_id__in=regional) | Q(parent__parent_id__in=regional)
    )
    if jurisdiction is not None:
        counties = counties.filter(pk__in=jurisdiction)
    codes = list(counties.values_list("pk", flat=True))
    limits = {code: p.review_working_days for code, p in policies_for(codes).items()}
    return national, {code: limit for code, limit in limits.items() if limit != national}


def required_materials(region_code: str, care_form: str | None = None) -> list[MaterialRequirement]:
    """The materials a filing in this county carries; a regional row replaces the national one of the
    same code, and an inactive one drops it. With `care_form`, only those asked of that form of care."""
    chosen = most_specific(MaterialRequirement.objects.all(), region_code, key=lambda r: r.code)
    return sorted(
        (r for r in chosen.values() if r.active and (care_form is None or r.care_form in ("", care_form))),
        key=lambda r: (r.position, r.code),
    )


@dataclass(frozen=True)
class Finding:
    """A place where the filing departs from the setting standard. Shown, never silently enforced."""

    code: str
    item: str
    message: str


def standards_findings(filing: Filing, policy: FilingPolicy) -> list[Finding]:
    if filing.care_form == CareForm.HOME_POINT:
        return home_point_findings(filing, policy)
    limits = class_limits(policy)
    findings = []
    classes = list(filing.classes.all())
    for number, group in enumerate(classes, start=1):
        label = group.name or f"{group.get_class_type_display()} {number}"
        cap, per_carer = limits[group.class_type]
        if group.slots > cap:
            findings.append(
                Finding(
                    "class_slots_over_cap",
                    label,
                    _("%(cls)s has %(slots)d places; a class of this kind has at most %(cap)d.")
                    % {"cls": label, "slots": group.slots, "cap": cap},
                )
            )
        if group.enrolled > cap:
            findings.append(
                Finding(
                    "class_enrolled_over_cap",
                    label,
                    _("%(cls)s has %(enrolled)d children enrolled; a class of this kind has at most %(cap)d.")
                    % {"cls": label, "enrolled": group.enrolled, "cap": cap},
                )
            )
        # The ratio is judged on the children enrolled; an empty class is judged on its places.
        if group.enrolled and group.carers * per_carer < group.enrolled:
            findings.append(
                Finding(
                    "carer_ratio",
                    label,
                    _(
                        "%(cls)s: %(carers)d carers for %(children)d children enrolled; "
                        "the standard is 1 carer to %(ratio)d."
                    )
                    % {"cls": label, "carers": group.carers, "children": group.enrolled, "ratio": per_carer},
                )
            )
        elif not group.enrolled and group.slots and group.carers * per_carer < group.slots:
            findings.append(
                Finding(
                    "carer_ratio",
                    label,
                    _(
                        "%(cls)s: %(carers)d carers for %(slots)d places; "
                        "the standard is 1 carer to %(ratio)d."
                    )
                    % {"cls": label, "carers": group.carers, "slots": group.slots, "ratio": per_carer},
                )
            )
    if not classes:
        findings.append(Finding("no_classes", "classes", _("No classes are declared.")))
    findings += _lease_findings(filing, policy)
    slots = sum(c.slots for c in classes)
    if (
        slots
        and filing.outdoor_area is not None
        and filing.outdoor_area < policy.min_outdoor_area_per_child * slots
    ):
        findings.append(
            Finding(
                "outdoor_area",
                "outdoor_area",
                _("%(area)s m² outdoors for %(slots)d slots; the standard is %(per)s m² per child.")
                % {"area": filing.outdoor_area, "slots": slots, "per": policy.min_outdoor_area_per_child},
            )
        )
    if filing.staff_health < policy.min_health_staff:
        findings.append(
            Finding(
                "health_staff",
                "staff_health",
                _("At least %(n)d health staff are required.") % {"n": policy.min_health_staff},
            )
        )
    if filing.staff_security < policy.min_security_staff:
        findings.append(
            Finding(
                "security_staff",
                "staff_security",
                _("At least %(n)d security staff are required.") % {"n": policy.min_security_staff},
            )
        )
    carers_in_classes = sum(c.carers for c in classes)
    if carers_in_classes > filing.staff_carers:
        findings.append(
            Finding(
                "carers_mismatch",
                "staff_carers",
                _("Classes list %(classes)d carers but the staff counts only %(staff)d.")
                % {"classes": carers_in_classes, "staff": filing.staff_carers},
            )
        )
    return findings


def home_point_findings(filing: Filing, policy: FilingPolicy) -> list[Finding]:
    """A home-based care point: a residence, own or leased for the minimum term, with at most
    `home_point_children_per_carer` children to each carer (the cap on children blocks submission)."""
    findings = []
    classes = list(filing.classes.all())
    children = home_point_children(classes)
    carers = sum(c.carers for c in classes) or filing.staff_carers
    per_carer = policy.home_point_children_per_carer
    if children and carers * per_carer < children:
        findings.append(
            Finding(
                "home_point_ratio",
                "classes",
                _(
                    "%(children)d children and %(carers)d carers; a home-based point has at most %(ratio)d "
                    "children to a carer."
                )
                % {"children": children, "carers": carers, "ratio": per_carer},
            )
        )
    findings += _lease_findings(filing, policy)
    return findings


def home_point_children(classes) -> int:
    """The children a home-based point cares for: those enrolled in each group, or its places if none is."""
    return sum(c.enrolled or c.slots for c in classes)


def class_limits(policy: FilingPolicy) -> dict[str, tuple[int, int]]:
    """Each class type's cap on children and children per carer under `policy`."""
    return {
        ClassType.INFANT: (policy.max_infant_class, policy.infants_per_carer),
        ClassType.TODDLER: (policy.max_toddler_class, policy.toddlers_per_carer),
        ClassType.OLDER_TODDLER: (policy.max_older_toddler_class, policy.older_toddlers_per_carer),
        ClassType.MIXED: (policy.max_mixed_class, policy.mixed_per_carer),
    }


def _lease_findings(filing: Filing, policy: FilingPolicy) -> list[Finding]:
    if filing.tenure != Filing.Tenure.LEASED:
        return []
    if not (filing.lease_starts_on and filing.lease_ends_on):
        return [Finding("lease_dates", "lease", _("A leased premises needs the lease's start and end."))]
    if _years_between(filing.lease_starts_on, filing.lease_ends_on) < policy.min_lease_years:
        message = _("The lease runs less than %(years)d years.") % {"years": policy.min_lease_years}
        return [Finding("lease_too_short", "lease", message)]
    return []


def nursery_class_problems(group) -> list[str]:
    """What a kindergarten nursery class departs from the setting standard in: children over its places,
    over its kind's cap, too few carers."""
    cap, per_carer = class_limits(policy_for(group.institution.region_id))[group.class_type]
    problems = []
    if group.children > group.places:
        problems.append(
            _("%(name)s: %(children)d children in %(places)d places.")
            % {"name": group.name, "children": group.children, "places": group.places}
        )
    if max(group.places, group.children) > cap:
        problems.append(
            _("%(name)s: a class of this kind has at most %(cap)d children.")
            % {"name": group.name, "cap": cap}
        )
    if group.children and group.carers * per_carer < group.children:
        problems.append(
            _("%(name)s: %(carers)d carers for %(children)d children; the standard is 1 carer to %(ratio)d.")
            % {"name": group.name, "carers": group.carers, "children": group.children, "ratio": per_carer}
        )
    return problems


def findings_as_data(findings: list[Finding]) -> list[dict]:
    return [asdict(f) for f in findings]


def _years_between(start: datetime.date, end: datetime.date) -> float:
    return (end - start).days / 365.25


def days_waiting(filing: Filing, today: datetime.date | None = None) -> int | None:
    if filing.status != Filing.Status.SUBMITTED or filing.submitted_at is None:
        return None
    today = today or timezone.localdate()
    return working_days_between(timezone.localdate(filing.submitted_at), today)


def visible_filings(user) -> QuerySet[Filing]:
    return visible(Filing.objects.select_related("institution__region"), user)


def operator_institutions(user) -> QuerySet[Institution]:
    """The institutions a person acts for (the portal's starting point)."""
    from registry.selectors import operator_institution_ids

    return Institution.objects.filter(pk__in=operator_institution_ids(user)).select_related("region")


def current_filing(institution: Institution) -> Filing | None:
    """The latest accepted filing: what the institution is filed as now."""
    return institution.filings.filter(status=Filing.Status.ACCEPTED).order_by("-decided_at").first()


def open_filing(institution: Institution) -> Filing | None:
    return institution.filings.filter(
        status__in=[Filing.Status.DRAFT, Filing.Status.SUBMITTED, Filing.Status.RETURNED]
    ).first()


def filing_diff(change: Filing) -> list[tuple[str, object, object]]:
    """What a change filing alters against the filing it amends: (label, before, after)."""
    before = change.amends
    if before is None:
        return []
    rows = []
    for name in PARTICULARS:
        old, new = getattr(before, name), getattr(change, name)
        if old != new:
            rows.append((str(Filing._meta.get_field(name).verbose_name), old, new))

    def classes(f):
        return sorted((c.class_type, c.slots, c.enrolled, c.carers) for c in f.classes.all())

    if classes(before) != classes(change):
        rows.append((str(_("classes")), _describe_classes(before), _describe_classes(change)))
    return rows


def _describe_classes(filing: Filing) -> str:
    return "；".join(
        f"{c.get_class_type_display()} {c.slots}/{c.enrolled}/{c.carers}" for c in filing.classes.all()
    )


def return_items(filing: Filing) -> list[tuple[str, str]]:
    """What a return reason can be about, with its label: each part of the filing, each material asked
    for (or uploaded), or other."""
    uploaded = {m.requirement_id for m in filing.materials.all()}
    materials = [
        (f"material:{r.code}", r.name)
        for r in required_materials(filing.institution.region_id, filing.care_form)
        if r.required or r.pk in uploaded
    ]
    return [
        ("particulars", _("Particulars")),
        ("premises", _("Premises")),
        ("services", _("Services and fees")),
        ("staff", _("Staff")),
        ("classes", capfirst(_("classes"))),
        *materials,
        ("other", _("Other")),
    ]


def unfiled_institutions(region_code: str):
    """Institutions of a region (a county, or every county of a city or province) registered, active and
    not filed: never filed, awaiting review, returned or refused. Oldest registration first, as values."""
    return (
        Institution.objects.filter(
            region__in=Region.objects.subtree(region_code).values("pk"),
            registration__status=Registration.Status.ACTIVE,
        )
        .exclude(filing_status__in=[Institution.FilingStatus.FILED, Institution.FilingStatus.TERMINATED])
        .exclude(registration__scope_decision=Registration.ScopeDecision.NOT_CHILDCARE)
        .exclude(route=Route.KINDERGARTEN, region_id__in=kindergartens_exempt())
        .order_by("registration__registered_on", "pk")
        .values(
            "uscc",
            "name",
            "address",
            "region__name",
            "registration__authority__name",
            "registration__registered_on",
            "filing_status",
        )
    )


def monthly_accepted(user, since) -> dict[str, int]:
    """Filings (first and change) accepted each month since `since` among those the person sees."""
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    rows = visible_filings(user).filter(status=Filing.Status.ACCEPTED, decided_at__date__gte=since)
    counted = rows.annotate(month=TruncMonth("decided_at")).values("month").annotate(n=Count("pk")).order_by()
    return {f"{row['month']:%Y-%m}": row["n"] for row in counted}
