from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Scope:
    """How a model reaches the jurisdiction and the institution that decide who may see a row.

    `region` is the lookup to the row's Region (a county for anything hanging off an institution);
    `institution` the lookup to its Institution, for operators who act for it. Either may be empty.
    `department` is the lookup to the authority kind of the department a row belongs to (an inspection,
    a rectification): staff of other inspecting departments do not see it; health staff see them all.
    `registry.selectors.visible` is the only reader of this.
    """

    region: str = ""
    institution: str = ""
    department: str = ""
    assigned: str = ""  # the lookup to the Authority a row is assigned to (a third-party assessment body's)


class InstitutionRegion(models.Model):
    """A row hanging off an institution that keeps the institution's county in its own column, so that
    scoping is a plain `region IN (…)` on this table and an index on (region, the list's order) serves a
    page at any size; a join to the institution cannot. Set on save (bulk writers set it themselves) and
    moved with the institution by `registry.services.regions.institutions_moved`."""

    region = models.ForeignKey(
        "registry.Region",
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self.region_id:
            self.region_id = self.institution.region_id
        super().save(*args, **kwargs)
