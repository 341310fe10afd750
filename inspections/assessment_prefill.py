"""What the platform already knows that answers a requirement of the self-assessment: the filing, its classes,
the staff register, the last inspection of a department. Each source gives, per institution, an answer (or
none, when the facts need a person's judgement) and a note naming where it came from; a round computes them
for all its institutions at once, a few queries per source."""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext as _

from filing.models import Filing
from workforce.models import Employment, HealthCheck, NoCriminalRecord, StaffRole, Training

from .models import Department, Inspection, Prefill, Result
from .models.assessments import AssessmentItem

MET, PARTLY, NOT_MET = (
    AssessmentItem.SelfAnswer.MET,
    AssessmentItem.SelfAnswer.PARTLY,
    AssessmentItem.SelfAnswer.NOT_MET,
)

Answer = tuple[str, str]  # (answer or "", note naming the source)


def _share(have: int, of: int) -> str:
    return MET if of and have == of else (PARTLY if have else NOT_MET)


def _latest_filings(ids: list[int]) -> dict[int, Filing]:
    latest = {}
    rows = (
        Filing.objects.filter(institution_id__in=ids, status=Filing.Status.ACCEPTED)
        .order_by("institution_id", "-decided_at", "-pk")
        .prefetch_related("classes")
    )
    for filing in rows:
        latest.setdefault(filing.institution_id, filing)
    return latest


def _filing(ids, today) -> dict[int, Answer]:
    return {
        pk: (
            MET,
            _("Filing: accepted on %(day)s, receipt %(receipt)s.")
            % {
                "day": f"{filing.decided_at:%Y-%m-%d}" if filing.decided_at else "",
                "receipt": filing.receipt_number,
            },
        )
        for pk, filing in _latest_filings(ids).items()
    }


def _classes(ids, today) -> dict[int, Answer]:
    found = {}
    for pk, filing in _latest_filings(ids).items():
        classes = list(filing.classes.all())
        if classes:
            listed = "；".join(
                _("%(type)s %(slots)d places, %(enrolled)d enrolled, %(carers)d carers")
                % {
                    "type": c.get_class_type_display(),
                    "slots": c.slots,
                    "enrolled": c.enrolled,
                    "carers": c.carers,
                }
                for c in classes
            )
            found[pk] = ("", _("Classes in the filing: %(classes)s.") % {"classes": listed})
    return found


def _staff_health(ids, today):
    fit = Exists(
        HealthCheck.objects.filter(
            person=OuterRef("person"), result=HealthCheck.Result.FIT, valid_until__gte=today
        )
    )
    return _staff_with(
        ids, fit, _("Staff register: %(have)d of %(total)d staff hold a valid health certificate.")
    )


def _staff_background(ids, today):
    checked = Exists(NoCriminalRecord.objects.filter(person=OuterRef("person")))
    return _staff_with(
        ids, checked, _("Staff register: %(have)d of %(total)d staff have a no-criminal-record certificate.")
    )


def _staff_training(ids, today):
    trained = Exists(
        Training.objects.filter(
            person=OuterRef("person"), completed_on__gte=today - datetime.timedelta(days=365)
        )
    )
    return _staff_with(
        ids, trained, _("Staff register: %(have)d of %(total)d staff were trained in the last year.")
    )


def _staff_with(ids, condition: Exists, note: str) -> dict[int, Answer]:
    rows = (
        Employment.objects.filter(institution_id__in=ids, ends_on__isnull=True)
        .annotate(ok=condition)
        .values_list("institution_id", "person_id", "ok")
    )
    people: dict[int, dict[int, bool]] = defaultdict(dict)
    for institution_id, person_id, ok in rows:
        people[institution_id][person_id] = people[institution_id].get(person_id, False) or ok
    found = {}
    for institution_id, by_person in people.items():
        have, total = sum(by_person.values()), len(by_person)
        found[institution_id] = (_share(have, total), note % {"have": have, "total": total})
    return found


def _health_staff(ids, today):
    counts = (
        Employment.objects.filter(institution_id__in=ids, ends_on__isnull=True, role=StaffRole.HEALTH)
        .values("institution_id")
        .annotate(n=Count("person", distinct=True))
        .order_by()
    )
    have = {row["institution_id"]: row["n"] for row in counts}
    return {
        pk: (
            MET if have.get(pk) else NOT_MET,
            _("Staff register: %(n)d health-care staff employed.") % {"n": have.get(pk, 0)},
        )
        for pk in _on_register(ids)  # an empty register says nothing
    }


def _on_register(ids) -> set[int]:
    return set(
        Employment.objects.filter(institution_id__in=ids, ends_on__isnull=True)
        .values_list("institution_id", flat=True)
        .distinct()
    )


def _inspection(department: str) -> Callable:
    def source(ids, today) -> dict[int, Answer]:
        latest: dict[int, Inspection] = {}
        rows = (
            Inspection.objects.filter(
                institution_id__in=ids,
                department=department,
                status__in=[Inspection.Status.RECORDED, Inspection.Status.CLOSED],
            )
            .order_by("institution_id", "-inspected_on", "-pk")
            .prefetch_related("findings")
        )
        for inspection in rows:
            latest.setdefault(inspection.institution_id, inspection)
        found = {}
        for pk, inspection in latest.items():
            failed = [f.code for f in inspection.findings.all() if f.result == Result.NON_COMPLIANT]
            values = {
                "department": Department(department).label,
                "day": f"{inspection.inspected_on:%Y-%m-%d}" if inspection.inspected_on else "",
                "codes": "、".join(failed),
            }
            if failed:
                found[pk] = (
                    PARTLY,
                    _("Last %(department)s inspection on %(day)s: not compliant on %(codes)s.") % values,
                )
            else:
                found[pk] = (
                    MET,
                    _("Last %(department)s inspection on %(day)s: compliant throughout.") % values,
                )
        return found

    return source


SOURCES: dict[str, Callable] = {
    Prefill.FILING: _filing,
    Prefill.CLASSES: _classes,
    Prefill.STAFF_HEALTH: _staff_health,
    Prefill.STAFF_BACKGROUND: _staff_background,
    Prefill.STAFF_TRAINING: _staff_training,
    Prefill.HEALTH_STAFF: _health_staff,
    Prefill.INSPECTION_HEALTH: _inspection(Department.HEALTH),
    Prefill.INSPECTION_FIRE: _inspection(Department.FIRE),
    Prefill.INSPECTION_SECURITY: _inspection(Department.PUBLIC_SECURITY),
    Prefill.INSPECTION_MARKET: _inspection(Department.MARKET_REGULATION),
}


def prefill(ids: list[int], keys: Iterable[str], today: datetime.date) -> dict[tuple[int, str], Answer]:
    """{(institution, source): (answer, note)} for the sources asked and what is known of each institution."""
    found = {}
    for key in set(keys) - {""}:
        for institution_id, answer in SOURCES[key](ids, today).items():
            found[(institution_id, key)] = answer
    return found
