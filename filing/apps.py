from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilingConfig(AppConfig):
    name = "filing"
    verbose_name = _("Filing")

    def ready(self):
        from registry.roles import Role, register_permissions

        register_permissions(
            Role.COUNTY_HEALTH,
            "filing",
            {
                "filing": ("view", "change", "review"),
                "material": ("view",),
                "annualreport": ("view",),
                "termination": ("view", "change"),
                "operatorsignup": ("view", "change"),
                "operatorinvitation": ("view", "add"),
                "filingpolicy": ("view",),
                "materialrequirement": ("view",),
                "monthlyreport": ("view",),
                "escalationrung": ("view",),
                "escalationstep": ("view",),
                "nurseryclass": ("view",),
            },
        )
        register_permissions(Role.EDUCATION, "filing", {"nurseryclass": ("view", "add", "change", "delete")})
        register_permissions(
            Role.SUPERVISING_HEALTH,
            "filing",
            {
                "filing": ("view",),
                "material": ("view",),
                "annualreport": ("view",),
                "termination": ("view",),
                "operatorsignup": ("view",),
                "filingpolicy": ("view", "add", "change"),
                "materialrequirement": ("view", "add", "change"),
                "monthlyreport": ("view",),
                "escalationrung": ("view", "add", "change"),
                "escalationstep": ("view",),
                "nurseryclass": ("view",),
            },
        )
