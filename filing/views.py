"""Pages shared by the portal and the admin: a material's file, a filing's receipt, a monthly workbook.
Each asks `visible(..., action="view")`, the same question as the admin page that lists the record:
the institution's operators, and staff of the jurisdiction whose role may view that kind of record.
Registration bodies, conference offices and liaisons of the same region get 404."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header

from registry.selectors import visible

from .models import Filing, Material, MonthlyReport
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


@login_required
def receipt(request, pk: int):
    filings = visible(
        Filing.objects.select_related("institution__region", "decided_by__authority"),
        request.user,
        action="view",
    )
    filing = get_object_or_404(filings, pk=pk, status=Filing.Status.ACCEPTED)
    return render(request, "filing/receipt.html", {"filing": filing, "classes": filing.classes.all()})


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
