"""Recognition in the operator portal: the institution's inclusive and demonstration recognitions with
their checks and reasons, and the applications, with the price cap and guided standard shown before the
operator applies. Starts from the institutions the signed-in person acts for; anything else is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from filing.portal.forms import show_errors
from filing.selectors import current_filing, operator_institutions
from registry.models import ServiceType

from ..eligibility import evaluate
from ..models import Application, Programme, Recognition
from ..selectors import recognitions_of
from ..services import (
    SubsidyError,
    application_submit,
    guided_fees,
    periods,
    prefill,
    price_cap,
    recognition_apply,
)
from ..services.fees import NON_PROFIT, current_fees
from ..services.programmes import amount_for, levels, open_programmes
from ..services.recognition import UNDERTAKING, in_force
from .forms import ApplicationForm, DemonstrationForm, InclusiveForm


@login_required
def recognition_page(request, pk):
    institution = get_object_or_404(operator_institutions(request.user).select_related("region"), pk=pk)
    offered, latest = current_fees([institution.pk]).get(institution.pk, ([], {}))
    filing = current_filing(institution)
    slots = filing.total_slots if filing else 0
    inclusive_form = InclusiveForm(
        request.POST if request.POST.get("kind") == "inclusive" else None,
        offered=offered,
        fees={s: fee for s, (fee, _source, _day) in latest.items()},
        initial={"slots": slots or None, "inclusive_slots": slots or None},
    )
    demonstration_form = DemonstrationForm(
        request.POST if request.POST.get("kind") == "demonstration" else None
    )
    if request.method == "POST":
        kind = request.POST.get("kind")
        form = inclusive_form if kind == "inclusive" else demonstration_form
        if kind in Recognition.Kind.values and form.is_valid():
            try:
                recognition_apply(
                    institution=institution,
                    kind=kind,
                    fees=form.fees() if kind == "inclusive" else None,
                    slots=form.cleaned_data.get("slots") or 0,
                    inclusive_slots=form.cleaned_data.get("inclusive_slots") or 0,
                    undertaking_accepted=form.cleaned_data["undertaking"],
                    acting_user=request.user,
                )
            except SubsidyError as error:
                show_errors(form, error)
            else:
                messages.success(request, _("Your application was sent to the county health bureau."))
                return redirect("subsidies:recognition", pk)
    today = timezone.localdate()
    recognitions = recognitions_of(institution)
    pending = {r.kind for r in recognitions if r.status == Recognition.Status.APPLIED}
    labels = dict(ServiceType.choices)
    guided = guided_fees(institution.region_id, today.year) if institution.route in NON_PROFIT else {}
    return render(
        request,
        "subsidies/portal/recognition.html",
        {
            "title": _("Inclusive recognition"),
            "institution": institution,
            "recognitions": recognitions,
            "filed": institution.filing_status == institution.FilingStatus.FILED,
            "inclusive": in_force(institution.pk, Recognition.Kind.INCLUSIVE),
            "demonstration": in_force(institution.pk, Recognition.Kind.DEMONSTRATION),
            "pending": pending,
            "cap": price_cap(institution.region_id, today.year),
            "guided": [(labels.get(s, s), fee) for s, fee in guided.items() if s in offered],
            "inclusive_form": inclusive_form,
            "demonstration_form": demonstration_form,
            "undertaking": UNDERTAKING,
            "today": today,
        },
    )


UNIT_LABELS = {
    Programme.Kind.CONSTRUCTION: gettext_lazy("new slots"),
    Programme.Kind.OPERATING: gettext_lazy("children enrolled"),
    Programme.Kind.TRAINING: gettext_lazy("staff certified in the period"),
}


@login_required
def programmes_page(request, pk):
    """The programmes open to the institution, with how its rules stand today and the count prefilled;
    the applications made and their decisions."""
    institution = get_object_or_404(operator_institutions(request.user).select_related("region"), pk=pk)
    today = timezone.localdate()
    posted = request.POST.get("programme") if request.method == "POST" else None
    cards = []
    applied = set(Application.objects.filter(institution=institution).values_list("programme_id", "period"))
    for programme in open_programmes(institution, today):
        offered = [p for p in periods(programme, today) if (programme.pk, p) not in applied]
        award = programme.kind == Programme.Kind.AWARD
        if not offered:
            cards.append(
                {"programme": programme, "form": None, "checks": [], "eligible": True, "estimate": None}
            )
            continue
        platform = prefill(programme, institution, offered[0])
        form = ApplicationForm(
            request.POST if posted == str(programme.pk) else None,
            request.FILES if posted == str(programme.pk) else None,
            periods=offered,
            unit_label=UNIT_LABELS.get(programme.kind, ""),
            award=award,
            initial={"period": offered[0], "units": platform},
        )
        if posted == str(programme.pk) and form.is_valid():
            try:
                application_submit(
                    programme=programme,
                    institution=institution,
                    period=form.cleaned_data["period"],
                    units=form.cleaned_data.get("units"),
                    note=form.cleaned_data["note"],
                    files=request.FILES.getlist("files"),
                    acting_user=request.user,
                )
            except SubsidyError as error:
                show_errors(form, error)
                if "files" in error.errors:
                    form.file_errors = error.errors["files"]
            else:
                messages.success(request, _("Your application was sent to the county health bureau."))
                return redirect("subsidies:programmes", pk)
        checks = Application(checks=evaluate(programme.rules.all(), institution, today)).described_checks
        cards.append(
            {
                "programme": programme,
                "form": form,
                "checks": checks,
                "eligible": all(c["result"] == "pass" for c in checks),
                "platform": platform,
                "estimate": amount_for(
                    programme,
                    platform or 0,
                    {"month": 1, "quarter": 3, "year": 12}.get(programme.period, 1),
                    levels(institution, offered[0]) if programme.kind == Programme.Kind.TRAINING else None,
                )
                if platform is not None or award
                else None,
            }
        )
    applications = (
        Application.objects.filter(institution=institution)
        .select_related("programme", "batch")
        .prefetch_related("files")
        .order_by("-applied_at", "-pk")
    )
    return render(
        request,
        "subsidies/portal/programmes.html",
        {
            "title": _("Subsidies"),
            "institution": institution,
            "cards": cards,
            "applications": applications,
        },
    )
