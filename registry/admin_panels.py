"""What an institution's admin page shows besides its own fields: each app adds a panel listing the
records it keeps about the institution, each linked (the registry cannot import the apps that build on
it, so they register here). A panel is a function (request, institution) -> (title, [(text, url)])."""

from collections.abc import Callable

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from .models import Registration, User
from .selectors import operators_by_institution

Panel = Callable[..., tuple[str, list[tuple[str, str]]]]
institution_panels: list[Panel] = []


def institution_panel(function: Panel) -> Panel:
    institution_panels.append(function)
    return function


def render_panels(request, institution) -> str:
    sections = []
    for panel in institution_panels:
        shown = panel(request, institution)
        if shown is None:  # the panel does not apply to this institution
            continue
        title, rows = shown
        items = format_html_join(
            "",
            "<li>{}</li>",
            ((format_html('<a href="{}">{}</a>', url, text) if url else text,) for text, url in rows),
        )
        sections.append(
            format_html('<div class="related-panel"><h3>{}</h3><ul>{}</ul></div>', title, items or "—")
        )
    return format_html_join("", "{}", ((section,) for section in sections))


@institution_panel
def registration_panel(request, institution):
    rows = []
    registration = Registration.objects.filter(institution=institution).select_related("authority").first()
    if registration is not None and request.user.has_perm("registry.view_registration"):
        text = _("%(body)s, registered %(date)s") % {
            "body": registration.authority.name,
            "date": registration.registered_on.isoformat(),
        }
        rows.append((text, reverse("admin:registry_registration_change", args=[registration.pk])))
    people = User.objects.filter(pk__in=operators_by_institution([institution.pk]).get(institution.pk, []))
    for person in people.order_by("pk"):
        rows.append((_("Operator: %(name)s %(phone)s") % {"name": person, "phone": person.phone or ""}, ""))
    return _("Registration and operators"), rows
