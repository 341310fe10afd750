"""Every scoped admin list of every app costs the same number of queries for 10 rows in one county as for
hundreds in twenty, for a city's health bureau and for a platform administrator: nothing on a page is
looked up per row or per county. Rows are made by model_bakery inside the county, so a list added later
is covered without a line here."""

import pytest
from django.contrib import admin
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from model_bakery import baker

from registry.admin_scoping import ScopedAdmin
from registry.models import Authority, Region
from registry.roles import Role
from registry.services import roles_sync
from tests.factories import AuthorityFactory, RegionFactory, StaffFactory

SCOPED = sorted(
    (model for model, model_admin in admin.site._registry.items() if isinstance(model_admin, ScopedAdmin)),
    key=lambda model: model._meta.label,
)


def rows(model, county, count) -> int:
    """Up to `count` rows of `model` in `county`, each in its own savepoint: a row that breaks a uniqueness
    rule (one policy per region, one filing in progress per institution) is tried again under the county's
    first parent row, then left out. Returns the number made."""
    path = model.scope.region
    parent_field = path.split("__")[0] if "__" in path else None
    if model is Region:  # the divisions themselves: new counties beside this one
        first = {"parent": county.parent, "level": Region.Level.COUNTY}
    elif not path:
        first = {}
    else:
        first = {path: county if _field(model, path).is_relation else county.pk}
    made = []
    for _ in range(count):
        attempts = [first]
        if parent_field and made:
            attempts.append({parent_field: getattr(made[0], parent_field)})
        for values in attempts:
            try:
                with transaction.atomic():
                    made.append(baker.make(model, **values))
                break
            except IntegrityError:
                continue
    return len(made)


def _field(model, path):
    for name in path.split("__"):
        field = model._meta.get_field(name)
        model = field.related_model or model
    return field


def queries(client, url) -> tuple[int, int]:
    """The page's query count and the rows its list holds."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries), response.context["cl"].result_count


@pytest.mark.parametrize("model", SCOPED, ids=lambda model: model._meta.label)
@pytest.mark.parametrize("who", ["city", "superuser"])
def test_every_list_costs_the_same_queries_for_one_county_and_ten_rows_as_for_twenty_and_hundreds(
    client, regions, model, who
):
    roles_sync()
    counties = [regions["441802"]] + [
        RegionFactory(
            code=f"4418{n:02d}", name=f"测试县{n}", level=Region.Level.COUNTY, parent=regions["441800"]
        )
        for n in range(10, 29)
    ]
    if who == "superuser":
        user = StaffFactory(is_superuser=True)
    else:
        authority = AuthorityFactory(kind=Authority.Kind.HEALTH, region=regions["441800"])
        user = StaffFactory(authority=authority, role=Role.SUPERVISING_HEALTH)
    client.force_login(user)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    first = rows(model, counties[0], 10)
    if client.get(url).status_code == 403:
        pytest.skip(f"{who} may not see this list")
    few, shown = queries(client, url)
    total = first + sum(rows(model, county, 10) for county in counties[1:])
    assert total >= 20 and total > first
    many, shown_then = queries(client, url)
    assert shown_then > shown or shown == 0, f"{who} {url}: the new rows are not on the list"
    assert many == few, f"{who} {url}: {few} queries for {first} rows in one county, {many} for {total} in 20"
