"""Flags on admin screens read as problems only when there is one: a red label for each problem that
holds, and nothing (on a list) or a plain "no" (on a detail page) otherwise. Django's boolean icons are
not used for problems, as their green tick would mark a problem as good."""

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _


def problem_badges(*problems: tuple[bool, str]) -> str:
    shown = [(label,) for held, label in problems if held]
    return format_html_join(" ", '<span class="flag-problem">{}</span>', shown)


def problem_yes_no(held: bool, label: str) -> str:
    if held:
        return format_html('<span class="flag-problem">{}</span>', label)
    return _("No")
