"""Inspectors on site, on a phone: find an institution, start an inspection against the checklist in
force, mark each item (a half-filled list is kept as a draft), record the outcome. Their worklist shows
what a draw planned for them. Staff of an inspecting department only; the admin keeps the records."""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from filing.portal.forms import show_errors
from registry.selectors import visible

from ..models import Complaint, FindingPhoto, Inspection, Result
from ..selectors import checklists_for, colleagues, department_of, inspectable
from ..services import (
    InspectionError,
    complaint_link_inspection,
    finding_photo_remove,
    findings_save,
    inspection_begin,
    inspection_record,
    inspection_start,
)
from .forms import RecordForm, StartForm

SEARCH_LIMIT = 20


def _inspector(request):
    if not department_of(request.user):
        raise PermissionDenied(_("Only staff of an inspecting department record inspections."))


@staff_member_required
def worklist(request):
    _inspector(request)
    mine = (
        Inspection.objects.filter(
            inspectors=request.user,
            status__in=[Inspection.Status.PLANNED, Inspection.Status.DRAFT],
        )
        .select_related("institution", "draw__plan")
        .order_by("status", "institution__name")
    )
    found, term = [], request.GET.get("q", "").strip()
    if term:
        found = list(
            inspectable(request.user)
            .filter(Q(name__contains=term) | Q(uscc=term.upper()) | Q(address__contains=term))
            .order_by("name")[:SEARCH_LIMIT]
        )
    unfinished = _unfinished(request.user, [i.pk for i in found])
    for institution in found:
        institution.unfinished = unfinished.get(institution.pk)
    return render(
        request,
        "inspections/field/worklist.html",
        {"title": _("My inspections"), "mine": mine, "found": found, "term": term, "limit": SEARCH_LIMIT},
    )


def _unfinished(user, institution_ids) -> dict[int, int]:
    """The body's planned or unfinished inspection of each institution, so nobody starts a second one."""
    return dict(
        Inspection.objects.filter(
            authority_id=user.authority_id,
            institution_id__in=institution_ids,
            status__in=[Inspection.Status.PLANNED, Inspection.Status.DRAFT],
        ).values_list("institution_id", "pk")
    )


@staff_member_required
def start(request, institution_pk):
    _inspector(request)
    institution = get_object_or_404(inspectable(request.user), pk=institution_pk)
    checklists = sorted(
        checklists_for(institution.region_id, department_of(request.user)).values(), key=lambda c: c.name
    )
    people = list(colleagues(request.user.authority_id))
    form = StartForm(
        request.POST or None,
        checklists=checklists,
        colleagues=people,
        initial={"inspectors": [request.user.pk]},
    )
    if request.method == "POST" and form.is_valid():
        chosen = {c.pk: c for c in checklists}[int(form.cleaned_data["checklist"])]
        picked = [u for u in people if str(u.pk) in form.cleaned_data["inspectors"]]
        try:
            inspection = inspection_start(
                institution=institution,
                checklist=chosen,
                inspectors=picked,
                inspected_on=form.cleaned_data["inspected_on"],
                acting_user=request.user,
            )
        except InspectionError as error:
            show_errors(form, error)
        else:
            complaint = request.GET.get("complaint")
            if complaint and complaint.isdigit():
                found = visible(Complaint.objects.filter(pk=complaint), request.user, action="change").first()
                if found is not None:
                    complaint_link_inspection(
                        complaint=found, inspection=inspection, acting_user=request.user
                    )
            return redirect("field:inspection", inspection.pk)
    return render(
        request,
        "inspections/field/start.html",
        {
            "title": _("Start an inspection"),
            "institution": institution,
            "form": form,
            "checklists": checklists,
            "unfinished": _unfinished(request.user, [institution.pk]).get(institution.pk),
        },
    )


@staff_member_required
def inspection_page(request, pk):
    _inspector(request)
    inspection = get_object_or_404(
        Inspection.objects.select_related("institution", "checklist", "authority"),
        pk=pk,
        authority_id=request.user.authority_id,
    )
    record_form = RecordForm(request.POST if request.POST.get("action") == "record" else None)
    item_errors: dict[str, list[str]] = {}
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "begin":
                inspection_begin(
                    inspection=inspection, inspected_on=timezone.localdate(), acting_user=request.user
                )
                return redirect("field:inspection", pk)
            if action in ("save", "record", "remove-photo"):
                findings = list(inspection.findings.values_list("pk", flat=True))
                findings_save(
                    inspection=inspection,
                    marks={
                        f: (request.POST.get(f"result-{f}", ""), request.POST.get(f"note-{f}", ""))
                        for f in findings
                    },
                    photos={f: request.FILES.getlist(f"photos-{f}") for f in findings},
                    acting_user=request.user,
                )
                if action == "remove-photo":  # what was typed is saved first, so nothing is lost
                    photo = get_object_or_404(
                        FindingPhoto.objects.select_related("finding"),
                        pk=request.GET.get("photo"),
                        finding__inspection=inspection,
                    )
                    finding_photo_remove(photo=photo, acting_user=request.user)
                    messages.success(request, _("The photo was removed; the marks were saved."))
                    return redirect(reverse("field:inspection", args=[pk]) + f"#item-{photo.finding_id}")
                if action == "save":
                    messages.success(request, _("Saved. You can carry on later from “My inspections”."))
                    return redirect("field:inspection", pk)
                if record_form.is_valid():
                    inspection_record(
                        inspection=inspection, acting_user=request.user, **record_form.cleaned_data
                    )
                    messages.success(request, _("The inspection is recorded; the institution has been told."))
                    return redirect("field:inspection", pk)
        except InspectionError as error:
            item_errors = {k: v for k, v in error.errors.items() if k.isdigit()}
            if record_form.is_bound:
                show_errors(record_form, error)
            else:
                messages.error(request, error.message)
    findings = list(inspection.findings.prefetch_related("photos"))
    posted = request.POST if request.method == "POST" else None
    rows = [
        {
            "finding": f,
            "result": posted.get(f"result-{f.pk}", f.result) if posted else f.result,
            "note": posted.get(f"note-{f.pk}", f.note) if posted else f.note,
            "errors": item_errors.get(str(f.pk), []),
        }
        for f in findings
    ]
    return render(
        request,
        "inspections/field/inspection.html",
        {
            "title": inspection.institution.name,
            "inspection": inspection,
            "rows": rows,
            "results": Result.choices,
            "record_form": record_form,
            "marked": sum(1 for f in findings if f.result),
            "rectifications": inspection.rectifications.select_related("finding"),
            "editable": inspection.status == Inspection.Status.DRAFT,
        },
    )
