"""双随机、一公开 draws. `draw_commit` fixes the roster (the stratum's institutions by USCC) and the
inspector pool and publishes SHA-256 commitments to them and to a fresh secret seed; `draw_perform`
reveals the seed, computes the result with `inspections.draw_algorithm` and plans an inspection for each
drawn institution with its pair of inspectors. A redraw is a new committed draw with a reason; the one it
replaces stays on record, superseded, and its untouched planned inspections are cancelled.
`draw_problems` recomputes a draw from its stored public inputs (verify_draw, the public page)."""

import math
import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.models import Institution, Region, User
from registry.models.institutions import FilingStatus
from registry.selectors import most_specific_many

from .. import draw_algorithm
from ..models import Checklist, Draw, Finding, Inspection, InspectionPlan
from .errors import InspectionError
from .inspections import finding_from


def roster_for(plan: InspectionPlan) -> list[str]:
    """The stratum, in the published order (ascending USCC)."""
    counties = Region.objects.subtree(plan.region_id).values("pk")
    institutions = Institution.objects.filter(region_id__in=counties)
    if plan.stratum == InspectionPlan.Stratum.FILED:
        institutions = institutions.filter(filing_status=FilingStatus.FILED)
    else:
        institutions = institutions.exclude(filing_status=FilingStatus.TERMINATED)
    return list(institutions.order_by("uscc").values_list("uscc", flat=True))


def pool_for(plan: InspectionPlan) -> list[list[str]]:
    people = plan.inspectors.filter(is_active=True).order_by("username")
    return [[u.username, u.get_full_name() or u.username] for u in people]


def require_planner(user: User, plan: InspectionPlan) -> None:
    if not user.is_superuser and user.authority_id != plan.authority_id:
        raise PermissionDenied(_("Only the planning body's staff may draw for this plan."))


@transaction.atomic
def draw_commit(*, plan: InspectionPlan, acting_user: User, reason: str = "") -> Draw:
    plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
    require_planner(acting_user, plan)
    draws = plan.draws.all()
    if draws.filter(status=Draw.Status.COMMITTED).exists():
        raise InspectionError(_("A committed draw is waiting; draw it before committing another."))
    if draws.exists() and not reason.strip():
        message = _("A redraw needs a reason, which is published with it.")
        raise InspectionError(message, {"reason": [message]})
    roster = roster_for(plan)
    pool = pool_for(plan)
    if not roster:
        raise InspectionError(_("There is no institution to draw from in this stratum."))
    if len(pool) < 2:
        raise InspectionError(_("The inspector pool needs at least two active inspectors."))
    if plan.sample_size:
        size = plan.sample_size
    elif plan.sample_percent:
        size = math.ceil(len(roster) * float(plan.sample_percent) / 100)
    else:
        raise InspectionError(_("Give the plan a number of institutions or a share to draw."))
    seed = secrets.token_hex(32)
    codes = [code for code, _name in pool]
    return Draw.objects.create(
        plan=plan,
        number=(draws.aggregate(n=Max("number"))["n"] or 0) + 1,
        reason=reason.strip(),
        seed=seed,
        seed_commitment=draw_algorithm.sha256(seed),
        roster=roster,
        roster_digest=draw_algorithm.digest(roster),
        pool=pool,
        pool_digest=draw_algorithm.digest(codes),
        sample_size=min(size, len(roster)),
        committed_by=acting_user,
    )


@transaction.atomic
def draw_perform(*, draw: Draw, acting_user: User) -> Draw:
    draw = Draw.objects.select_for_update().select_related("plan").get(pk=draw.pk)
    plan = draw.plan
    require_planner(acting_user, plan)
    if draw.status != Draw.Status.COMMITTED:
        raise InspectionError(_("This draw has already been drawn."))
    codes = [code for code, _name in draw.pool]
    draw.result = draw_algorithm.draw(draw.seed, draw.roster, codes, draw.sample_size)
    draw.status, draw.drawn_by, draw.drawn_at = Draw.Status.DRAWN, acting_user, timezone.now()
    draw.save(update_fields=["result", "status", "drawn_by", "drawn_at"])
    earlier = plan.draws.filter(status=Draw.Status.DRAWN).exclude(pk=draw.pk)
    Inspection.objects.filter(draw__in=earlier, status=Inspection.Status.PLANNED).update(
        status=Inspection.Status.CANCELLED
    )
    earlier.update(status=Draw.Status.SUPERSEDED)
    _plan_inspections(draw, acting_user)
    return draw


def _plan_inspections(draw: Draw, acting_user: User) -> None:
    plan = draw.plan
    institutions = {
        i.uscc: i for i in Institution.objects.filter(uscc__in=[pick["uscc"] for pick in draw.result])
    }
    checklists = most_specific_many(
        Checklist.objects.filter(department=plan.department, current=True, code=plan.checklist_code),
        {i.region_id for i in institutions.values()},
        key=lambda c: c.code,
    )
    people = {u.username: u.pk for u in User.objects.filter(username__in=[c for c, _n in draw.pool])}
    planned = []
    for pick in draw.result:
        institution = institutions[pick["uscc"]]
        checklist = checklists.get(institution.region_id, {}).get(plan.checklist_code)
        if checklist is None:
            raise InspectionError(
                _("No current checklist “%(code)s” applies in %(county)s.")
                % {"code": plan.checklist_code, "county": institution.region_id}
            )
        planned.append(
            Inspection(
                institution=institution,
                region_id=institution.region_id,
                authority_id=plan.authority_id,
                department=plan.department,
                checklist=checklist,
                status=Inspection.Status.PLANNED,
                draw=draw,
                created_by=acting_user,
            )
        )
    Inspection.objects.bulk_create(planned, batch_size=1000)
    through = Inspection.inspectors.through
    through.objects.bulk_create(
        [
            through(inspection_id=inspection.pk, user_id=people[code])
            for inspection, pick in zip(planned, draw.result, strict=True)
            for code in pick["inspectors"]
        ],
        batch_size=2000,
    )
    items = {}
    for checklist in {i.checklist_id: i.checklist for i in planned}.values():
        items[checklist.pk] = list(checklist.items.all())
    Finding.objects.bulk_create(
        [finding_from(inspection, item) for inspection in planned for item in items[inspection.checklist_id]],
        batch_size=5000,
    )


def draw_problems(draw: Draw) -> list[str]:
    """Recompute a drawn draw from its published inputs alone; each difference, in words ([] = verified)."""
    if draw.status == Draw.Status.COMMITTED:
        return [_("The draw has not been drawn yet; its seed is still secret.")]
    problems = []
    if draw_algorithm.sha256(draw.seed) != draw.seed_commitment:
        problems.append(_("The seed does not match its published commitment."))
    if draw_algorithm.digest(draw.roster) != draw.roster_digest:
        problems.append(_("The roster does not match its published digest."))
    codes = [code for code, _name in draw.pool]
    if draw_algorithm.digest(codes) != draw.pool_digest:
        problems.append(_("The inspector pool does not match its published digest."))
    try:
        expected = draw_algorithm.draw(draw.seed, draw.roster, codes, draw.sample_size)
    except ValueError as error:
        return [*problems, str(error)]
    if len(expected) != len(draw.result):
        problems.append(
            _("The stored result has %(stored)d picks; the inputs give %(expected)d.")
            % {"stored": len(draw.result), "expected": len(expected)}
        )
    for position, (stored, computed) in enumerate(zip(draw.result, expected, strict=False), start=1):
        if stored != computed:
            problems.append(
                _("Pick %(n)d differs: stored %(stored)s, recomputed %(computed)s.")
                % {"n": position, "stored": _pick(stored), "computed": _pick(computed)}
            )
    return problems


def _pick(pick: dict) -> str:
    return f"{pick.get('uscc')} ({', '.join(pick.get('inspectors', []))})"
