"""Files of supervision, for the portal and the admin alike: a finding's photo, a rectification's
evidence, a quality assessment's evidence (the operator's, the assessor's photos); for the institution's
operators and the staff who may see the inspection or assessment (their jurisdiction, their department's,
the health bureau's, the assessor's). Anyone else gets 404."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404

from registry.selectors import visible
from workforce.views import serve_private

from .models import AssessmentFile, FindingPhoto, HealthEvaluation, RectificationFile


@login_required
def photo(request, pk: int):
    found = get_object_or_404(visible(FindingPhoto.objects.all(), request.user, action="view"), pk=pk)
    return serve_private(request, found.file, found.name, found.content_type)


@login_required
def evidence(request, pk: int):
    found = get_object_or_404(visible(RectificationFile.objects.all(), request.user, action="view"), pk=pk)
    return serve_private(request, found.file, found.name, found.content_type)


@login_required
def evaluation_report(request, pk: int):
    found = get_object_or_404(visible(HealthEvaluation.objects.all(), request.user, action="view"), pk=pk)
    return serve_private(request, found.report, found.report_name, found.report_type)


@login_required
def assessment_evidence(request, pk: int):
    found = get_object_or_404(visible(AssessmentFile.objects.all(), request.user, action="view"), pk=pk)
    return serve_private(request, found.file, found.name, found.content_type)
