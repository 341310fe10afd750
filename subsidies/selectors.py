"""Reads of the subsidies app: what the public directory shows of fees and recognitions, and the
recognitions an operator sees."""

from django.utils import timezone

from .models import Fee, Recognition


def directory_facts(institution_ids: list[int]) -> dict[int, dict]:
    """For the public directory: the current fees, and whether an inclusive or a demonstration recognition
    is in force today (the operator's own tick on the filing counts for nothing)."""
    today = timezone.localdate()
    found = {pk: {"inclusive": False, "demonstration": False} for pk in institution_ids}
    for institution_id, kind in Recognition.objects.filter(
        institution_id__in=institution_ids,
        status=Recognition.Status.RECOGNISED,
        valid_from__lte=today,
        valid_until__gte=today,
    ).values_list("institution_id", "kind"):
        found[institution_id][kind] = True
    fees: dict[int, dict[str, int]] = {}
    for institution_id, service, fee in Fee.objects.filter(institution_id__in=institution_ids).values_list(
        "institution_id", "service_type", "monthly_fee"
    ):
        fees.setdefault(institution_id, {})[service] = fee
    for institution_id, values in fees.items():
        found[institution_id]["monthly_fees"] = values
    return found


def recognitions_of(institution) -> list[Recognition]:
    return list(Recognition.objects.filter(institution=institution).order_by("-applied_at", "-pk"))
