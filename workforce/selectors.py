"""Reads for the staff register."""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from registry.selectors import visible

from . import documents
from .models import Ban, DocumentType, Employment, Person


def active_ban(digest: str, on: datetime.date):
    """The ban in force on `on` for a document digest, or None (an index on the digest serves it)."""
    return (
        Ban.objects.filter(document_digest=digest)
        .filter(Q(lifetime=True) | Q(until__isnull=True) | Q(until__gte=on))
        .order_by("-decided_on")
        .first()
    )


def visible_people(user) -> QuerySet[Person]:
    """The people who work (or worked) at the institutions `user` may see: a person is seen through their
    employments."""
    return Person.objects.filter(pk__in=visible(Employment.objects.all(), user).values("person_id"))


def document_digests(term: str) -> list[str]:
    """The digests a search term has as a whole document number of each type it is valid for (none when
    it is no document number): a search matches them, never the number itself."""
    found = []
    for document_type in DocumentType.values:
        try:
            found.append(documents.digest(document_type, documents.normalise(document_type, term)))
        except ValidationError:
            continue
    return found
