"""Identity document numbers are sensitive personal information (PIPL): each is kept encrypted (Fernet, a key
from the environment) beside a keyed digest that matching uses, and shown masked everywhere but the one
detail view that may show it in full (and records that it did)."""

import base64
import functools
import hashlib
import hmac

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as NumberError

RIC = "ric"
RESIDENCE_PERMIT = (
    "residence_permit"  # 港澳台居民居住证: 18 characters like a resident identity card, 81/82/83…
)
PASSPORT = "passport"


def _key(purpose: bytes) -> bytes:
    return _derive(settings.PERSONAL_DATA_KEY, purpose)


@functools.lru_cache(maxsize=8)
def _derive(master_key: str, purpose: bytes) -> bytes:
    master = master_key.encode()
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"childcare-workforce", info=purpose).derive(
        master
    )


def _fernet() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_key(b"seal")))


def normalise(document_type: str, number: str) -> str:
    """The number as stored and matched; a ValidationError names what is wrong with it."""
    number = "".join((number or "").split()).upper()
    if document_type in (RIC, RESIDENCE_PERMIT):
        try:
            number = ric.validate(number)
        except NumberError:
            raise ValidationError(
                _("This is not a valid 18-character identity number (check the last character).")
            ) from None
        if document_type == RESIDENCE_PERMIT and not number.startswith(("81", "82", "83")):
            raise ValidationError(
                _("A residence permit for Hong Kong, Macao and Taiwan residents starts with 81, 82 or 83.")
            )
        return number
    if not 5 <= len(number) <= 20 or not number.isalnum():
        raise ValidationError(_("A passport number is 5 to 20 letters and digits."))
    return number


def digest(document_type: str, number: str) -> str:
    """A keyed digest: equal numbers match, and the table alone does not reveal them."""
    return hmac.new(_key(b"digest"), f"{document_type}:{number}".encode(), hashlib.sha256).hexdigest()


def seal(number: str) -> str:
    return _fernet().encrypt(number.encode()).decode()


def unseal(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def masked(number: str) -> str:
    """4418**********1234 for an 18-character number (the first four and the last four); a shorter one
    (a passport) keeps at most a third of its characters, E1*****78."""
    if len(number) >= 15:
        return number[:4] + "*" * (len(number) - 8) + number[-4:]
    shown = len(number) // 3
    head, tail = (shown + 1) // 2, shown // 2
    return number[:head] + "*" * (len(number) - head - tail) + (number[-tail:] if tail else "")
