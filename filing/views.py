"""Pages shared by the portal and the admin: a material's file, a filing's receipt, a monthly workbook.
Each asks `visible(..., action="view")`, the same question as the admin page that lists the record:
the institution's operators, and staff of the jurisdiction whose role may view that kind of record.
Registration bodies, conference offices and liaisons of the same region get 404."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header

from registry.selectors import visible

from .models import Filing, Material, MonthlyReport, Termination
from .receipts import receipt_pdf as receipt_pdf_bytes
from .workbooks import monthly_workbook


@login_required
def material_download(request, pk: int):
    material = get_object_or_404(
        visible(Material.objects.select_related("filing"), request.user, action="view"), pk=pk
    )
    try:
        handle = material.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=material.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=request.GET.get("download") == "1", filename=material.original_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _receipt(request, pk: int) -> Filing:
    filings = visible(
        Filing.objects.select_related("institution__region", "decided_by__authority"),
        request.user,
        action="view",
    )
    return get_object_or_404(filings, pk=pk, status=Filing.Status.ACCEPTED)


def verify_url(filing: Filing) -> str:
    """The public address printed on a receipt: the platform's own, never the host a request came by."""
    return settings.PLATFORM_URL.rstrip("/") + reverse("public:receipt", args=[filing.verification_code])


@login_required
def receipt(request, pk: int):
    filing = _receipt(request, pk)
    context = {"filing": filing, "classes": filing.classes.all(), "verify_url": verify_url(filing)}
    return render(request, "filing/receipt.html", context)


@login_required
def receipt_pdf(request, pk: int):
    filing = _receipt(request, pk)
    response = HttpResponse(receipt_pdf_bytes(filing, verify_url(filing)), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=request.GET.get("download") == "1", filename=f"{filing.receipt_number}.pdf"
    )
    response["Cache-Control"] = "private, no-store"
    return response


def receipt_check(request, code: str):
    """Public: anyone holding a printed receipt checks it is genuine and still in force. Shows only what
    a receipt shows publicly: the institution, the number, the date and the bureau."""
    filing = (
        Filing.objects.select_related("institution", "decided_by__authority")
        .filter(verification_code=code.strip().upper(), status=Filing.Status.ACCEPTED)
        .first()
    )
    context = {"filing": filing, "code": code, "today": timezone.localdate()}
    if filing is not None:
        context["ending"] = (
            Termination.objects.filter(institution=filing.institution, status=Termination.Status.CONFIRMED)
            .order_by("-planned_on")
            .first()
        )
        context["superseded"] = (
            Filing.objects.filter(
                institution=filing.institution,
                status=Filing.Status.ACCEPTED,
                decided_at__gt=filing.decided_at,
            )
            .order_by("decided_at")
            .first()
        )
    response = render(request, "public/receipt_check.html", context, status=200 if filing else 404)
    response["Cache-Control"] = "no-store"
    return response


def receipt_lookup(request):
    """Public: type the code printed under a receipt's QR code."""
    code = "".join(request.GET.get("code", "").split()).upper()
    if code:
        return redirect("public:receipt", code[:32])
    return render(request, "public/receipt_check.html", {"lookup": True})


@login_required
def report_workbook(request, pk: int):
    report = get_object_or_404(
        visible(MonthlyReport.objects.select_related("region"), request.user, action="view"), pk=pk
    )
    response = HttpResponse(
        monthly_workbook(report),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"{report.region_id}-{report.month:%Y-%m}.xlsx"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "private, no-store"
    return response
