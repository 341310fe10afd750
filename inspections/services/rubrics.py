"""Rubric versions: a rubric an assessment used is never edited; the bureau starts a new version (a copy,
current in its region) or adopts the national rubric as its jurisdiction's own."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from registry.models import Region, User
from registry.selectors import jurisdiction_codes

from ..models import GradeBand, Rubric, RubricDimension, RubricRequirement


@transaction.atomic
def rubric_new_version(*, rubric: Rubric, acting_user: User, region: Region | None = None) -> Rubric:
    target = region.pk if region is not None else rubric.region_id
    if not acting_user.is_superuser and (target is None or target not in jurisdiction_codes(acting_user)):
        raise PermissionDenied(_("You may change rubrics only in your jurisdiction."))
    same = Rubric.objects.select_for_update().filter(region_id=target, code=rubric.code)
    version = (same.aggregate(n=Max("version"))["n"] or 0) + 1
    same.filter(current=True).update(current=False)
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
