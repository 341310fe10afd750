"""A scan in the staff register, for the portal and the admin alike: the operators of an institution the
person works at now and the staff who may view the person (their jurisdiction's); a ban's decision for
the authorities who see the ban. Anyone else gets 404."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header

from registry.selectors import visible

from .models import RECORD_KINDS, Ban
from .selectors import may_see_person


def serve_private(request, stored, name: str, content_type: str):
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type or "application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=request.GET.get("download") == "1", filename=name or "scan"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def scan(request, kind: str, pk: int):
    model = RECORD_KINDS.get(kind)
    if model is None:
        raise Http404
    record = get_object_or_404(model.objects.select_related("person"), pk=pk)
    if not may_see_person(request.user, record.person):
        raise Http404
    return serve_private(request, record.scan, record.scan_name, record.scan_type)


@login_required
def ban_scan(request, pk: int):
    ban = get_object_or_404(visible(Ban.objects.all(), request.user, action="view"), pk=pk)
    return serve_private(request, ban.scan, ban.scan_name, ban.scan_type)
