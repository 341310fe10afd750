"""The filing app's panels on an institution's admin page: its filings (with receipts), escalation records,
its public directory page, annual reports and terminations, each linked."""

from django.urls import reverse
from django.utils.translation import gettext as _

from registry.admin_panels import institution_panel

from ..models import AnnualReport, DirectoryEntry, EscalationStep, Filing, NurseryClass, Termination


@institution_panel
def filings_panel(request, institution):
    rows = []
    if request.user.has_perm("filing.view_filing"):
        for filing in Filing.objects.filter(institution=institution).order_by("-created_at", "-pk"):
            text = f"{filing.get_kind_display()} · {filing.get_status_display()}"
            if filing.receipt_number:
                text += f" · {filing.receipt_number}"
            rows.append((text, reverse("admin:filing_filing_change", args=[filing.pk])))
            if filing.status == Filing.Status.ACCEPTED:
                rows.append(
                    (
                        _("Receipt %(number)s") % {"number": filing.receipt_number},
                        reverse("filing:receipt", args=[filing.pk]),
                    )
                )
    if request.user.has_perm("filing.view_escalationstep"):
        steps = EscalationStep.objects.filter(institution=institution).count()
        if steps:
            rows.append(
                (
                    _("Escalation records: %(n)d") % {"n": steps},
                    reverse("admin:filing_escalationstep_changelist") + f"?q={institution.uscc}",
                )
            )
    if DirectoryEntry.objects.filter(pk=institution.pk).exists():
        rows.append(
            (_("Its page in the public directory"), reverse("public:institution", args=[institution.uscc]))
        )
    return _("Filings"), rows


@institution_panel
def after_filing_panel(request, institution):
    rows = []
    if request.user.has_perm("filing.view_annualreport"):
        for report in AnnualReport.objects.filter(institution=institution).order_by("-year"):
            text = _("Annual report %(year)d · %(status)s") % {
                "year": report.year,
                "status": report.get_status_display(),
            }
            rows.append((text, reverse("admin:filing_annualreport_change", args=[report.pk])))
    if request.user.has_perm("filing.view_termination"):
        for termination in Termination.objects.filter(institution=institution).order_by("-pk"):
            text = _("Termination on %(date)s · %(status)s") % {
                "date": termination.planned_on.isoformat(),
                "status": termination.get_status_display(),
            }
            rows.append((text, reverse("admin:filing_termination_change", args=[termination.pk])))
    return _("Annual reports and termination"), rows


@institution_panel
def nursery_classes_panel(request, institution):
    rows = []
    if institution.route == "kindergarten" and request.user.has_perm("filing.view_nurseryclass"):
        for group in NurseryClass.objects.filter(institution=institution).order_by("name"):
            text = _("%(name)s: %(children)d children in %(places)d places") % {
                "name": group.name,
                "children": group.children,
                "places": group.places,
            }
            rows.append((text, reverse("admin:filing_nurseryclass_change", args=[group.pk])))
        return _("Nursery classes (education ledger)"), rows
    return None
