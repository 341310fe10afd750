"""Reads for the registry, and the one rule that decides what anyone may see."""

from django.contrib.auth import get_permission_codename
from django.db.models import Count, Q, QuerySet
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


def operator_institution_ids(user) -> QuerySet:
    """Ids of the institutions a person acts for as operator (granted per object)."""
    return InstitutionUserObjectPermission.objects.filter(
        user_id=user.pk, permission__codename=OPERATOR_PERMISSION
    ).values("content_object_id")


def operators_by_institution(institution_ids) -> dict[int, list[int]]:
    """The active people who act for each of these institutions: institution id -> user ids."""
    grants = InstitutionUserObjectPermission.objects.filter(
        content_object_id__in=institution_ids, permission__codename=OPERATOR_PERMISSION, user__is_active=True
    ).values_list("content_object_id", "user_id")
    found: dict[int, list[int]] = {}
    for institution_id, user_id in grants:
        found.setdefault(institution_id, []).append(user_id)
    return found


def jurisdiction_regions(user) -> QuerySet[Region]:
    """The regions a staff member supervises: their authority's region and everything below it."""
    if not user.authority_id:
        return Region.objects.none()
    return Region.objects.subtree(user.authority.region_id).values("pk")


def visible(queryset: QuerySet, user, *, action: str | None = None) -> QuerySet:
    """Restrict any scoped queryset to what `user` may see.

    Staff see their authority's region and everything below it (a county its own rows, a city its
    counties, a province its cities); operators see the institutions they act for and what hangs off
    them; superusers see everything; anyone else sees nothing. Every list in the admin, the portal
    and the API starts here.

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
    condition = Q()
    matched = False
    if scope.region and user.authority_id and _role_allows(user, queryset.model, action):
        condition |= Q(**{f"{scope.region}__in": jurisdiction_regions(user)})
        matched = True
    if scope.institution:
        condition |= Q(**{f"{scope.institution}__in": operator_institution_ids(user)})
        matched = True
    if not matched:
        return queryset.none()
    return queryset.filter(condition)


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


def most_specific(queryset: QuerySet, region_code: str, key) -> dict:
    """Policy rows that apply in a region: its own, its city's, its province's, or national (no region).
    For each `key(row)` the row of the most specific region wins. Every per-jurisdiction rule (push
    routes, filing policy, required materials) is resolved here."""
    ancestry = region_ancestry(Region.objects.select_related("parent__parent").get(pk=region_code))
    rank = {code: i for i, code in enumerate(ancestry)}
    national = len(ancestry)
    chosen: dict = {}
    for row in queryset.filter(Q(region__isnull=True) | Q(region_id__in=ancestry)):
        current = chosen.get(key(row))
        if current is None or rank.get(row.region_id, national) < rank.get(current.region_id, national):
            chosen[key(row)] = row
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
