from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilingConfig(AppConfig):
    name = "filing"
    verbose_name = _("Filing")

    def ready(self):
        from django.db.models.signals import post_save

        from registry.models import Institution
        from registry.roles import Role, register_permissions

        from .models import Filing

        post_save.connect(_institution_saved, sender=Institution, dispatch_uid="filing.directory.institution")
        from registry import workbench

        from .selectors import monthly_accepted

        workbench.register(
            workbench.Task(_("Filings awaiting review"), "filing.filing", {"status__exact": "submitted"}),
            workbench.Task(
                _("Filings over the review limit"), "filing.filing", {"overdue": "yes"}, urgent=True
            ),
            workbench.Task(
                _("Operator sign-ups awaiting approval"),
                "filing.operatorsignup",
                {"status__exact": "pending"},
            ),
        )
        workbench.register_series(workbench.Series(_("Filings accepted"), monthly_accepted))
        post_save.connect(_filing_saved, sender=Filing, dispatch_uid="filing.directory.filing")

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


# The public directory follows the institution (filed or not, its name and address) and its accepted
# filings (particulars, services, fees, slots), in the same transaction.
def _institution_saved(sender, instance, raw=False, **kwargs):
    from .models import DirectoryEntry
    from .services.directory import directory_refresh

    if raw:
        return
    if instance.filing_status == instance.FilingStatus.FILED:
        directory_refresh([instance.pk])
    else:
        DirectoryEntry.objects.filter(pk=instance.pk).delete()


def _filing_saved(sender, instance, raw=False, **kwargs):
    from .services.directory import directory_refresh

    if not raw and instance.status == instance.Status.ACCEPTED:
        directory_refresh([instance.institution_id])
