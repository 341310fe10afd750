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

from ..models import Assessment, AssessmentItem, Rectification
from ..selectors import for_operator
from ..services import InspectionError, rectification_answer, self_assessment_save
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
    """The self-assessment of a quality assessment, and its result once published."""
    institution = get_object_or_404(operator_institutions(request.user), pk=pk)
    assessment = get_object_or_404(
        Assessment.objects.select_related("round"), pk=assessment_pk, institution=institution
    )
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        items = list(assessment.items.values_list("pk", flat=True))
        try:
            self_assessment_save(
                assessment=assessment,
                answers={
                    i: (request.POST.get(f"answer-{i}", ""), request.POST.get(f"note-{i}", "")) for i in items
                },
                submit=request.POST.get("action") == "submit",
                acting_user=request.user,
            )
        except InspectionError as error:
            messages.error(request, error.message)
            errors = error.errors
        else:
            if request.POST.get("action") == "submit":
                messages.success(request, _("Your self-assessment was submitted to the assessor."))
            else:
                messages.success(request, _("Saved. You can carry on later."))
            return redirect("supervision:assessment", pk, assessment_pk)
    posted = request.POST if request.method == "POST" else None
    rows = [
        {
            "item": item,
            "answer": posted.get(f"answer-{item.pk}", item.self_answer) if posted else item.self_answer,
            "note": posted.get(f"note-{item.pk}", item.self_note) if posted else item.self_note,
            "errors": errors.get(str(item.pk), []),
        }
        for item in assessment.items.all()
    ]
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
            "published": assessment.status == Assessment.Status.PUBLISHED,
        },
    )
