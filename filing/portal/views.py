"""The operator portal. Views parse forms and call filing.services; every lookup starts from what the
signed-in person acts for."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from registry.selectors import visible

from ..models import Filing, Material, MaterialRequirement, OperatorSignup
from ..selectors import current_filing, filing_diff, open_filing, operator_institutions, required_materials
from ..services import (
    FilingError,
    annual_report_submit,
    filing_save_draft,
    filing_start,
    filing_submit,
    invitation_accept,
    invitation_from_token,
    material_add,
    material_remove,
    signup_confirm,
    signup_create,
    termination_submit,
)
from .forms import AnnualReportForm, ClassFormSet, FilingForm, InvitationForm, SignupForm, TerminationForm

EDITABLE = (Filing.Status.DRAFT, Filing.Status.RETURNED)


def _show_errors(form, error: FilingError) -> None:
    """The service's explanation above the form, and each item's problem next to its field."""
    form.add_error(None, error.message)
    for item, problems in error.errors.items():
        for problem in problems:
            if item in form.fields:
                form.add_error(item, problem)


def signup(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            signup_create(
                uscc=data["uscc"],
                legal_representative=data["legal_representative"],
                username=data["username"],
                email=data["email"],
                password=data["password"],
                full_name=data["full_name"],
                phone=data["phone"],
                confirm_url=request.build_absolute_uri("/portal/signup/confirm/") + "{token}/",
            )
        except FilingError as exc:
            _show_errors(form, exc)
        else:
            return render(
                request,
                "portal/message.html",
                {
                    "title": _("Check your e-mail"),
                    "text": _("We sent a confirmation link to %(email)s. Open it within three days.")
                    % {"email": data["email"]},
                },
            )
    return render(
        request,
        "portal/form.html",
        {"form": form, "title": _("Sign up as an institution operator"), "submit": _("Sign up")},
    )


def signup_confirmed(request, token):
    try:
        signup_confirm(token=token)
    except FilingError as exc:
        return render(
            request,
            "portal/message.html",
            {"title": _("Confirmation failed"), "text": exc.message},
            status=400,
        )
    return render(
        request,
        "portal/message.html",
        {
            "title": _("E-mail confirmed"),
            "text": _(
                "The county health bureau will now check your request; you can sign in once it is approved."
            ),
        },
    )


def invitation(request, token):
    try:
        invite = invitation_from_token(token)
    except FilingError as exc:
        return render(
            request, "portal/message.html", {"title": _("Invitation"), "text": exc.message}, status=400
        )
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(
                token=token,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                full_name=form.cleaned_data["full_name"],
            )
        except FilingError as exc:
            _show_errors(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("portal:home")
    title = _("Act for %(name)s") % {"name": invite.institution.name}
    return render(
        request, "portal/form.html", {"form": form, "title": title, "submit": _("Create my account")}
    )


@login_required
def home(request):
    rows = []
    for institution in operator_institutions(request.user):
        rows.append(
            {
                "institution": institution,
                "open": open_filing(institution),
                "current": current_filing(institution),
            }
        )
    pending = OperatorSignup.objects.filter(user=request.user, status=OperatorSignup.Status.PENDING).exists()
    return render(request, "portal/home.html", {"rows": rows, "pending": pending})


def _institution(request, pk):
    return get_object_or_404(operator_institutions(request.user), pk=pk)


def _filing(request, pk):
    return get_object_or_404(
        visible(Filing.objects.select_related("institution__region"), request.user).filter(
            institution__in=operator_institutions(request.user)
        ),
        pk=pk,
    )


@login_required
@require_POST
def start(request, pk):
    try:
        filing = filing_start(institution=_institution(request, pk), acting_user=request.user)
    except FilingError as exc:
        messages.error(request, exc.message)
        return redirect("portal:home")
    return redirect("portal:filing", filing.pk)


def _classes_initial(filing):
    return [
        {
            "class_type": c.class_type,
            "name": c.name,
            "slots": c.slots,
            "enrolled": c.enrolled,
            "carers": c.carers,
        }
        for c in filing.classes.all()
    ]


CLASS_FIELDS = ("class_type", "name", "slots", "enrolled", "carers")


def _class_rows(formset) -> list[dict]:
    """The classes as entered. A row equal to its initial value counts as unchanged and validates empty,
    so it is kept from its initial value."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data if form.has_changed() else form.initial
        if not data or data.get("DELETE") or not data.get("slots"):
            continue
        rows.append({name: data.get(name) or ("" if name == "name" else 0) for name in CLASS_FIELDS})
    return rows


@login_required
def filing_page(request, pk):
    filing = _filing(request, pk)
    editable = filing.status in EDITABLE
    form = FilingForm(request.POST if request.method == "POST" and editable else None, instance=filing)
    classes = ClassFormSet(
        request.POST if request.method == "POST" and editable else None,
        initial=_classes_initial(filing),
        prefix="classes",
    )
    problems = {}
    if request.method == "POST" and editable and form.is_valid() and classes.is_valid():
        rows = _class_rows(classes)
        filing = filing_save_draft(
            filing=filing,
            data=form.draft_data(),
            classes=rows,
            acting_user=request.user,
            commitment_accepted=form.cleaned_data["commitment"],
        )
        if "submit" not in request.POST:
            messages.success(request, _("Draft saved."))
            return redirect("portal:filing", filing.pk)
        try:
            filing_submit(filing=filing, acting_user=request.user)
        except FilingError as exc:
            problems = exc.errors
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Submitted. The county health bureau will review it."))
            return redirect("portal:filing", filing.pk)
    requirements = required_materials(filing.institution.region_id)
    uploaded = {}
    for material in filing.materials.select_related("requirement"):
        uploaded.setdefault(material.requirement.code, []).append(material)
    latest_round = filing.return_reasons.order_by("-round").values_list("round", flat=True).first()
    context = {
        "filing": filing,
        "form": form,
        "classes": classes,
        "editable": editable,
        "problems": problems,
        "materials": [
            (r, uploaded.get(r.code, []), problems.get(f"material:{r.code}")) for r in requirements
        ],
        "reasons": filing.return_reasons.filter(round=latest_round) if latest_round else [],
        "transitions": filing.transitions.select_related("actor"),
        "diff": filing_diff(filing),
    }
    return render(request, "portal/filing.html", context)


@login_required
@require_POST
def material_upload(request, pk):
    filing = _filing(request, pk)
    requirement = get_object_or_404(MaterialRequirement, pk=request.POST.get("requirement"))
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to upload."))
    else:
        try:
            material_add(filing=filing, requirement=requirement, upload=upload, acting_user=request.user)
        except FilingError as exc:
            messages.error(request, f"{requirement.name}：{exc.message}")
        else:
            messages.success(request, _("Uploaded “%(name)s”.") % {"name": upload.name})
    return redirect(reverse("portal:filing", args=[filing.pk]) + "#materials")


@login_required
@require_POST
def material_delete(request, pk):
    material = get_object_or_404(
        visible(Material.objects.select_related("filing__institution"), request.user), pk=pk
    )
    try:
        material_remove(material=material, acting_user=request.user)
    except (FilingError, PermissionDenied) as exc:
        messages.error(request, str(exc))
    return redirect(reverse("portal:filing", args=[material.filing_id]) + "#materials")


@login_required
def annual_report(request, pk):
    institution = _institution(request, pk)
    form = AnnualReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            annual_report_submit(institution=institution, acting_user=request.user, **form.report_data())
        except FilingError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, _("Annual report submitted."))
            return redirect("portal:home")
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": _("Annual report: %(name)s") % {"name": institution.name},
            "submit": _("Submit"),
            "past": institution.annual_reports.all(),
        },
    )


@login_required
def termination(request, pk):
    institution = _institution(request, pk)
    form = TerminationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            termination_submit(
                institution=institution,
                planned_on=data["planned_on"],
                children_plan=data["children_plan"],
                staff_plan=data["staff_plan"],
                acting_user=request.user,
            )
        except FilingError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, _("Termination submitted; the bureau will confirm it."))
            return redirect("portal:home")
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": _("Terminate: %(name)s") % {"name": institution.name},
            "submit": _("Submit"),
        },
    )
