"""Strings Django 5.2 shows on admin pages that its own zh_Hans catalogue does not translate; marked here so
that our catalogue carries them and no English reaches a clerk's screen."""

from django.utils.translation import gettext_noop

DJANGO_STRINGS = (
    gettext_noop("Error:"),
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
)
