from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_READ = ("view",)
_WRITE = ("view", "add", "change")

# Every inspecting department records its own inspections, answers for its rectifications and plans its
# random inspection draws; which rows each person sees is `registry.selectors.visible`'s rule (their
# jurisdiction, their department's rows; the health bureau every department's).
DEPARTMENT = {
    "checklist": _READ,
    "checklistitem": _READ,
    "rectificationpolicy": _READ,
    "inspection": _WRITE,
    "finding": _READ,
    "findingphoto": _READ,
    "rectification": ("view", "change"),
    "rectificationevent": _READ,
    "rectificationfile": _READ,
    "inspectionplan": _WRITE,
    "draw": _READ,
    "suspension": _READ,
    "complaint": ("view", "change"),
    "creditrecord": _READ,
}

# The county and city bureaus keep the quality-assessment rubrics of their jurisdiction.
RUBRICS = {
    "rubric": ("view", "add", "change"),
    "rubricdimension": ("view", "add", "change", "delete"),
    "rubricrequirement": ("view", "add", "change", "delete"),
    "gradeband": ("view", "add", "change", "delete"),
}
# Assessors (the bureau's own, a third-party body's) score the assessments assigned to them.
SCORING = {
    "assessmentround": _READ,
    "assessment": ("view", "change"),
    "assessmentitem": _READ,
    "assessmentfile": _READ,
    "assessmentappeal": _READ,
}


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("Supervision")

    def ready(self):
        from django.db.models.signals import post_save

        from filing import health_evaluations, public_facts, supervision_counts
        from registry.roles import Role, register_permissions
        from workforce.models import Ban

        from .models import Assessment, Inspection
        from .selectors import directory_facts, monthly_counts, valid_evaluation

        health_evaluations.install(lambda institution: valid_evaluation(institution) is not None)
        supervision_counts.install(monthly_counts)
        post_save.connect(_ban_recorded, sender=Ban, dispatch_uid="inspections.credit_from_ban")
        public_facts.install(directory_facts)
        from registry import workbench

        workbench.register(
            workbench.Task(
                _("Rectifications overdue"), "inspections.rectification", {"overdue": "1"}, urgent=True
            ),
            workbench.Task(
                _("Complaints awaiting triage"), "inspections.complaint", {"status__exact": "received"}
            ),
            workbench.Task(_("Complaints overdue"), "inspections.complaint", {"overdue": "1"}, urgent=True),
            workbench.Task(
                _("Assessments to score"), "inspections.assessment", {"status__exact": "submitted"}
            ),
            workbench.Task(
                _("Assessments to publish"), "inspections.assessment", {"status__exact": "scored"}
            ),
            workbench.Task(
                _("Assessment appeals to decide"),
                "inspections.assessment",
                {"status__exact": "appealed"},
                urgent=True,
            ),
        )
        for model in (Assessment, Inspection):
            post_save.connect(
                _public_fact_changed, sender=model, dispatch_uid=f"inspections.directory.{model}"
            )

        for role in (Role.FIRE, Role.MARKET_REGULATION, Role.PUBLIC_SECURITY, Role.EDUCATION):
            register_permissions(role, "inspections", DEPARTMENT)
        register_permissions(
            Role.COUNTY_HEALTH,
            "inspections",
            {
                **DEPARTMENT,
                "checklist": _WRITE,
                "checklistitem": ("view", "add", "change", "delete"),
                "rectificationpolicy": _WRITE,
                "suspension": ("view", "change"),
                "healthevaluation": ("view", "add"),
                "complaint": ("view", "change"),
                "complaintpolicy": _WRITE,
                "creditrecord": ("view", "add"),
                **RUBRICS,
                **SCORING,
                "assessmentround": ("view", "add"),
                "assessmentpolicy": _WRITE,
            },
        )
        register_permissions(Role.ASSESSOR, "inspections", SCORING)
        register_permissions(Role.MCH, "inspections", {"healthevaluation": ("view", "add")})
        register_permissions(
            Role.SUPERVISING_HEALTH,
            "inspections",
            {
                **dict.fromkeys(DEPARTMENT, _READ),
                "checklist": _WRITE,
                "checklistitem": ("view", "add", "change", "delete"),
                "rectificationpolicy": _WRITE,
                "complaintpolicy": _WRITE,
                "healthevaluation": _READ,
                "complaint": _READ,
                "creditrecord": _READ,
                **RUBRICS,
                **dict.fromkeys(SCORING, _READ),
                "assessmentpolicy": _WRITE,
            },
        )


def _ban_recorded(sender, instance, created, raw=False, **kwargs):
    """A ban enters the person's credit record (the staff register knows nothing of credit records)."""
    if created and not raw:
        from .services import credit_from_ban

        credit_from_ban(instance)


def _public_fact_changed(sender, instance, raw=False, **kwargs):
    """A grade published or withdrawn, an inspection closed: the public directory entry follows."""
    from filing.services.directory import directory_refresh

    if not raw:
        directory_refresh([instance.institution_id])
