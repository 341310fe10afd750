"""Rubric versions: a rubric an assessment used is never edited; the bureau starts a new version (a copy,
current in its region) or adopts the national rubric as its jurisdiction's own."""

from django.db import transaction

from registry.models import Region, User

from ..models import GradeBand, Rubric, RubricDimension, RubricRequirement
from .checklists import next_version, version_region


@transaction.atomic
def rubric_new_version(*, rubric: Rubric, acting_user: User, region: Region | None = None) -> Rubric:
    target = version_region(rubric, region, acting_user)
    version = next_version(Rubric.objects.filter(region_id=target, code=rubric.code))
    copy = Rubric.objects.create(
        region_id=target,
        code=rubric.code,
        name=rubric.name,
        version=version,
        current=True,
        sources=rubric.sources,
    )
    dimensions = {}
    for dimension in rubric.dimensions.all():
        dimensions[dimension.pk] = RubricDimension.objects.create(
            rubric=copy, code=dimension.code, name=dimension.name, position=dimension.position
        )
    RubricRequirement.objects.bulk_create(
        RubricRequirement(
            rubric=copy,
            dimension=dimensions[r.dimension_id],
            code=r.code,
            text=r.text,
            how_to_verify=r.how_to_verify,
            points=r.points,
            veto=r.veto,
            source=r.source,
            position=r.position,
        )
        for r in rubric.requirements.all()
    )
    GradeBand.objects.bulk_create(
        GradeBand(rubric=copy, grade=b.grade, min_percent=b.min_percent, passing=b.passing)
        for b in rubric.bands.all()
    )
    return copy
