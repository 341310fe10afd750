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
}


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("Supervision")

    def ready(self):
        from registry.roles import Role, register_permissions

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
            },
        )
        register_permissions(
            Role.SUPERVISING_HEALTH,
            "inspections",
            {
                **dict.fromkeys(DEPARTMENT, _READ),
                "checklist": _WRITE,
                "checklistitem": ("view", "add", "change", "delete"),
                "rectificationpolicy": _WRITE,
            },
        )
