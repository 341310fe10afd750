"""Checklist versions: a version an inspection used is never edited; the bureau starts a new version
(copied from the current one), which becomes current in its region, or adopts the national checklist as
its jurisdiction's own to change it there."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from registry.models import Region, User
from registry.selectors import jurisdiction_codes

from ..models import Checklist, ChecklistItem, Inspection


def version_region(obj, region: Region | None, acting_user: User) -> str | None:
    """Where a new version of a checklist or rubric goes (its own region, or the one adopting it), refused
    outside the person's jurisdiction; national versions are the platform administrators'."""
    target = region.pk if region is not None else obj.region_id
    if not acting_user.is_superuser and (target is None or target not in jurisdiction_codes(acting_user)):
        raise PermissionDenied(_("You may change policy versions only in your jurisdiction."))
    return target


def next_version(same) -> int:
    """The next version number of these rows (one code in one region); the current one stops being current."""
    same = same.select_for_update()
    version = (same.aggregate(n=Max("version"))["n"] or 0) + 1
    same.filter(current=True).update(current=False)
    return version


def checklist_used(checklist: Checklist) -> bool:
    return Inspection.objects.filter(checklist=checklist).exists()


@transaction.atomic
def checklist_new_version(
    *, checklist: Checklist, acting_user: User, region: Region | None = None
) -> Checklist:
    """A copy of `checklist` as the current version in `region` (its own region when not given)."""
    target = version_region(checklist, region, acting_user)
    version = next_version(
        Checklist.objects.filter(region_id=target, department=checklist.department, code=checklist.code)
    )
    copy = Checklist.objects.create(
        region_id=target,
        department=checklist.department,
        code=checklist.code,
        name=checklist.name,
        version=version,
        current=True,
        basis=checklist.basis,
    )
    ChecklistItem.objects.bulk_create(
        ChecklistItem(
            checklist=copy,
            code=item.code,
            text=item.text,
            legal_basis=item.legal_basis,
            severity=item.severity,
            position=item.position,
        )
        for item in checklist.items.all()
    )
    return copy
