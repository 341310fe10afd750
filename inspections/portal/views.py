"""Supervision in the operator portal: an institution's inspections and their findings, the
rectifications to answer (with evidence), and any suspension in force. Starts from the institutions the
signed-in person acts for, so anything else is a 404; never shows who complained or how a draw went."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from filing.portal.forms import show_errors
from filing.selectors import operator_institutions

from ..models import Assessment, AssessmentFile, AssessmentItem, Rectification
from ..selectors import for_operator
from ..services import (
    InspectionError,
    appeal_lodge,
    evidence_add,
    evidence_remove,
    rectification_answer,
    self_assessment_save,
)
from .forms import AnswerForm


@login_required
def institution_page(request, pk):
    institution = get_object_or_404(operator_institutions(request.user), pk=pk)
    answering, form = None, None
    if request.method == "POST":
        answering = get_object_or_404(
            Rectification.objects.filter(institution=institution), pk=request.POST.get("rectification")
        )
        form = AnswerForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                rectification_answer(
                    rectification=answering,
                    text=form.cleaned_data["text"],
                    files=form.cleaned_data["files"],
                    acting_user=request.user,
                )
            except InspectionError as error:
                show_errors(form, error)
            else:
                messages.success(request, _("Your answer was sent to the inspecting department."))
                return redirect("supervision:institution", pk)
    found = for_operator(institution)
    rectifications = list(found["rectifications"].prefetch_related("events__files", "events__by"))
    for rectification in rectifications:
        rectification.form = form if answering and answering.pk == rectification.pk else AnswerForm()
    return render(
        request,
        "inspections/portal/institution.html",
        {
            "title": _("Inspections and rectifications"),
            "institution": institution,
            "inspections": found["inspections"].prefetch_related("findings__photos"),
            "rectifications": rectifications,
            "suspensions": found["suspensions"],
            "today": timezone.localdate(),
            "open_count": sum(1 for r in rectifications if r.status == Rectification.Status.OPEN),
            "assessments": Assessment.objects.filter(institution=institution).select_related("round"),
        },
    )


@login_required
def assessment_page(request, pk, assessment_pk):
    """The self-assessment of a quality assessment with evidence per requirement, its result once
    published, and the appeal against it."""
    institution = get_object_or_404(operator_institutions(request.user), pk=pk)
    assessment = get_object_or_404(
        Assessment.objects.select_related("round"), pk=assessment_pk, institution=institution
    )
    errors: dict[str, list[str]] = {}
    action = "remove-file" if "remove-file" in request.POST else request.POST.get("action", "save")
    if request.method == "POST":
        try:
            done = _assessment_action(request, assessment, action)
        except InspectionError as error:
            messages.error(request, error.message)
            errors = error.errors
        else:
            messages.success(request, done)
            return redirect("supervision:assessment", pk, assessment_pk)
    posted = request.POST if request.method == "POST" and action != "appeal" else None
    published = assessment.status in (Assessment.Status.PUBLISHED, Assessment.Status.APPEALED)
    rows = [
        {
            "item": item,
            "answer": posted.get(f"answer-{item.pk}", item.self_answer) if posted else item.self_answer,
            "note": posted.get(f"note-{item.pk}", item.self_note) if posted else item.self_note,
            "errors": errors.get(str(item.pk), []),
            "files": [f for f in item.files.all() if not f.by_assessor or published],
        }
        for item in assessment.items.prefetch_related("files")
    ]
    today = timezone.localdate()
    return render(
        request,
        "inspections/portal/assessment.html",
        {
            "title": assessment.round.title,
            "institution": institution,
            "assessment": assessment,
            "rows": rows,
            "answers": AssessmentItem.SelfAnswer.choices,
            "editable": assessment.status == Assessment.Status.SELF_ASSESSING,
            "published": published,
            "may_appeal": assessment.status == Assessment.Status.PUBLISHED
            and assessment.appeal_until is not None
            and today <= assessment.appeal_until,
            "appeals": assessment.appeals.all(),
            "appeal_reason": request.POST.get("reason", "") if action == "appeal" else "",
            "appeal_errors": errors.get("reason", []),
            "file_errors": errors.get("files", []),
        },
    )


def _assessment_action(request, assessment: Assessment, action: str) -> str:
    """Carry out one posted action of the assessment page; the message to show, or InspectionError."""
    if action == "appeal":
        appeal_lodge(assessment=assessment, reason=request.POST.get("reason", ""), acting_user=request.user)
        return _("Your appeal was sent to the health bureau; you are told of its decision.")
    if action == "remove-file":
        evidence = get_object_or_404(
            AssessmentFile.objects.filter(item__assessment=assessment), pk=request.POST.get("remove-file")
        )
        evidence_remove(evidence=evidence, acting_user=request.user)  # and the answers typed are saved below
    items = list(assessment.items.all())
    # Files are kept even when the answers are refused (a submission with a requirement unanswered): the
    # page shows the answers as typed again, but a browser cannot refill a file input.
    for item in items:
        uploads = request.FILES.getlist(f"files-{item.pk}")
        if uploads:
            evidence_add(item=item, files=uploads, acting_user=request.user)
    self_assessment_save(
        assessment=assessment,
        answers={
            i.pk: (request.POST.get(f"answer-{i.pk}", ""), request.POST.get(f"note-{i.pk}", ""))
            for i in items
        },
        submit=action == "submit",
        acting_user=request.user,
    )
    if action == "submit":
        return _("Your self-assessment was submitted to the assessor.")
    if action == "remove-file":
        return _("The file was removed and your answers saved.")
    return _("Saved. You can carry on later.")
