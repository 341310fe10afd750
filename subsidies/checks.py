"""The checks a recognition (and later a subsidy rule) is evaluated against, kept as data — a name, a
result and the figures compared — and put into words in the reader's language when shown."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registry.models import ServiceType

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"

LABELS = {
    "filed": gettext_lazy("Filed and active"),
    "inclusive": gettext_lazy("Recognised as inclusive"),
    "fees": gettext_lazy("Fees stated"),
    "cap": gettext_lazy("Within the inclusive price cap"),
    "guided": gettext_lazy("Within the guided fee standard (non-profit)"),
    "fee_within_cap": gettext_lazy("Every current fee within the inclusive price cap"),
    "no_serious_credit": gettext_lazy("No valid seriously bad credit record"),
    "min_grade": gettext_lazy("Latest quality grade at least"),
    "min_certification": gettext_lazy("Staff certification rate at least (%)"),
    "no_overdue_rectification": gettext_lazy("No open overdue rectification"),
}
RESULTS = {
    PASS: gettext_lazy("passed"),
    FAIL: gettext_lazy("failed"),
    UNKNOWN: gettext_lazy("cannot be checked"),
}


def check(name: str, result: str, **figures) -> dict:
    return {"name": name, "result": result, **figures}


def _yuan(n) -> str:
    return _("%(n)s yuan") % {"n": n}


def _service(code: str) -> str:
    return str(dict(ServiceType.choices).get(code, code))


def detail(found: dict) -> str:
    name = found["name"]
    if name == "inclusive" and found.get("until"):
        return _("until %(day)s") % {"day": found["until"]}
    if name == "fees" and found["result"] == FAIL:
        return _("State the monthly fee of each service.")
    if name == "cap":
        if "cap" not in found:
            return _("No price cap rule or no income figures of %(year)s for this county.") % {
                "year": found.get("year", "")
            }
        basis = _("cap %(cap)s: %(percent)s%% of a twelfth of %(income)s yuan (%(region)s, %(year)s)") % {
            "cap": _yuan(found["cap"]),
            "percent": found["percent"],
            "income": found["income"],
            "region": found["region"],
            "year": found["year"],
        }
        over = "；".join(f"{_service(s)} {_yuan(f)}" for s, f in found.get("over", {}).items())
        return f"{basis}；{over}" if over else basis
    if name == "fee_within_cap":
        if "cap" not in found:
            return _("No price cap rule or no income figures of %(year)s for this county.") % {
                "year": found.get("year", "")
            }
        over = "；".join(f"{_service(s)} {_yuan(f)}" for s, f in found.get("over", {}).items())
        return _("cap %(cap)s") % {"cap": _yuan(found["cap"])} + (f"；{over}" if over else "")
    if name == "no_serious_credit" and found.get("records"):
        return "；".join(found["records"])
    if name == "min_grade":
        if not found.get("grade"):
            return _("%(wanted)s wanted; no published grade") % {"wanted": found.get("wanted", "")}
        return _("%(wanted)s wanted; %(grade)s (%(percent)s%%)") % found
    if name == "min_certification":
        if found.get("rate") is None:
            return _("%(wanted)s%% wanted; no carers on the staff register") % found
        return _("%(wanted)s%% wanted; %(certified)s of %(staff)s certified (%(rate)s%%)") % found
    if name == "no_overdue_rectification" and found.get("overdue"):
        return _("%(n)s overdue") % {"n": found["overdue"]}
    if name == "guided":
        over = "；".join(
            f"{_service(s)} {_yuan(fee)} > {_yuan(guided)}"
            for s, (fee, guided) in found.get("over", {}).items()
        )
        missing = "；".join(
            _("%(service)s: no guided standard") % {"service": _service(s)} for s in found.get("missing", [])
        )
        return over or missing
    return ""


def described(checks: list[dict]) -> list[dict]:
    """Each check with its label, result and detail in the active language."""
    return [
        {
            "name": c["name"],
            "result": c["result"],
            "label": str(LABELS.get(c["name"], c["name"])),
            "mark": str(RESULTS.get(c["result"], c["result"])),
            "detail": detail(c),
        }
        for c in checks
    ]


def failed_labels(checks: list[dict]) -> list[str]:
    return [str(LABELS.get(c["name"], c["name"])) for c in checks if c["result"] == FAIL]
