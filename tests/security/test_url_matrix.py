"""Every URL pattern of the project, requested by every role and by the public, answers as the table in
`url_matrix.py` says. A new view is not in the table, so the test fails until someone decides, in the
table, who may reach it: a view without a permission check cannot land unnoticed.

Objects in the URLs come from the demo, chosen inside 清城区 (441802) or the Shiyan conference, so "own
jurisdiction" answers are exercised; cross-jurisdiction answers are covered by the scoping suites.
Regenerate the table's rows for review with `URL_MATRIX_PRINT=1 pytest tests/security/test_url_matrix.py -s`.
"""

import datetime
import os
import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from conference.models import Conference, ConferenceRole, ProgressReport, RoleAssignment, Task
from conference.services import bulletin_issue, task_report_progress
from filing.models import Filing, MonthlyReport
from filing.services.directory import directory_rebuild
from notifications.models import Notification
from notifications.services import notify
from registry.models import Authority, Region, User
from registry.roles import Role
from registry.selectors import operators_by_institution, visible
from registry.services import staff_user_ensure

from .url_matrix import EXPECTED, ROLES

ADMIN_MODEL = re.compile(
    r"^admin:(?P<app>[a-z_]+?)_(?P<model>[a-z]+)_(?P<action>changelist|add|history|delete|change|simple_history)$"
)


def patterns(resolvers=None, prefix="", namespace=""):
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = (
                f"{namespace}:{entry.namespace}"
                if namespace and entry.namespace
                else entry.namespace or namespace
            )
            yield from patterns(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name or f"{namespace}:<unnamed {prefix}{entry.pattern}>", prefix + str(entry.pattern)


@pytest.fixture
def world(db):
    call_command("load_demo", force=True, verbosity=0)
    directory_rebuild()  # what the demo's commits would have refreshed outside the test's transaction
    people = {
        "county": User.objects.get(username="health-441802"),
        "city": User.objects.get(username="health-441800"),
        "office": User.objects.get(username="office-420300"),
    }
    people["body"] = staff_user_ensure(
        username="matrix-market-441802",
        authority=Authority.objects.get(kind=Authority.Kind.MARKET_REGULATION, region_id="441802"),
        role=Role.REGISTRATION_BODY,
    )[0]
    people["liaison"] = (
        User.objects.filter(groups__name=Role.CONFERENCE_LIAISON, authority__region_id="420300")
        .order_by("pk")
        .first()
    )
    # The operator of the first accepted filing in 清城区: their filing has materials and a receipt.
    accepted = Filing.objects.filter(status=Filing.Status.ACCEPTED, institution__region_id="441802")
    institution = accepted.order_by("pk").first().institution
    people["operator"] = User.objects.get(pk=operators_by_institution([institution.pk])[institution.pk][0])
    MonthlyReport.objects.get_or_create(
        region_id="441802",
        month=datetime.date(2026, 10, 1),
        defaults={"level": MonthlyReport.Level.COUNTY},
    )
    notify([people["county"]], title="矩阵测试", key="matrix", url="/admin/")
    conference = Conference.objects.get(region_id="420300")
    bulletin_issue(conference=conference, acting_user=people["office"])
    task = (
        Task.objects.filter(
            conference=conference, lead_unit__isnull=False, status__in=["open", "in_progress"]
        )
        .order_by("pk")
        .first()
    )
    liaison = RoleAssignment.objects.filter(unit=task.lead_unit, role=ConferenceRole.LIAISON).first().user
    task_report_progress(
        task=task,
        text="矩阵测试的进展",
        acting_user=liaison,
        attachment=SimpleUploadedFile("p.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
    )
    people["fire"] = User.objects.get(username="fire-441802")
    people["superuser"] = User.objects.create_superuser("matrix-root", password="x")
    return people


def pick(model, world):
    """The first object of `model` the county clerk sees, else the office's, else any. For tasks, the one
    with a report: it is active, so its page shows every form a task page can hold."""
    if model is Task:
        return ProgressReport.objects.exclude(attachment="").order_by("pk").first().task
    queryset = model._default_manager.order_by("pk")
    if hasattr(model, "scope"):
        for who in ("county", "office", "operator"):
            found = visible(queryset, world[who]).first()
            if found is not None:
                return found
    return queryset.first()


class FormNesting(HTMLParser):
    """Finds a <form> inside another: browsers ignore the inner one, so its button posts the outer form
    and what was typed into the inner one is lost."""

    def __init__(self):
        super().__init__()
        self.depth, self.nested = 0, 0

    def handle_starttag(self, tag, attrs):
        if tag == "form":
            self.nested += self.depth > 0
            self.depth += 1

    def handle_endtag(self, tag):
        if tag == "form":
            self.depth = max(0, self.depth - 1)


def nested_forms(html: str) -> int:
    parser = FormNesting()
    parser.feed(html)
    return parser.nested


SPECIAL = {
    "admin:auth_user_password_change",
    "admin:inspections_directory",
    "admin:workforce_employment_export",
    "admin:workforce_employment_certification",
}


def url_for(name, route, world):
    """A concrete URL for a pattern, or None for patterns that take no GET from a person."""
    if name == "admin:?" or "<unnamed" in (name or ""):
        return None
    match = None if name in SPECIAL else ADMIN_MODEL.match(name)
    if match:
        model = apps.get_model(match["app"], match["model"])
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        if match["action"] == "changelist":
            return base
        if match["action"] == "add":
            return base + "add/"
        obj = pick(model, world)
        if obj is None:
            return None
        if match["action"] == "simple_history":
            if not hasattr(obj, "history"):
                return None
            record = obj.history.order_by("history_id").first()
            return f"{base}{obj.pk}/history/{record.history_id}/" if record else None
        return f"{base}{obj.pk}/{match['action']}/"
    operator_filing = visible(Filing.objects.order_by("pk"), world["operator"]).first()
    accepted = visible(
        Filing.objects.filter(status=Filing.Status.ACCEPTED).order_by("pk"), world["operator"]
    ).first()
    staff_member = (
        apps.get_model("workforce", "employment")
        .objects.filter(institution_id=operator_filing.institution_id)
        .order_by("pk")
        .first()
    )
    scanned = (
        apps.get_model("workforce", "healthcheck")
        .objects.filter(person__employments__institution_id=operator_filing.institution_id)
        .exclude(scan="")
        .order_by("pk")
        .first()
    )
    roster_institution = operator_filing.institution_id
    supervision = {
        "inspection": apps.get_model("inspections", "inspection")
        .objects.filter(department="fire", status="recorded")
        .order_by("pk")
        .first()
        .pk,
        "answered": apps.get_model("inspections", "rectification")
        .objects.filter(status="answered")
        .order_by("pk")
        .first()
        .pk,
        "plan": apps.get_model("inspections", "inspectionplan").objects.order_by("pk").first().pk,
        "draw": apps.get_model("inspections", "draw").objects.order_by("pk").first().pk,
        "checklist": apps.get_model("inspections", "checklist").objects.order_by("pk").first().pk,
        "photo": apps.get_model("inspections", "findingphoto")
        .objects.filter(finding__inspection__institution_id=roster_institution)
        .order_by("pk")
        .first()
        .pk,
        "evidence": apps.get_model("inspections", "rectificationfile").objects.order_by("pk").first().pk,
        "received": apps.get_model("inspections", "complaint").objects.filter(status="received").first().pk,
        "assessment": apps.get_model("inspections", "assessment")
        .objects.filter(institution_id=roster_institution)
        .first()
        .pk,
        "appealed": apps.get_model("inspections", "assessment").objects.get(status="appealed").pk,
        "assessment_file": apps.get_model("inspections", "assessmentfile").objects.order_by("pk").first().pk,
    }
    plan_url = f"/admin/inspections/inspectionplan/{supervision['plan']}"
    recognition = (
        apps.get_model("subsidies", "recognition").objects.filter(institution__region_id="441802").first().pk
    )
    subsidy_applications = apps.get_model("subsidies", "application").objects.order_by("pk")
    subsidy = {
        "submitted": subsidy_applications.filter(status="submitted").first().pk,
        "paid": subsidy_applications.filter(status="paid").first().pk,
        "batch": apps.get_model("subsidies", "paymentbatch").objects.order_by("pk").first().pk,
    }
    concrete = {
        "admin:view_on_site": f"/admin/r/{ContentType.objects.get_for_model(Region).pk}/441802/",
        "admin:auth_user_password_change": f"/admin/registry/user/{world['county'].pk}/password/",
        "admin:app_list": "/admin/registry/",
        "admin:filing_filing_decide": f"/admin/filing/filing/{pick(Filing, world).pk}/decide/accept/",
        "admin:filing_termination_confirm": "/admin/filing/termination/{}/confirm/".format(
            pick(apps.get_model("filing", "termination"), world).pk
        ),
        "admin:filing_annualreport_return": "/admin/filing/annualreport/{}/return/".format(
            pick(apps.get_model("filing", "annualreport"), world).pk
        ),
        "admin:registry_registration_scope": "/admin/registry/registration/{}/scope/".format(
            pick(apps.get_model("registry", "registration"), world).pk
        ),
        "admin:conference_dashboard": "/admin/conference/conference/{}/dashboard/",
        "admin:conference_import": "/admin/conference/conference/{}/import/",
        "admin:conference_import_template": "/admin/conference/conference/{}/import/template/",
        "admin:conference_bulletin_issue": "/admin/conference/conference/{}/bulletin/",
        "admin:conference_bulletin_xlsx": "/admin/conference/bulletin/{bulletin}/xlsx/",
        "admin:conference_bulletin_print": "/admin/conference/bulletin/{bulletin}/print/",
        "admin:conference_task_mine": "/admin/conference/task/mine/",
        "admin:conference_task_report": "/admin/conference/task/{task}/report/",
        "admin:conference_task_transition": "/admin/conference/task/{task}/transition/done/",
        "admin:conference_report_file": "/admin/conference/task/reports/{report}/file/",
        "registry-api:registration-detail": f"/api/v1/registrations/{operator_filing.institution.uscc}/",
        "filing:material": f"/filing/materials/{operator_filing.materials.order_by('pk').first().pk}/",
        "filing:receipt": f"/filing/receipts/{accepted.pk}/",
        "filing:receipt-pdf": f"/filing/receipts/{accepted.pk}.pdf",
        "admin:workforce_person_document": "/admin/workforce/person/{}/document/".format(
            apps.get_model("workforce", "person").objects.order_by("pk").first().pk
        ),
        "admin:workforce_employment_export": "/admin/workforce/employment/export.xlsx",
        "admin:workforce_employment_certification": "/admin/workforce/employment/certification/",
        "staff:roster": f"/portal/staff/institutions/{operator_filing.institution_id}/",
        "staff:hire": f"/portal/staff/institutions/{operator_filing.institution_id}/add/",
        "staff:import": f"/portal/staff/institutions/{operator_filing.institution_id}/import/",
        "staff:template": f"/portal/staff/institutions/{operator_filing.institution_id}/import/template.xlsx",
        "staff:person": f"/portal/staff/institutions/{roster_institution}/people/{staff_member.person_id}/",
        "workforce:scan": f"/staff/scans/health-check/{scanned.pk}/",
        "workforce:ban-scan": "/staff/bans/{}/decision/".format(
            apps.get_model("workforce", "ban").objects.order_by("pk").first().pk
        ),
        "public:receipt": f"/public/receipts/{accepted.verification_code}/",
        "filing:report-workbook": "/filing/reports/{}/workbook.xlsx".format(
            MonthlyReport.objects.filter(region_id="441802").order_by("pk").first().pk
        ),
        "portal:signup-confirm": "/portal/signup/confirm/not-a-token/",
        "portal:invitation": "/portal/invitation/not-a-token/",
        "portal:start": f"/portal/institutions/{operator_filing.institution_id}/filings/start/",
        "portal:annual-report": f"/portal/institutions/{operator_filing.institution_id}/annual-report/",
        "portal:termination": f"/portal/institutions/{operator_filing.institution_id}/termination/",
        "portal:colleagues": f"/portal/institutions/{operator_filing.institution_id}/colleagues/",
        "portal:filing": f"/portal/filings/{operator_filing.pk}/",
        "admin:inspections_checklist_new_version": "/admin/inspections/checklist/{}/new-version/".format(
            supervision["checklist"]
        ),
        "admin:inspections_assessment_score": "/admin/inspections/assessment/{}/score/".format(
            supervision["assessment"]
        ),
        "admin:inspections_assessment_publish": "/admin/inspections/assessment/{}/publish/".format(
            supervision["assessment"]
        ),
        "supervision:assessment": "/portal/supervision/institutions/{}/assessments/{}/".format(
            roster_institution, supervision["assessment"]
        ),
        "admin:inspections_rubric_new_version": "/admin/inspections/rubric/{}/new-version/".format(
            apps.get_model("inspections", "rubric").objects.order_by("pk").first().pk
        ),
        "admin:inspections_rubric_export": "/admin/inspections/rubric/{}/rubric.xlsx".format(
            apps.get_model("inspections", "rubric").objects.order_by("pk").first().pk
        ),
        "admin:inspections_rubric_import": "/admin/inspections/rubric/{}/import/".format(
            apps.get_model("inspections", "rubric").objects.order_by("pk").first().pk
        ),
        "admin:inspections_assessment_rectify": "/admin/inspections/assessment/{}/rectify/".format(
            supervision["appealed"]
        ),
        "admin:inspections_assessment_appeal": "/admin/inspections/assessment/{}/appeal/".format(
            supervision["appealed"]
        ),
        "field:assessment-evidence": f"/inspections/assessment-evidence/{supervision['assessment_file']}/",
        "admin:inspections_rectification_verify": "/admin/inspections/rectification/{}/verify/close/".format(
            supervision["answered"]
        ),
        "admin:inspections_suspension_lift": "/admin/inspections/suspension/0/lift/",
        "admin:inspections_inspectionplan_commit": f"{plan_url}/commit/",
        "admin:inspections_inspectionplan_draw": f"{plan_url}/draw/",
        "admin:inspections_inspectionplan_redraw": f"{plan_url}/redraw/",
        "admin:inspections_directory": "/admin/inspections/inspectionplan/directory.xlsx",
        "field:start": f"/inspections/institutions/{roster_institution}/start/",
        "field:inspection": f"/inspections/{supervision['inspection']}/",
        "field:photo": f"/inspections/photos/{supervision['photo']}/",
        "field:evidence": f"/inspections/evidence/{supervision['evidence']}/",
        "supervision:institution": f"/portal/supervision/institutions/{roster_institution}/",
        "public:draw": f"/public/draws/{supervision['draw']}/",
        "public:complaint": "/public/complaints/{}/".format(
            apps.get_model("inspections", "complaint").objects.order_by("pk").first().tracking_code
        ),
        "admin:inspections_complaint_handle": "/admin/inspections/complaint/{}/handle/route/".format(
            supervision["received"]
        ),
        "field:evaluation-report": "/inspections/evaluations/{}/report/".format(
            apps.get_model("inspections", "healthevaluation").objects.order_by("pk").first().pk
        ),
        "public:draw-inputs": f"/public/draws/{supervision['draw']}/inputs.json",
        "public:institution": f"/public/institutions/{operator_filing.institution.uscc}/",
        "public:county": "/public/counties/441802/",
        "subsidies:recognition": f"/portal/subsidies/institutions/{roster_institution}/recognition/",
        "subsidies:programmes": f"/portal/subsidies/institutions/{roster_institution}/programmes/",
        "subsidy-files:evidence": "/subsidies/evidence/{}/".format(
            apps.get_model("subsidies", "applicationfile").objects.order_by("pk").first().pk
        ),
        "admin:subsidies_application_decide": f"/admin/subsidies/application/{subsidy['submitted']}/decide/",
        "admin:subsidies_application_clawback": f"/admin/subsidies/application/{subsidy['paid']}/claw-back/",
        "admin:subsidies_paymentbatch_paid": f"/admin/subsidies/paymentbatch/{subsidy['batch']}/paid/",
        "admin:subsidies_paymentbatch_collect": f"/admin/subsidies/paymentbatch/{subsidy['batch']}/collect/",
        "admin:subsidies_paymentbatch_sheet": f"/admin/subsidies/paymentbatch/{subsidy['batch']}/sheet.xlsx",
        "admin:subsidies_recognition_decide": f"/admin/subsidies/recognition/{recognition}/decide/",
        "admin:subsidies_recognition_revoke": f"/admin/subsidies/recognition/{recognition}/revoke/",
        "admin:subsidies_recognition_confirm": f"/admin/subsidies/recognition/{recognition}/confirm-fees/",
        "notifications:open": "/notifications/{}/".format(
            Notification.objects.filter(recipient=world["county"]).order_by("pk").first().pk
        ),
    }
    if name in concrete:
        conference = pick(apps.get_model("conference", "conference"), world)
        task = ProgressReport.objects.exclude(attachment="").order_by("pk").first().task
        bulletin = pick(apps.get_model("conference", "bulletin"), world)
        report = ProgressReport.objects.exclude(attachment="").order_by("pk").first() or pick(
            ProgressReport, world
        )
        return concrete[name].format(
            conference.pk, task=task.pk, bulletin=bulletin.pk if bulletin else 0, report=report.pk
        )
    if "<" in route or "(" in route:
        return None
    return "/" + route


def test_every_url_answers_each_role_as_the_table_says(client, world):
    answers, unknown, nesting = {}, [], []
    for name, route in patterns():
        url = url_for(name, route, world)
        if url is None:
            continue
        row = {}
        for role in ROLES:
            client.logout()
            if role != "anonymous":
                client.force_login(world[role])
            try:
                response = client.get(url)
            except Exception as exc:
                raise AssertionError(f"{role} GET {url}: {exc!r}") from exc
            row[role] = response.status_code
            html = response.status_code == 200 and response["Content-Type"].startswith("text/html")
            if html and nested_forms(response.content.decode()):
                nesting.append(f"{role} GET {url}")
        answers[name] = row
        if name not in EXPECTED:
            unknown.append(name)
    if os.environ.get("URL_MATRIX_PRINT"):
        for name, row in answers.items():
            print(f'    "{name}": "{" ".join(str(row[r]) for r in ROLES)}",')
    assert not nesting, f"pages with a form inside a form: {nesting}"
    assert not unknown, f"URL patterns missing from tests/security/url_matrix.py: {unknown}"
    wrong = {
        name: {"expected": EXPECTED[name], "got": " ".join(str(row[r]) for r in ROLES)}
        for name, row in answers.items()
        if " ".join(str(row[r]) for r in ROLES) != EXPECTED[name]
    }
    assert not wrong, wrong
    assert not set(EXPECTED) - set(answers), (
        f"rows for patterns that no longer exist: {set(EXPECTED) - set(answers)}"
    )
