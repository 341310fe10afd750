"""Uploads: checked for type and size, stored privately under a random name."""

from django.db import transaction
from django.utils.translation import gettext as _

from registry.models import User

from ..models import Filing, Material, MaterialRequirement
from ..selectors import required_materials
from .errors import FilingError, require_operator

MAX_MATERIAL_BYTES = 10 * 1024 * 1024
# Extension → the content types a browser may send for it; the file's first bytes must match too.
ALLOWED_TYPES = {
    ".pdf": ({"application/pdf"}, (b"%PDF",)),
    ".jpg": ({"image/jpeg"}, (b"\xff\xd8\xff",)),
    ".jpeg": ({"image/jpeg"}, (b"\xff\xd8\xff",)),
    ".png": ({"image/png"}, (b"\x89PNG\r\n\x1a\n",)),
}


def check_upload(upload) -> str:
    """The content type to store, or FilingError saying what is wrong with the file."""
    name = upload.name.lower()
    extension = name[name.rfind(".") :] if "." in name else ""
    if extension not in ALLOWED_TYPES:
        raise FilingError(_("Upload a PDF, JPG or PNG file."))
    if upload.size > MAX_MATERIAL_BYTES:
        raise FilingError(
            _("The file is %(size).1f MB; at most %(max)d MB.")
            % {"size": upload.size / 1024 / 1024, "max": MAX_MATERIAL_BYTES // 1024 // 1024}
        )
    if upload.size == 0:
        raise FilingError(_("The file is empty."))
    types, signatures = ALLOWED_TYPES[extension]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in signatures):
        raise FilingError(_("The file's content is not what its name says (%(ext)s).") % {"ext": extension})
    return next(iter(types))


@transaction.atomic
def material_add(*, filing: Filing, requirement: MaterialRequirement, upload, acting_user: User) -> Material:
    require_operator(acting_user, filing.institution)
    if filing.status not in (Filing.Status.DRAFT, Filing.Status.RETURNED):
        raise FilingError(_("Materials can be changed only while the filing is a draft or returned."))
    asked = required_materials(filing.institution.region_id, filing.care_form)
    if requirement.pk not in {r.pk for r in asked}:
        raise FilingError(_("This material is not asked for in this county."))
    content_type = check_upload(upload)
    return Material.objects.create(
        filing=filing,
        requirement=requirement,
        file=upload,
        original_name=upload.name[:255],
        content_type=content_type,
        size=upload.size,
        uploaded_by=acting_user,
    )


@transaction.atomic
def material_remove(*, material: Material, acting_user: User) -> None:
    filing = material.filing
    require_operator(acting_user, filing.institution)
    if filing.status not in (Filing.Status.DRAFT, Filing.Status.RETURNED):
        raise FilingError(_("Materials can be changed only while the filing is a draft or returned."))
    stored = material.file
    material.delete()
    transaction.on_commit(lambda: stored.storage.delete(stored.name))
