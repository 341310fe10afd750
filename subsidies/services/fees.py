"""Keeping the fee disclosure (`Fee`) in step: for each filed institution and each service type of its
latest accepted filing, the fee of the latest source that gives one (the accepted filing, a submitted
annual report, the inclusive recognition in force), with the guided standard a non-profit is held to."""

import datetime
from collections.abc import Iterable

from django.utils import timezone

from filing.models import AnnualReport, Filing
from registry.models import Institution
from registry.models.authorities import Route
from registry.models.institutions import FilingStatus

from ..models import Fee, Recognition
from .reference import guided_fees

NON_PROFIT = {Route.PUBLIC_INSTITUTION, Route.SOCIAL_SERVICE}


def _fees(values: dict) -> dict[str, int]:
    found = {}
    for service, fee in (values or {}).items():
        try:
            found[service] = int(fee)
        except (TypeError, ValueError):
            continue
    return found


def current_fees(
    institution_ids: list[int],
) -> dict[int, tuple[list[str], dict[str, tuple[int, str, datetime.date]]]]:
    """{institution: (service types, {service type: (fee, source, as of)})}, reading each source once."""
    today = timezone.localdate()
    sources: dict[int, list[tuple[datetime.datetime, str, dict]]] = {}
    services: dict[int, list[str]] = {}
    for institution_id, at, offered, values in (
        Filing.objects.filter(institution_id__in=institution_ids, status=Filing.Status.ACCEPTED)
        .order_by("institution_id", "-decided_at", "-pk")
        .values_list("institution_id", "decided_at", "service_types", "monthly_fees")
    ):
        if institution_id in services:
            continue
        services[institution_id] = list(offered or [])
        sources.setdefault(institution_id, []).append((at or timezone.now(), Fee.Source.FILING, values))
    for institution_id, at, values in AnnualReport.objects.filter(
        institution_id__in=institution_ids, status=AnnualReport.Status.SUBMITTED
    ).values_list("institution_id", "submitted_at", "monthly_fees"):
        sources.setdefault(institution_id, []).append((at, Fee.Source.ANNUAL_REPORT, values))
    for institution_id, at, values in Recognition.objects.filter(
        institution_id__in=institution_ids,
        kind=Recognition.Kind.INCLUSIVE,
        status=Recognition.Status.RECOGNISED,
        valid_from__lte=today,
        valid_until__gte=today,
    ).values_list("institution_id", "decided_at", "monthly_fees"):
        sources.setdefault(institution_id, []).append((at, Fee.Source.RECOGNITION, values))
    found = {}
    for pk, offered in services.items():
        latest: dict[str, tuple[int, str, datetime.date]] = {}
        # Oldest first, so that a later source overrides an earlier one.
        for at, source, values in sorted(sources.get(pk, []), key=lambda s: s[0]):
            for service, fee in _fees(values).items():
                if service in offered:
                    latest[service] = (fee, source, timezone.localtime(at).date())
        found[pk] = (offered, latest)
    return found


def fees_refresh(institution_ids: Iterable[int]) -> int:
    """Bring these institutions' fee rows up to date; returns how many rows were written or removed."""
    ids = list(institution_ids)
    today = timezone.localdate()
    institutions = {
        i.pk: i
        for i in Institution.objects.filter(pk__in=ids, filing_status=FilingStatus.FILED).only(
            "pk", "region_id", "route"
        )
    }
    changed = (
        Fee.objects.filter(institution_id__in=ids).exclude(institution_id__in=list(institutions)).delete()[0]
    )
    fees = current_fees(list(institutions))
    guided_by_region = {
        code: guided_fees(code, today.year) for code in {i.region_id for i in institutions.values()}
    }
    existing = {
        (f.institution_id, f.service_type): f
        for f in Fee.objects.filter(institution_id__in=list(institutions))
    }
    keep = set()
    create, update = [], []
    for pk, (_offered, latest) in fees.items():
        institution = institutions[pk]
        non_profit = institution.route in NON_PROFIT
        for service, (fee, source, day) in latest.items():
            keep.add((pk, service))
            guided = guided_by_region[institution.region_id].get(service) if non_profit else None
            row = existing.get((pk, service))
            values = {
                "region_id": institution.region_id,
                "monthly_fee": fee,
                "source": source,
                "source_date": day,
                "guided_fee": guided,
                "over_guided": guided is not None and fee > guided,
                "non_profit": non_profit,
            }
            if row is None:
                create.append(Fee(institution_id=pk, service_type=service, changed_on=day, **values))
                continue
            if row.monthly_fee != fee:
                values["previous_fee"], values["changed_on"] = row.monthly_fee, day
            if any(getattr(row, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(row, k, v)
                update.append(row)
    stale = [f.pk for key, f in existing.items() if key not in keep]
    changed += Fee.objects.filter(pk__in=stale).delete()[0]
    Fee.objects.bulk_create(create)
    Fee.objects.bulk_update(
        update,
        [
            "region",
            "monthly_fee",
            "source",
            "source_date",
            "guided_fee",
            "over_guided",
            "non_profit",
            "previous_fee",
            "changed_on",
        ],
    )
    return changed + len(create) + len(update)
