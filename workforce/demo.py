"""Demo staff register: a roster for 清城区's filed institution, a carer already employed there whom a
neighbour tries to hire, a banned person, and `police-441802` (public security, Qingcheng) who sees the
security staff and the bans. Safe to run again."""

import datetime

from django.db import transaction
from django.utils import timezone

from registry.demo import DEMO_PASSWORD
from registry.models import Authority, Institution, User
from registry.roles import Role
from registry.selectors import operators_by_institution
from registry.services import staff_user_ensure
from registry.uscc import uscc_with_check

from .models import Ban
from .services import WorkforceError, ban_record, hire

# (document number, name, role) of the roster of 清城区妇幼保健院附属托育园 (filed).
ROSTER = [
    ("441802199101011236", "陈园长", "management"),
    ("441802199003151235", "林保育", "carer"),
    ("44180219920606123X", "黄保育", "carer"),
    ("441802199307071234", "周保健", "health"),
    ("441802199410101235", "吴保安", "security"),
    ("441802199512121237", "郑厨师", "cook"),
]
BANNED = ("441802199603031237", "赵某", "虐待婴幼儿，依法终身禁止从事托育工作", "清城区人民法院")


@transaction.atomic
def load(*, stdout) -> None:
    authority = Authority.objects.get(kind=Authority.Kind.PUBLIC_SECURITY, region_id="441802")
    police, _created = staff_user_ensure(
        username="police-441802",
        authority=authority,
        role=Role.PUBLIC_SECURITY,
        password=DEMO_PASSWORD,
        full_name="清城区公安分局民警",
    )
    institution = Institution.objects.get(uscc=uscc_with_check("12441802MBTY00004"))
    operator = User.objects.get(pk=operators_by_institution([institution.pk])[institution.pk][0])
    started = timezone.localdate() - datetime.timedelta(days=400)
    hired = 0
    for number, name, role in ROSTER:
        try:
            hire(
                institution=institution,
                document_type="ric",
                document_number=number,
                name=name,
                role=role,
                starts_on=started,
                acting_user=operator,
            )
            hired += 1
        except WorkforceError:
            pass  # already on the roster: the demo is loaded again
    number, name, reason, body = BANNED
    if not Ban.objects.filter(name=name).exists():
        ban_record(
            document_type="ric",
            document_number=number,
            name=name,
            reason=reason,
            decided_by_body=body,
            decided_on=started,
            lifetime=True,
            until=None,
            acting_user=police,
        )
    stdout.write(f"workforce: {hired} people added to the roster of {institution.name}; one ban on record")
