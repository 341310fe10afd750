from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class User(AbstractUser):
    """A person. Staff belong to an authority, whose region is their jurisdiction; operators act for
    institutions through object permissions and have no authority."""

    authority = models.ForeignKey(
        "registry.Authority",
        verbose_name=_("authority"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        swappable = "AUTH_USER_MODEL"

    def __str__(self):
        # People are shown by name; the sign-in name only for accounts that have none.
        return self.get_full_name() or self.username
