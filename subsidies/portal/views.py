"""Recognition in the operator portal: the institution's inclusive and demonstration recognitions with
their checks and reasons, and the applications, with the price cap and guided standard shown before the
operator applies. Starts from the institutions the signed-in person acts for; anything else is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from filing.portal.forms import show_errors
from filing.selectors import current_filing, operator_institutions
from registry.models import ServiceType

from ..models import Recognition
from ..selectors import recognitions_of
from ..services import SubsidyError, guided_fees, price_cap, recognition_apply
from ..services.fees import NON_PROFIT, current_fees
from ..services.recognition import UNDERTAKING, in_force
from .forms import DemonstrationForm, InclusiveForm


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
