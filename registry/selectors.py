"""Reads for the registry, and the one rule that decides what anyone may see."""

import operator
from functools import reduce

from django.contrib.auth import get_permission_codename
from django.db.models import Count, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth

from .models import (
    Authority,
    Institution,
    InstitutionUserObjectPermission,
    PushRoute,
    Region,
    Registration,
    User,
)

OPERATOR_PERMISSION = "act_for_institution"


def operator_institution_ids(user) -> list[int]:
    """Ids of the institutions a person acts for as operator (granted per object), read once per user
    object, so once per request."""
    cached = user.__dict__.get("_operator_institution_ids")
    if cached is None:
        cached = list(
            InstitutionUserObjectPermission.objects.filter(
                user_id=user.pk, permission__codename=OPERATOR_PERMISSION
            ).values_list("content_object_id", flat=True)
        )
        user.__dict__["_operator_institution_ids"] = cached
    return cached


def operators_by_institution(institution_ids) -> dict[int, list[int]]:
    """The active people who act for each of these institutions: institution id -> user ids."""
    grants = InstitutionUserObjectPermission.objects.filter(
        content_object_id__in=institution_ids, permission__codename=OPERATOR_PERMISSION, user__is_active=True
    ).values_list("content_object_id", "user_id")
    found: dict[int, list[int]] = {}
    for institution_id, user_id in grants:
        found.setdefault(institution_id, []).append(user_id)
    return found


def forget_scope(user) -> None:
    """Drop what `visible` keeps on a user object, after the person's grants or authority change."""
    user.__dict__.pop("_operator_institution_ids", None)
    user.__dict__.pop("_jurisdiction_codes", None)
    user.__dict__.pop("_authority_kind", None)


def jurisdiction_codes(user) -> list[str]:
    """Codes of the regions a staff member supervises: their authority's region and everything below it.
    Resolved in one query and kept on the user object for the request, so every scoped list filters on a
    plain `region IN (…)` that an index serves, instead of a subquery joined by OR."""
    if not user.authority_id:
        return []
    cached = user.__dict__.get("_jurisdiction_codes")
    if cached is None or cached[0] != user.authority_id:
        region = Subquery(Authority.objects.filter(pk=user.authority_id).values("region_id")[:1])
        codes = list(Region.objects.subtree(region).values_list("pk", flat=True))
        cached = user.__dict__["_jurisdiction_codes"] = (user.authority_id, codes)
    return cached[1]


# Kinds of authority whose staff see every department's records in their jurisdiction (the health
# bureau leads the supervision); staff of any other kind see their own department's.
SEES_ALL_DEPARTMENTS = {Authority.Kind.HEALTH}
# Kinds of authority whose staff see only the rows assigned to their body (a third-party assessment body
# engaged by a bureau sees the assessments it was given, not the jurisdiction's others).
SEES_ONLY_ASSIGNED = {Authority.Kind.ASSESSMENT_BODY}


def authority_kind(user) -> str:
    """The kind of a staff member's authority ("" for none), read once per user object."""
    if not user.authority_id:
        return ""
    cached = user.__dict__.get("_authority_kind")
    if cached is None or cached[0] != user.authority_id:
        kind = Authority.objects.filter(pk=user.authority_id).values_list("kind", flat=True).first() or ""
        cached = user.__dict__["_authority_kind"] = (user.authority_id, kind)
    return cached[1]


def jurisdiction_regions(user) -> QuerySet[Region]:
    """The regions a staff member supervises, as a queryset (for form choices and filters)."""
    return Region.objects.filter(pk__in=jurisdiction_codes(user))


def visible(queryset: QuerySet, user, *, action: str | None = None) -> QuerySet:
    """Restrict any scoped queryset to what `user` may see.

    Staff see their authority's region and everything below it (a county its own rows, a city its
    counties, a province its cities); operators see the institutions they act for and what hangs off
    them; superusers see everything; anyone else sees nothing. Every list in the admin, the portal and
    the API starts here. Rows that belong to a department (an inspection) are seen by that department's
    staff and the health bureau's, not by other departments.

    With `action` ("view", "change", …) staff see rows only when their role also grants that permission
    on the model: the question the admin asks before it lists them. Every view that serves a record
    outside the admin (a file, a receipt, a workbook) passes it, so it answers exactly as the admin
    page listing that record would; operators' grants are per institution and need no model permission.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    scope = queryset.model.scope
    conditions = []
    if scope.region and user.authority_id and _role_allows(user, queryset.model, action):
        staff = Q(**{f"{scope.region}__in": jurisdiction_codes(user)})
        kind = authority_kind(user)
        if scope.department and kind not in SEES_ALL_DEPARTMENTS:
            staff &= Q(**{scope.department: kind})
        if scope.assigned and kind in SEES_ONLY_ASSIGNED:
            staff &= Q(**{scope.assigned: user.authority_id})
        conditions.append(staff)
    if scope.institution and (institution_ids := operator_institution_ids(user)):
        conditions.append(Q(**{f"{scope.institution}__in": institution_ids}))
    if not conditions:
        return queryset.none()
    return queryset.filter(reduce(operator.or_, conditions))


def _role_allows(user, model, action: str | None) -> bool:
    if action is None:
        return True
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")


def visible_institutions(user) -> QuerySet[Institution]:
    return visible(Institution.objects.select_related("region"), user)


def visible_regions(user) -> QuerySet[Region]:
    return visible(Region.objects.all(), user)


def visible_authorities(user) -> QuerySet[Authority]:
    return visible(Authority.objects.select_related("region"), user)


def region_ancestry(region: Region) -> list[str]:
    """Codes from the region up to its province, most specific first."""
    codes = []
    node = region
    while node is not None:
        codes.append(node.pk)
        node = node.parent
    return codes


def ancestry_codes(region_code: str) -> list[str]:
    """`region_ancestry` by code, in one query: the region's code, its city's and its province's (fewer
    above a province or a city); empty for an unknown code."""
    row = Region.objects.filter(pk=region_code).values_list("pk", "parent_id", "parent__parent_id").first()
    return [code for code in (row or ()) if code]


def most_specific(queryset: QuerySet, region_code: str, key) -> dict:
    """Policy rows that apply in a region: its own, its city's, its province's, or national (no region).
    For each `key(row)` the row of the most specific region wins. Every per-jurisdiction rule (push
    routes, filing policy, required materials) is resolved here, or in `most_specific_many` for many
    regions at once."""
    found = most_specific_many(queryset, [region_code], key)
    if region_code not in found:
        raise Region.DoesNotExist(f"No region {region_code}")
    return found[region_code]


def most_specific_many(queryset: QuerySet, region_codes, key) -> dict[str, dict]:
    """`most_specific` for many regions at once, in two queries whatever their number: a list page or a
    filter over every county resolves each county's policy without a query per county."""
    codes = set(region_codes)
    if not codes:
        return {}
    ancestries = {
        code: [c for c in (code, parent, grandparent) if c]
        for code, parent, grandparent in Region.objects.filter(pk__in=codes).values_list(
            "pk", "parent_id", "parent__parent_id"
        )
    }
    above = {c for ancestry in ancestries.values() for c in ancestry}
    rows = list(queryset.filter(Q(region__isnull=True) | Q(region_id__in=above)))
    chosen: dict[str, dict] = {}
    for code, ancestry in ancestries.items():
        rank = {c: i for i, c in enumerate(ancestry)}
        national = len(ancestry)
        found: dict = {}
        for row in rows:
            if row.region_id is not None and row.region_id not in rank:
                continue
            current = found.get(key(row))
            if current is None or rank.get(row.region_id, national) < rank.get(current.region_id, national):
                found[key(row)] = row
        chosen[code] = found
    return chosen


def allowed_routes(authority: Authority) -> set[str]:
    """The routes this authority may push, by the most specific push-route rule for each route."""
    rules = most_specific(
        PushRoute.objects.filter(authority_kind=authority.kind), authority.region_id, key=lambda r: r.route
    )
    return {route for route, rule in rules.items() if rule.allowed}


def pushable_counties(authority: Authority) -> QuerySet[Region]:
    """Counties an authority pushes for: a county body its own, a city body its counties."""
    return Region.objects.subtree(authority.region_id).counties()


def client_registrations(client, *, updated_since=None) -> QuerySet:
    """What an API client may read back: the registrations its authority pushed."""
    qs = Registration.objects.select_related("institution", "authority").filter(
        authority_id=client.user.authority_id
    )
    if updated_since is not None:
        qs = qs.filter(updated_at__gte=updated_since)
    return qs


def push_punctuality(user, *, since) -> list[dict]:
    """Each registration body's pushes by month of registration: how many, how many on time, the rate.
    Only registrations the person may see count."""
    rows = (
        visible(Registration.objects.all(), user)
        .filter(registered_on__gte=since)
        .annotate(month=TruncMonth("registered_on"))
        .values("month", "authority_id", "authority__name")
        .annotate(total=Count("id"), late_count=Count("id", filter=Q(late=True)))
        .order_by("-month", "authority__name")
    )
    return [
        {
            "month": row["month"],
            "authority": row["authority__name"],
            "authority_id": row["authority_id"],
            "total": row["total"],
            "on_time": row["total"] - row["late_count"],
            "late": row["late_count"],
            "rate": round(100 * (row["total"] - row["late_count"]) / row["total"], 1),
        }
        for row in rows
    ]


def bureau_people(region_codes, *, roles=None) -> QuerySet:
    """Active staff of the health bureaus of these regions, optionally only those holding one of the
    roles: (user id, region code) pairs, for jobs that address every bureau at once."""
    people = User.objects.filter(
        is_active=True, authority__kind=Authority.Kind.HEALTH, authority__region_id__in=region_codes
    )
    if roles:
        people = people.filter(groups__name__in=[str(role) for role in roles])
    return people.values_list("pk", "authority__region_id").distinct()


def monthly_registrations(user, since) -> dict[str, int]:
    """Registrations pushed each month since `since` among those the person sees: {"YYYY-MM": count}, one
    grouped query."""
    from django.db.models.functions import TruncMonth

    from .models import Registration

    rows = visible(Registration.objects.all(), user).filter(first_pushed_at__date__gte=since)
    counted = (
        rows.annotate(month=TruncMonth("first_pushed_at")).values("month").annotate(n=Count("pk")).order_by()
    )
    return {f"{row['month']:%Y-%m}": row["n"] for row in counted}


def monthly_on_time(user, since) -> dict[str, tuple[int, int]]:
    """Registrations pushed each month since `since` among those the person sees, as (pushed in the month of
    registration, all pushed): the on-time push rate's parts, one grouped query."""
    from django.db.models.functions import TruncMonth

    from .models import Registration

    counted = (
        visible(Registration.objects.all(), user)
        .filter(first_pushed_at__date__gte=since)
        .annotate(month=TruncMonth("first_pushed_at"))
        .values("month")
        .annotate(on_time=Count("pk", filter=Q(late=False)), n=Count("pk"))
        .order_by()
    )
    return {f"{row['month']:%Y-%m}": (row["on_time"], row["n"]) for row in counted}
