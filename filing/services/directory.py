"""Keeping the public directory (`DirectoryEntry`) in step: an institution is in it while filed, with the
particulars of its latest accepted filing and the public facts later apps add (`filing.public_facts`). A
row is refreshed in the transaction that changes what it shows (so it commits or rolls back with it);
`directory_rebuild` redoes every row (nightly, and by hand after a deployment)."""

from collections.abc import Iterable

from django.utils import timezone

from registry.models import Institution
from registry.models.authorities import Route
from registry.models.institutions import FilingStatus

from .. import public_facts
from ..models import DirectoryEntry, Filing

CHUNK = 1000
FIELDS = [f.name for f in DirectoryEntry._meta.concrete_fields if f.name not in ("institution", "updated_at")]


def directory_refresh(institution_ids: Iterable[int]) -> int:
    """Bring these institutions' rows up to date: written when what they show changed, removed when the
    institution is no longer filed. Returns how many rows were written or removed."""
    ids = list(institution_ids)
    institutions = {i.pk: i for i in Institution.objects.filter(pk__in=ids, filing_status=FilingStatus.FILED)}
    changed, _deleted = DirectoryEntry.objects.filter(pk__in=ids).exclude(pk__in=list(institutions)).delete()
    latest: dict[int, Filing] = {}
    for filing in (
        Filing.objects.filter(institution_id__in=list(institutions), status=Filing.Status.ACCEPTED)
        .order_by("institution_id", "-decided_at", "-pk")
        .prefetch_related("classes")
    ):
        latest.setdefault(filing.institution_id, filing)
    extra = public_facts.facts(list(institutions))
    existing = {e.pk: e for e in DirectoryEntry.objects.filter(pk__in=list(institutions))}
    now = timezone.now()
    create, update = [], []
    for pk in institutions:
        filing = latest.get(pk)  # none for an institution filed before the platform (imported as filed)
        entry = DirectoryEntry(
            institution_id=pk, updated_at=now, **_values(institutions[pk], filing, extra.get(pk))
        )
        before = existing.get(pk)
        if before is None:
            create.append(entry)
        elif any(getattr(before, f) != getattr(entry, f) for f in FIELDS):
            update.append(entry)
    DirectoryEntry.objects.bulk_create(create)
    DirectoryEntry.objects.bulk_update(update, [*FIELDS, "updated_at"])
    return changed + len(create) + len(update)


def _values(institution: Institution, filing: Filing | None, extra: dict | None) -> dict:
    services = list(filing.service_types or []) if filing else []
    return {
        "uscc": institution.uscc,
        "name": institution.name,
        "kind": institution.care_form,
        "region_id": institution.region_id,
        "address": institution.address,
        "service_types": services,
        "full_day": "full_day" in services,
        "half_day": "half_day" in services,
        "hourly": "hourly" in services,
        "temporary": "temporary" in services,
        "slots": sum(c.slots for c in filing.classes.all()) if filing else 0,
        "infant_slots": sum(c.slots for c in filing.classes.all() if c.class_type == "infant")
        if filing
        else 0,
        "monthly_fees": {k: v for k, v in (filing.monthly_fees or {}).items() if k in services}
        if filing
        else {},
        # Inclusive and demonstration are the bureau's recognitions (the subsidies app's facts), never
        # the operator's own tick on the filing.
        "inclusive": False,
        "demonstration": False,
        "employer_run": institution.employer_run,
        "kindergarten": institution.route == Route.KINDERGARTEN,
        "receipt_number": (filing.receipt_number or "") if filing else "",
        "filed_on": timezone.localtime(filing.decided_at).date() if filing and filing.decided_at else None,
        "quality_grade": "",
        "latest_inspection": {},
        **(extra or {}),
    }


def directory_rebuild() -> int:
    """Every row again, a chunk at a time; removes the rows of institutions no longer filed."""
    written = 0
    ids = (
        Institution.objects.filter(filing_status=FilingStatus.FILED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    chunk: list[int] = []
    for pk in ids.iterator(CHUNK):
        chunk.append(pk)
        if len(chunk) == CHUNK:
            written += directory_refresh(chunk)
            chunk = []
    if chunk:
        written += directory_refresh(chunk)
    stale = DirectoryEntry.objects.exclude(institution__filing_status=FilingStatus.FILED)
    written += stale.delete()[0]
    return written
