"""Evidence of a subsidy application, served privately to those who may see the application."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404

from registry.selectors import visible
from workforce.views import serve_private

from .models import ApplicationFile


@login_required
def application_evidence(request, pk: int):
    found = get_object_or_404(visible(ApplicationFile.objects.all(), request.user, action="view"), pk=pk)
    return serve_private(request, found.file, found.name, found.content_type)
