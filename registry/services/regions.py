"""Writes to the administrative-division tree."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery

from ..models import Institution, InstitutionRegion, Region


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    level: str
    parent: str | None


@transaction.atomic
def regions_load(*, rows: Iterable[RegionRow]) -> tuple[int, int]:
    """Insert or rename regions, parents first. Returns (created, updated); unchanged rows cost nothing."""
    rows = sorted(rows, key=lambda r: ["province", "city", "county"].index(r.level))
    existing = {r.pk: r for r in Region.objects.all()}
    to_create, to_update = [], []
    for row in rows:
        current = existing.get(row.code)
        if current is None:
            to_create.append(
                Region(
                    code=row.code,
                    name=row.name,
                    level=row.level,
                    parent_id=row.parent,
                    county_level=row.level == Region.Level.COUNTY,
                )
            )
        elif (current.name, current.level, current.parent_id) != (row.name, row.level, row.parent):
            current.name, current.level, current.parent_id = row.name, row.level, row.parent
            to_update.append(current)
    for level in ("province", "city", "county"):
        Region.objects.bulk_create([r for r in to_create if r.level == level], batch_size=1000)
    Region.objects.bulk_update(to_update, ["name", "level", "parent"], batch_size=1000)
    mark_county_level()
    return len(to_create), len(to_update)


def mark_county_level() -> None:
    """Counties, and cities with no county below them, are county-level; nothing else is."""
    Region.objects.filter(level=Region.Level.COUNTY).exclude(county_level=True).update(county_level=True)
    has_counties = Exists(Region.objects.filter(parent=OuterRef("pk")))
    cities = Region.objects.filter(level=Region.Level.CITY)
    cities.filter(has_counties, county_level=True).update(county_level=False)
    cities.filter(~has_counties, county_level=False).update(county_level=True)
    Region.objects.filter(level=Region.Level.PROVINCE, county_level=True).update(county_level=False)


def institutions_moved(institution_ids) -> None:
    """Rows that keep their institution's county (InstitutionRegion) follow institutions whose county a
    push changed: one UPDATE per such table."""
    county = Institution.objects.filter(pk=OuterRef("institution_id")).values("region_id")[:1]
    for model in apps.get_models():
        if issubclass(model, InstitutionRegion):
            model._base_manager.filter(institution_id__in=institution_ids).update(region_id=Subquery(county))
