"""The operator portal: the pages an institution's operator uses to sign up, file, correct, change, report
annually and terminate. Views parse forms and call filing.services; every lookup starts from what the
signed-in person acts for, so anything else is a 404."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import capfirst, floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from notifications.selectors import inbox as notification_inbox
from registry.models import ServiceType, User
from registry.selectors import operators_by_institution, visible
from registry.workdays import working_calendar

from .. import staff_register
from ..models import PARTICULARS, AnnualReport, Filing, Material, OperatorSignup, Termination
from ..selectors import (
    current_filing,
    filing_diff,
    open_filing,
    operator_institutions,
    policy_for,
    required_materials,
)
from ..services import (
    FilingError,
    annual_report_submit,
    filing_save_draft,
    filing_start,
    filing_submit,
    invitation_accept,
    invitation_create,
    invitation_from_token,
    material_add,
    material_remove,
    operator_remove,
    signup_approve,
    signup_confirm,
    signup_create,
    signup_reject,
    termination_submit,
)
from .forms import (
    AnnualReportForm,
    ClassFormSet,
    ColleagueInviteForm,
    FilingForm,
    InvitationForm,
    MaterialForm,
    SignupForm,
    TerminationForm,
    show_errors,
)

EDITABLE = (Filing.Status.DRAFT, Filing.Status.RETURNED)

# The filing page's sections and what belongs to each: the form's fields, the keys `filing_submit` reports
# problems under, and the items the bureau returns a filing for. Every problem and every reason is shown
# in the section where it is corrected.
SECTIONS = {
    "particulars": (
        gettext_lazy("Particulars"),
        ("care_form", "name", "address", "legal_representative", "contact_person", "contact_phone"),
    ),
    "premises": (
        gettext_lazy("Premises"),
        ("building_area", "outdoor_area", "tenure", "lease_starts_on", "lease_ends_on", "lease"),
    ),
    "services": (
        gettext_lazy("Services and fees"),
        ("service_types", "monthly_fees", "inclusive", "employer_run"),
    ),
    "staff": (
        gettext_lazy("Staff"),
        ("staff_management", "staff_carers", "staff_health", "staff_security", "staff_cooks"),
    ),
    "classes": (gettext_lazy("classes"), ("classes",)),
    "materials": (gettext_lazy("materials"), ()),
    "commitment": (gettext_lazy("Commitment"), ("commitment",)),
}
OTHER_ITEMS = {"other": gettext_lazy("Other"), "general": gettext_lazy("Other")}


# Accounts -----------------------------------------------------------------------------------------------


def signup(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # The service formats the link with the signed token; the braces must survive URL building.
        confirm_url = request.build_absolute_uri(reverse("portal:signup-confirm", args=["TOKEN"]))
        try:
            signup_create(
                uscc=data["uscc"],
                legal_representative=data["legal_representative"],
                username=data["username"],
                email=data["email"],
                password=data["password"],
                full_name=data["full_name"],
                phone=data["phone"],
                confirm_url=confirm_url.replace("TOKEN", "{token}"),
            )
        except FilingError as exc:
            show_errors(form, exc)
        else:
            return _message(
                request,
                _("Check your e-mail"),
                _("We sent a confirmation link to %(email)s. Open it within three days.")
                % {"email": data["email"]},
                _(
                    "After you confirm, the county health bureau checks your request. You can sign in "
                    "once it is approved."
                ),
            )
    return render(
        request,
        "portal/signup.html",
        {"form": form, "title": _("Sign up as an institution operator"), "submit": _("Sign up")},
    )


def signup_confirmed(request, token):
    try:
        signup_confirm(token=token)
    except FilingError as exc:
        return _message(request, _("Confirmation failed"), exc.message, status=400, tone="error")
    return _message(
        request,
        _("E-mail confirmed"),
        _("The county health bureau will now check your request; you can sign in once it is approved."),
        tone="success",
    )


def invitation(request, token):
    try:
        invite = invitation_from_token(token)
    except FilingError as exc:
        return _message(request, _("Invitation"), exc.message, status=400, tone="error")
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
            show_errors(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request, _("Welcome. You now act for %(name)s.") % {"name": invite.institution.name}
            )
            return redirect("portal:home")
    return render(
        request,
        "portal/form.html",
        {
            "form": form,
            "title": _("Act for %(name)s") % {"name": invite.institution.name},
            "intro": _(
                "%(inviter)s invited %(email)s to act for this institution in the portal. "
                "Choose your user name and password."
            )
            % {"inviter": invite.invited_by.authority or invite.invited_by, "email": invite.email},
            "submit": _("Create my account"),
        },
    )


def _message(request, title, text, more="", *, status=200, tone="info"):
    return render(
        request,
        "portal/message.html",
        {"title": title, "text": text, "more": more, "tone": tone},
        status=status,
    )


# Dashboard ----------------------------------------------------------------------------------------------


@login_required
def home(request):
    rows = []
    for institution in operator_institutions(request.user).select_related("region__parent"):
        rows.append(
            {
                "institution": institution,
                "open": open_filing(institution),
                "current": current_filing(institution),
                "filings": institution.filings.order_by("-created_at"),
                "termination": institution.terminations.filter(status=Termination.Status.SUBMITTED).first(),
                "last_report": institution.annual_reports.first(),
            }
        )
    signups = OperatorSignup.objects.filter(
        user=request.user, status__in=[OperatorSignup.Status.PENDING, OperatorSignup.Status.REJECTED]
    ).select_related("institution")
    return render(
        request,
        "portal/home.html",
        {
            "title": _("My institutions"),
            "rows": rows,
            "pending": [s for s in signups if s.status == OperatorSignup.Status.PENDING],
            "rejected": [s for s in signups if s.status == OperatorSignup.Status.REJECTED],
            "is_bureau_staff": bool(request.user.is_staff or getattr(request.user, "authority_id", None)),
        },
    )


@login_required
def inbox(request):
    page = Paginator(notification_inbox(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "portal/inbox.html", {"title": _("Inbox"), "page": page})


def _institution(request, pk):
    return get_object_or_404(operator_institutions(request.user).select_related("region"), pk=pk)


def _filing(request, pk):
    return get_object_or_404(
        visible(Filing.objects.select_related("institution__region", "amends"), request.user).filter(
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


# The filing -------------------------------------------------------------------------------------------

CLASS_FIELDS = ("class_type", "name", "slots", "enrolled", "carers")


def _classes_initial(filing):
    return [{name: getattr(c, name) for name in CLASS_FIELDS} for c in filing.classes.all()]


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


def _field_label(name: str) -> str:
    try:
        return capfirst(Filing._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # a section or a key of the service's own
        return capfirst(str(SECTIONS.get(name, (name,))[0]))


def _place(item: str, requirements) -> tuple[str | None, str]:
    """Where an item shows on the filing page (a section key or 'material:<code>') and its label. Items
    come as field names, section keys, 'material:<code>', or the labels the bureau's form stored."""
    if item.startswith("material:"):
        code = item.removeprefix("material:")
        name = next((r.name for r in requirements if r.code == code), code)
        return item, name
    for key, (title, items) in SECTIONS.items():
        if item in (key, str(title)):
            return key, capfirst(str(title))
        if item in items:
            return key, _field_label(item)
    for requirement in requirements:
        if item == requirement.name:
            return f"material:{requirement.code}", requirement.name
    return None, str(OTHER_ITEMS.get(item, item))


def _anchor(place: str | None) -> str:
    if place is None:
        return "top"
    if place.startswith("material:"):
        return "material-" + place.removeprefix("material:")
    return "section-" + place


def _display(name: str, value) -> str:
    """A filed value as people read it."""
    if value in (None, "", [], {}):
        return "—"
    if name == "tenure":
        return str(Filing.Tenure(value).label) if value in Filing.Tenure.values else value
    if name == "service_types":
        return "、".join(str(ServiceType(t).label) if t in ServiceType.values else t for t in value)
    if name == "monthly_fees":
        return "；".join(
            _("%(type)s %(fee)s yuan a month")
            % {"type": ServiceType(t).label if t in ServiceType.values else t, "fee": fee}
            for t, fee in value.items()
        )
    if isinstance(value, bool):
        return _("Yes,No").split(",")[0 if value else 1]
    if name in ("building_area", "outdoor_area"):
        return f"{floatformat(value, -2)} m²"
    if name in ("lease_starts_on", "lease_ends_on"):
        return date_format(value)
    return str(value)


def _summary(filing: Filing) -> list[dict]:
    """The filing's particulars, section by section, for reading."""
    sections = []
    for key in ("particulars", "premises", "services", "staff"):
        title, items = SECTIONS[key]
        rows = [
            (_field_label(name), _display(name, getattr(filing, name)))
            for name in items
            if name in PARTICULARS
            and not (name.startswith("lease_") and filing.tenure != Filing.Tenure.LEASED)
        ]
        sections.append({"key": key, "title": capfirst(str(title)), "rows": rows})
    return sections


def _describe_classes(filing: Filing) -> str:
    return "；".join(
        _("%(type)s %(name)s: %(slots)d slots, %(enrolled)d enrolled, %(carers)d carers")
        % {
            "type": c.get_class_type_display(),
            "name": c.name,
            "slots": c.slots,
            "enrolled": c.enrolled,
            "carers": c.carers,
        }
        for c in filing.classes.all()
    )


def _diff(filing: Filing) -> list[tuple[str, str, str]]:
    """filing_diff's rows as people read them."""
    names = {str(Filing._meta.get_field(name).verbose_name): name for name in PARTICULARS}
    rows = []
    for label, before, after in filing_diff(filing):
        if label == str(SECTIONS["classes"][0]):
            before, after = _describe_classes(filing.amends), _describe_classes(filing)
        else:
            before, after = _display(names.get(label, ""), before), _display(names.get(label, ""), after)
        rows.append((capfirst(label), before or "—", after or "—"))
    return rows


def _page_messages(request):
    """Split the flashed messages: those about one material show beside it, the rest at the top."""
    general, by_material = [], {}
    for message in messages.get_messages(request):
        tag = next((t for t in message.extra_tags.split() if t.startswith("material-")), None)
        if tag:
            by_material.setdefault(tag.removeprefix("material-"), []).append(message)
        else:
            general.append(message)
    return general, by_material


def _history(filing: Filing, requirements) -> list[dict]:
    """The filing's transitions; a return lists its reasons (the round it opened) by their labels."""
    rounds: dict[int, list] = {}
    for reason in filing.return_reasons.all():
        rounds.setdefault(reason.round, []).append((_place(reason.item, requirements)[1], reason.reason))
    rows, returns = [], 0
    for move in filing.transitions.select_related("actor__authority"):
        reasons = []
        if move.to_status == Filing.Status.RETURNED:
            returns += 1
            reasons = rounds.get(returns, [])
        actor = move.actor
        rows.append(
            {
                "move": move,
                "actor": actor.authority.name
                if actor.authority_id
                else actor.get_full_name() or actor.username,
                "reasons": reasons,
            }
        )
    return rows


def _filing_context(request, filing: Filing, *, form=None, classes=None, problems=None, problem_message=""):
    """Everything the filing page shows. Each problem from `filing_submit` and each of the bureau's return
    reasons is listed at the top and repeated where it is corrected: at its field, its section or its
    material."""
    institution = filing.institution
    requirements = required_materials(institution.region_id, filing.care_form)
    general_messages, material_messages = _page_messages(request)
    # Keyed by a section key or "material:<code>".
    notes: dict[str, dict] = defaultdict(lambda: {"problems": [], "reasons": []})
    summary, reasons = [], []

    for item, texts in (problems or {}).items():
        place, label = _place(item, requirements)
        for text in texts:
            summary.append({"anchor": _anchor(place), "label": label, "text": text})
            if form is not None and item in form.fields:
                if not form.is_bound:
                    form.cleaned_data = {}  # an unbound form (the saved draft) takes errors all the same
                form.add_error(item, text)
            elif place:
                notes[place]["problems"].append(text)

    if filing.status == Filing.Status.RETURNED:
        latest = filing.return_reasons.order_by("-round").values_list("round", flat=True).first()
        for reason in filing.return_reasons.filter(round=latest):
            place, label = _place(reason.item, requirements)
            reasons.append({"anchor": _anchor(place), "label": label, "text": reason.reason})
            if place:
                notes[place]["reasons"].append(reason.reason)

    uploaded: dict[int, list[Material]] = {}
    for material in filing.materials.all():
        uploaded.setdefault(material.requirement_id, []).append(material)
    on_file: dict[str, list[Material]] = {}
    if filing.kind == Filing.Kind.CHANGE and filing.amends_id:
        for material in filing.amends.materials.select_related("requirement"):
            on_file.setdefault(material.requirement.code, []).append(material)
    materials = [
        {
            "requirement": r,
            "files": uploaded.get(r.pk, []),
            "on_file": on_file.get(r.code, []),
            "notes": notes[f"material:{r.code}"],
            "messages": material_messages.get(r.code, []),
        }
        for r in requirements
    ]

    review_days = policy_for(institution.region_id).review_working_days
    return {
        "title": f"{filing.get_kind_display()}：{filing.name or institution.name}",
        "messages": general_messages,
        "filing": filing,
        "institution": institution,
        "editable": filing.status in EDITABLE,
        "form": form,
        "classes": classes,
        "class_list": filing.classes.all(),
        "summary": [] if filing.status in EDITABLE else _summary(filing),
        "problems": summary,
        "problem_message": problem_message,
        "reasons": reasons,
        "notes": {key: notes[key] for key in SECTIONS},
        "materials": materials,
        "history": _history(filing, requirements),
        "diff": _diff(filing) if filing.kind == Filing.Kind.CHANGE else [],
        "review_days": review_days,
        "decision_due": working_calendar().add_working_days(
            timezone.localdate(filing.submitted_at), review_days
        )
        if filing.submitted_at
        else None,
    }


@login_required
def filing_page(request, pk):
    filing = _filing(request, pk)
    if filing.status not in EDITABLE:
        if request.method == "POST":
            messages.error(request, _("Only a draft or a returned filing can be edited."))
            return redirect("portal:filing", filing.pk)
        return render(request, "portal/filing.html", _filing_context(request, filing))

    posted = request.POST if request.method == "POST" else None
    form = FilingForm(posted, filing=filing, staff=staff_register.counts(filing.institution))
    classes = ClassFormSet(posted, initial=_classes_initial(filing), prefix="classes")
    if posted is None:
        return render(
            request, "portal/filing.html", _filing_context(request, filing, form=form, classes=classes)
        )
    # Upload and Remove buttons submit the whole form, so what was typed is saved with the file, and a
    # file chosen for any material is kept even when another entry is not valid.
    valid = form.is_valid() and classes.is_valid()
    if valid:
        filing = filing_save_draft(
            filing=filing,
            data=form.draft_data(),
            classes=_class_rows(classes),
            acting_user=request.user,
            commitment_accepted=form.cleaned_data["commitment"],
        )
    anchor = _change_materials(request, filing)
    if not valid:
        messages.error(
            request, _("Some entries are not valid; they are marked below. They are saved once corrected.")
        )
        context = _filing_context(request, filing, form=form, classes=classes)
        return render(request, "portal/filing.html", context, status=400)
    if "submit" not in request.POST:
        messages.success(request, _("Draft saved."))
        return redirect(reverse("portal:filing", args=[filing.pk]) + (f"#{anchor}" if anchor else ""))
    try:
        filing_submit(filing=filing, acting_user=request.user)
    except FilingError as exc:
        # The draft is saved; show it as saved, with each problem where it is corrected.
        filing = _filing(request, filing.pk)
        context = _filing_context(
            request,
            filing,
            form=FilingForm(None, filing=filing, staff=staff_register.counts(filing.institution)),
            classes=ClassFormSet(initial=_classes_initial(filing), prefix="classes"),
            problems=exc.errors,
            problem_message=exc.message,
        )
        return render(request, "portal/filing.html", context, status=400)
    messages.success(request, _("Submitted. The county health bureau will review it."))
    return redirect("portal:filing", filing.pk)


def _change_materials(request, filing: Filing) -> str | None:
    """Apply the Remove button and every file chosen for a material, each with its message beside the
    material. Returns the anchor of the material acted on, or None when none was."""
    anchor = None
    removed = request.POST.get("remove", "")
    if removed.isdigit():
        material = filing.materials.select_related("requirement").filter(pk=removed).first()
        if material is not None:
            anchor = f"material-{material.requirement.code}"
            try:
                material_remove(material=material, acting_user=request.user)
            except FilingError as exc:
                messages.error(request, exc.message, extra_tags=anchor)
            else:
                removed_text = _("Removed “%(name)s”.") % {"name": material.original_name}
                messages.success(request, removed_text, extra_tags=anchor)
    for requirement in required_materials(filing.institution.region_id, filing.care_form):
        tag = f"material-{requirement.code}"
        uploads = request.FILES.getlist(f"material-{requirement.pk}")
        if not uploads and request.POST.get("upload") == str(requirement.pk):
            messages.error(request, _("Choose a file to upload."), extra_tags=tag)
            anchor = tag
        for upload in uploads:
            anchor = tag
            form = MaterialForm(files={"file": upload})
            if not form.is_valid():  # an empty file, a name too long: say so beside the material
                for error in form.errors["file"]:
                    messages.error(request, f"{upload.name}：{error}", extra_tags=tag)
                continue
            try:
                material_add(filing=filing, requirement=requirement, upload=upload, acting_user=request.user)
            except FilingError as exc:
                messages.error(request, f"{upload.name}：{exc.message}", extra_tags=tag)
            else:
                messages.success(request, _("Uploaded “%(name)s”.") % {"name": upload.name}, extra_tags=tag)
    return anchor


# Colleagues ---------------------------------------------------------------------------------------------


@login_required
def colleagues(request, pk):
    """An institution's operators: who acts for it, sign-ups waiting for a colleague's decision, an
    invitation by e-mail, and removing someone who left (after a confirmation)."""
    institution = _institution(request, pk)
    here = reverse("portal:colleagues", args=[institution.pk])
    invite_form = ColleagueInviteForm(request.POST if request.POST.get("action") == "invite" else None)
    action = request.POST.get("action", "")
    if request.method == "POST":
        try:
            if action == "invite" and invite_form.is_valid():
                invitation_create(
                    institution=institution,
                    email=invite_form.cleaned_data["email"],
                    acting_user=request.user,
                    accept_url=request.build_absolute_uri(
                        reverse("portal:invitation", args=["TOKEN"])
                    ).replace("TOKEN", "{token}"),
                )
                messages.success(request, _("Invitation sent to %(email)s.") % invite_form.cleaned_data)
                return redirect(here)
            if action in ("approve", "reject"):
                signup = get_object_or_404(
                    OperatorSignup, pk=request.POST.get("signup"), institution=institution
                )
                if action == "approve":
                    signup_approve(signup=signup, acting_user=request.user)
                    messages.success(
                        request, _("%(person)s now acts for the institution.") % {"person": signup.user}
                    )
                else:
                    signup_reject(signup=signup, acting_user=request.user, note=request.POST.get("note", ""))
                    messages.success(
                        request, _("The sign-up of %(person)s is declined.") % {"person": signup.user}
                    )
                return redirect(here)
            if action == "remove":
                person = get_object_or_404(User, pk=request.POST.get("user"))
                operator_remove(institution=institution, user=person, acting_user=request.user)
                messages.success(
                    request, _("%(person)s no longer acts for the institution.") % {"person": person}
                )
                return redirect("portal:home" if person == request.user else here)
        except FilingError as exc:
            messages.error(request, exc.message)
            return redirect(here)
    people = User.objects.filter(pk__in=operators_by_institution([institution.pk]).get(institution.pk, []))
    removing = (
        people.filter(pk=request.GET.get("remove")).first()
        if request.GET.get("remove", "").isdigit()
        else None
    )
    waiting = institution.signups.filter(status=OperatorSignup.Status.PENDING).select_related("user")
    return render(
        request,
        "portal/colleagues.html",
        {
            "title": _("Colleagues: %(name)s") % {"name": institution.name},
            "institution": institution,
            "people": people.order_by("first_name", "pk"),
            "waiting": waiting.order_by("created_at"),
            "invite_form": invite_form,
            "removing": removing,
        },
    )


# After filing -------------------------------------------------------------------------------------------


@login_required
def annual_report(request, pk):
    """Report a year, or correct the report the bureau returned (prefilled with what was reported)."""
    institution = _institution(request, pk)
    current = current_filing(institution)
    returned = institution.annual_reports.filter(status=AnnualReport.Status.RETURNED).order_by("-year")
    wanted = request.GET.get("year", "")
    correcting = (returned.filter(year=wanted) if wanted.isdigit() else returned).first()
    initial, fees = {}, current.monthly_fees if current else None
    if correcting is not None:
        initial = {
            "year": correcting.year,
            "enrolled_children": correcting.enrolled_children,
            "staff_total": correcting.staff_total,
            "incidents": correcting.incidents,
        }
        fees = correcting.monthly_fees
    form = AnnualReportForm(request.POST or None, initial=initial, fees=fees)
    if request.method == "POST" and form.is_valid():
        try:
            report = annual_report_submit(
                institution=institution, acting_user=request.user, **form.report_data()
            )
        except FilingError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("Annual report for %(year)d submitted.") % {"year": report.year})
            return redirect("portal:annual-report", institution.pk)
    reports = [
        {"report": report, "fees": _display("monthly_fees", report.monthly_fees)}
        for report in institution.annual_reports.all()
    ]
    return render(
        request,
        "portal/annual_report.html",
        {
            "title": _("Annual report: %(name)s") % {"name": institution.name},
            "institution": institution,
            "form": form,
            "correcting": correcting,
            "reports": reports,
        },
    )


@login_required
def termination(request, pk):
    institution = _institution(request, pk)
    pending = institution.terminations.filter(status=Termination.Status.SUBMITTED).first()
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
            show_errors(form, exc)
        else:
            messages.success(request, _("Termination submitted; the bureau will confirm it."))
            return redirect("portal:home")
    return render(
        request,
        "portal/termination.html",
        {
            "title": _("Terminate: %(name)s") % {"name": institution.name},
            "institution": institution,
            "form": form,
            "pending": pending,
        },
    )
