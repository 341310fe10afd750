"""The staff register in the operator portal: the roster, a person's page with their records, adding a
person, ending an employment and importing a roster. Every lookup starts from the institutions the
signed-in person acts for, so anything else is a 404."""

import datetime
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from filing.portal.forms import show_errors
from filing.selectors import operator_institutions

from .. import roster_sheet
from ..models import Employment, Person
from ..selectors import certificate_types_for, certification_total, health_state, lapsing, roster
from ..services import (
    WorkforceError,
    certificate_add,
    employment_end,
    employment_reopen,
    health_check_add,
    hire,
    no_criminal_record_add,
    person_document,
    record_remove,
    roster_import,
    training_add,
)
from ..services.people import REOPEN_DAYS
from .forms import (
    CertificateForm,
    EndForm,
    HealthCheckForm,
    HireForm,
    ImportForm,
    NoCriminalRecordForm,
    TrainingForm,
)

# kind → (form, service, related name, section title)
KINDS = {
    "certificate": (CertificateForm, certificate_add, "certificates", gettext_lazy("Certificates")),
    "health-check": (HealthCheckForm, health_check_add, "health_checks", gettext_lazy("Health checks")),
    "training": (TrainingForm, training_add, "trainings", gettext_lazy("Training")),
    "no-criminal-record": (
        NoCriminalRecordForm,
        no_criminal_record_add,
        "no_criminal_records",
        gettext_lazy("No-criminal-record certificates"),
    ),
}
IMPORT_SESSION_KEY = "roster_imports"


def _institution(request, pk):
    return get_object_or_404(operator_institutions(request.user), pk=pk)


@login_required
def roster_page(request, pk):
    institution = _institution(request, pk)
    today = timezone.localdate()
    show = request.GET.get("show", "current")
    employments = Employment.objects.filter(institution=institution).select_related("person")
    employments = employments.filter(ends_on__isnull=show != "ended")
    term = request.GET.get("q", "").strip()
    if term:
        employments = employments.filter(person__name__contains=term)
    page = Paginator(roster(employments, today).order_by("person__name", "pk"), 50).get_page(
        request.GET.get("page")
    )
    for employment in page:
        employment.health = health_state(employment.health_until, today)
    return render(
        request,
        "workforce/portal/roster.html",
        {
            "title": _("Staff register: %(name)s") % {"name": institution.name},
            "institution": institution,
            "page": page,
            "show": show,
            "term": term,
            "lapsing": lapsing(institution.pk, today),
            "rate": certification_total(Employment.objects.filter(institution=institution), today),
            "today": today,
        },
    )


@login_required
def hire_page(request, pk):
    institution = _institution(request, pk)
    form = HireForm(request.POST or None, initial={"starts_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            employment = hire(
                institution=institution,
                document_type=data["document_type"],
                document_number=data["document_number"],
                name=data["name"],
                role=data["role"],
                starts_on=data["starts_on"],
                phone=data["phone"],
                no_criminal_record=(data["police_station"], data["ncr_issued_on"])
                if data["police_station"]
                else None,
                acting_user=request.user,
            )
        except WorkforceError as error:
            show_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is on the roster as %(role)s. Add their certificates and health check.")
                % {"name": employment.person.name, "role": employment.get_role_display()},
            )
            return redirect("staff:person", institution.pk, employment.person_id)
    return render(
        request,
        "workforce/portal/hire.html",
        {"title": _("Add a staff member"), "institution": institution, "form": form},
    )


@login_required
def person_page(request, pk, person_pk):
    institution = _institution(request, pk)
    employments = Employment.objects.filter(institution=institution, person_id=person_pk).order_by(
        "-starts_on"
    )
    if not employments:
        raise Http404
    person = get_object_or_404(Person, pk=person_pk)
    full_number = None
    here = reverse("staff:person", args=[institution.pk, person.pk])
    current = any(e.ends_on is None for e in employments)
    adding = request.POST.get("kind") or request.GET.get("add")
    forms = {}
    for kind, (form_class, _service, _related, _title) in KINDS.items():
        bound = request.method == "POST" and request.POST.get("action") == "add" and adding == kind
        extra = {"types": certificate_types_for(institution.region_id)} if kind == "certificate" else {}
        forms[kind] = form_class(
            request.POST if bound else None, request.FILES if bound else None, prefix=kind, **extra
        )
    end_form = EndForm(
        request.POST if request.POST.get("action") == "end" else None,
        initial={"ends_on": timezone.localdate()},
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "add" and adding in KINDS:
                form = forms[adding]
                if form.is_valid():
                    data = dict(form.cleaned_data)
                    KINDS[adding][1](person=person, acting_user=request.user, **data)
                    messages.success(request, _("Saved: %(what)s.") % {"what": KINDS[adding][3]})
                    return redirect(here + f"#{adding}")
            elif action == "remove" and request.POST.get("kind") in KINDS:
                related = KINDS[request.POST["kind"]][2]
                record = get_object_or_404(getattr(person, related), pk=request.POST.get("record"))
                record_remove(record=record, acting_user=request.user)
                messages.success(request, _("Removed."))
                return redirect(here + f"#{request.POST['kind']}")
            elif action == "document":  # the full number, by POST only; the showing is recorded
                full_number = person_document(person=person, viewer=request.user)
            elif action == "reopen":
                employment = get_object_or_404(
                    employments, pk=request.POST.get("employment"), ends_on__isnull=False
                )
                employment_reopen(employment=employment, acting_user=request.user)
                messages.success(
                    request, _("%(name)s is on the current roster again.") % {"name": person.name}
                )
                return redirect(here)
            elif action == "end" and end_form.is_valid():
                employment = get_object_or_404(
                    employments, pk=request.POST.get("employment"), ends_on__isnull=True
                )
                employment_end(
                    employment=employment, ends_on=end_form.cleaned_data["ends_on"], acting_user=request.user
                )
                messages.success(request, _("The employment of %(name)s has ended.") % {"name": person.name})
                return redirect("staff:roster", institution.pk)
        except WorkforceError as error:
            if action == "reopen":
                messages.error(request, error.message)
                return redirect(here)
            target = forms.get(adding) if action == "add" else end_form
            show_errors(target, error)
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect(here)
    today = timezone.localdate()
    sections = []
    for kind, (_form, _service, related, title) in KINDS.items():
        records = list(getattr(person, related).all())
        sections.append(
            {"kind": kind, "title": title, "records": records, "form": forms[kind], "open": adding == kind}
        )
    health = health_state(
        max((c.valid_until for c in person.health_checks.all() if c.result == "fit"), default=None), today
    )
    response = render(
        request,
        "workforce/portal/person.html",
        {
            "title": person.name,
            "institution": institution,
            "person": person,
            "employments": employments,
            "current": current,
            "sections": sections,
            "end_form": end_form,
            "ending": request.GET.get("end") == "1" or request.POST.get("action") == "end",
            "health": health,
            "today": today,
            "reopen_after": today - datetime.timedelta(days=REOPEN_DAYS),
            "full_number": full_number,
        },
    )
    if full_number:
        response["Cache-Control"] = "private, no-store"
    return response


@login_required
def import_page(request, pk):
    """Upload a roster; check it (a dry run: nothing saved, every row's problems listed); then import it,
    all rows at once or none. A checked sheet is kept for the import so it need not be uploaded again."""
    institution = _institution(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    report, token = None, ""
    pending = request.session.get(IMPORT_SESSION_KEY, {})
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "check")
        upload = form.cleaned_data["sheet"]
        token = request.POST.get("token", "")
        stored = pending.get(token) if token else None
        if upload is None and not (stored and stored["institution"] == institution.pk):
            form.add_error("sheet", _("Choose the roster workbook."))
        else:
            try:
                source = upload or default_storage.open(stored["path"], "rb")
                rows = roster_sheet.read(source)
                report = roster_import(
                    institution=institution, rows=rows, acting_user=request.user, dry_run=action != "import"
                )
            except roster_sheet.SheetError as error:
                form.add_error("sheet", str(error))
            except WorkforceError as error:
                form.add_error(None, error.message)
            else:
                if report.saved:
                    if stored:
                        default_storage.delete(stored["path"])
                        pending.pop(token, None)
                        request.session[IMPORT_SESSION_KEY] = pending
                    text = _("%(count)d staff members imported.") % {"count": len(report.new)}
                    if report.skipped:
                        text += " " + _("%(count)d already on the roster were left as they are.") % {
                            "count": len(report.skipped)
                        }
                    messages.success(request, text)
                    return redirect("staff:roster", institution.pk)
                if not report.problems and upload is not None:
                    token = uuid.uuid4().hex
                    upload.seek(0)
                    path = default_storage.save(f"imports/{token}.xlsx", ContentFile(upload.read()))
                    pending[token] = {"institution": institution.pk, "path": path}
                    request.session[IMPORT_SESSION_KEY] = pending
                elif report.problems:
                    token = ""
    return render(
        request,
        "workforce/portal/import.html",
        {
            "title": _("Import a roster"),
            "institution": institution,
            "form": form,
            "report": report,
            "token": token,
            "max_rows": roster_sheet.MAX_ROWS,
        },
    )


@login_required
def template_download(request, pk):
    institution = _institution(request, pk)
    names = [t.name for t in certificate_types_for(institution.region_id)]
    response = HttpResponse(
        roster_sheet.template(names),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=_("staff-roster-template") + ".xlsx"
    )
    return response
