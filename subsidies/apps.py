from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_READ = ("view",)
_WRITE = ("view", "add", "change")
# The paying jurisdiction's bureau keeps its programmes, their rules and budgets, and pays in batches.
PROGRAMMES = {
    "programme": _WRITE,
    "programmerule": ("view", "add", "change", "delete"),
    "levelrate": ("view", "add", "change", "delete"),
    "budget": ("view", "add", "change", "delete"),
    "paymentbatch": _WRITE,
}
OUTCOMES = ("application", "applicationfile", "clawback")
INDICATORS = {"indicatorsnapshot": _READ, "supplytarget": _WRITE}
REFERENCE = {
    "referenceyear": _WRITE,
    "guidedfee": ("view", "add", "change", "delete"),
    "pricecaprule": _WRITE,
}


class SubsidiesConfig(AppConfig):
    name = "subsidies"
    verbose_name = _("Fees and subsidies")

    def ready(self):
        from django.db.models.signals import post_save

        from filing import public_facts, supply_figures
        from filing.models import AnnualReport, Filing
        from registry import workbench
        from registry.roles import Role, register_permissions

        from .indicators import monthly_supply
        from .models import GuidedFee, Recognition
        from .selectors import directory_facts

        public_facts.install(directory_facts)
        supply_figures.install(monthly_supply)
        post_save.connect(_fees_changed, sender=Filing, dispatch_uid="subsidies.fees.filing")
        post_save.connect(_fees_changed, sender=AnnualReport, dispatch_uid="subsidies.fees.annual_report")
        post_save.connect(_recognition_saved, sender=Recognition, dispatch_uid="subsidies.recognition")
        post_save.connect(_guided_fee_saved, sender=GuidedFee, dispatch_uid="subsidies.guided_fee")

        register_permissions(
            Role.COUNTY_HEALTH,
            "subsidies",
            {
                **REFERENCE,
                **PROGRAMMES,
                **INDICATORS,
                "recognition": ("view", "change"),
                "fee": _READ,
                "application": ("view", "change"),
                "applicationfile": _READ,
                "clawback": ("view", "add"),
            },
        )
        register_permissions(
            Role.SUPERVISING_HEALTH,
            "subsidies",
            {
                **REFERENCE,
                **PROGRAMMES,
                **INDICATORS,
                **dict.fromkeys(OUTCOMES, _READ),
                "recognition": _READ,
                "fee": _READ,
            },
        )
        register_permissions(
            Role.BUREAU_HEAD,
            "subsidies",
            {
                "recognition": _READ,
                "indicatorsnapshot": _READ,
                "fee": _READ,
                "programme": _READ,
                "budget": _READ,
                **dict.fromkeys(OUTCOMES, _READ),
            },
        )
        register_permissions(
            Role.CONFERENCE_OFFICE, "subsidies", {"indicatorsnapshot": _READ, "supplytarget": _READ}
        )
        register_permissions(
            Role.MARKET_REGULATION,
            "subsidies",
            {"fee": _READ, "guidedfee": _READ, "pricecaprule": _READ, "referenceyear": _READ},
        )
        workbench.register(
            workbench.Task(
                _("Recognitions to decide"), "subsidies.recognition", {"status__exact": "applied"}
            ),
            workbench.Task(
                _("Subsidy applications to decide"), "subsidies.application", {"status__exact": "submitted"}
            ),
            workbench.Task(
                _("Changed fees of inclusive institutions"),
                "subsidies.recognition",
                {"recheck": "1"},
                urgent=True,
            ),
        )


# Fees follow their sources in the same transaction; the directory is refreshed after them, so that it
# shows the fees just written.
def _fees_changed(sender, instance, raw=False, **kwargs):
    from filing.models import Filing
    from filing.services.directory import directory_refresh

    from .services.fees import fees_refresh
    from .services.recognition import recheck_flag

    if raw or (isinstance(instance, Filing) and instance.status != Filing.Status.ACCEPTED):
        return
    fees_refresh([instance.institution_id])
    directory_refresh([instance.institution_id])
    if isinstance(instance, Filing):
        source = instance.get_kind_display()
    else:
        source = f"{instance._meta.verbose_name} {instance.year}"
    recheck_flag(instance.institution_id, str(source))


def _recognition_saved(sender, instance, raw=False, **kwargs):
    from filing.services.directory import directory_refresh

    from .services.fees import fees_refresh

    if not raw and instance.status != instance.Status.APPLIED:
        fees_refresh([instance.institution_id])
        directory_refresh([instance.institution_id])


def _guided_fee_saved(sender, instance, raw=False, **kwargs):
    from django.db import transaction

    from .tasks import fees_refresh_region

    # A province's standard touches every fee row below it: recomputed by a worker once the change commits.
    if not raw:
        transaction.on_commit(lambda: fees_refresh_region.delay(instance.region_id))
