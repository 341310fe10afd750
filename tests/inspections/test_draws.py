"""双随机 draws: committed before they are drawn, reproducible by anyone, never redrawn silently."""

import datetime
import hashlib
import io
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from inspections import draw_algorithm
from inspections.models import Draw, Inspection, InspectionPlan
from inspections.services import InspectionError, draw_commit, draw_perform
from registry.models.institutions import FilingStatus
from tests.filing.conftest import push_institution

from .conftest import K

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(world):
    for n in range(8):
        institution = push_institution(world.regions, "441802", name=f"抽查对象{n}托育有限公司")
        institution.filing_status = FilingStatus.FILED
        institution.save(update_fields=["filing_status"])
    plan = InspectionPlan.objects.create(
        authority=world.fire[0].authority,
        department=K.FIRE,
        region=world.regions["441800"],
        title="第四季度消防双随机抽查",
        starts_on=datetime.date(2026, 10, 1),
        ends_on=datetime.date(2026, 12, 31),
        sample_percent=30,
        checklist_code="fire-safety",
        created_by=world.fire[0],
    )
    plan.inspectors.set(world.fire)
    return plan


def verify(pk) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_draw", str(pk), stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue(), err.getvalue() + str(error)
    return 0, out.getvalue(), err.getvalue()


def test_the_algorithm_is_fixed(world):
    """A known vector: anyone's implementation of the documented steps gives this."""
    seed = "00" * 32
    picks = draw_algorithm.draw(seed, ["A", "B", "C", "D"], ["x", "y", "z"], 2)
    ranked = sorted("ABCD", key=lambda u: hashlib.sha256(f"{seed}:{u}".encode()).hexdigest())[:2]
    assert [p["uscc"] for p in picks] == ranked
    assert all(len(set(p["inspectors"])) == 2 for p in picks)


def test_a_commitment_is_published_before_the_draw_and_kept_by_it(client, world, plan):
    draw = draw_commit(plan=plan, acting_user=world.fire[0])
    assert draw.seed_commitment == hashlib.sha256(draw.seed.encode()).hexdigest()
    assert draw.roster == sorted(draw.roster) and len(draw.roster) == 9  # the filed sites of the city
    assert draw.sample_size == 3  # 30 % of 9, rounded up
    page = client.get(reverse("public:draw", args=[draw.pk]))
    assert draw.seed_commitment in page.text and draw.seed not in page.text
    assert client.get(reverse("public:draw-inputs", args=[draw.pk])).json()["seed"] is None
    drawn = draw_perform(draw=draw, acting_user=world.fire[0])
    codes = [code for code, _name in drawn.pool]
    assert drawn.result == draw_algorithm.draw(drawn.seed, drawn.roster, codes, 3)
    planned = Inspection.objects.filter(draw=drawn)
    assert planned.count() == 3 and {i.status for i in planned} == {Inspection.Status.PLANNED}
    assert all(i.inspectors.count() == 2 and i.findings.exists() for i in planned)
    page = client.get(reverse("public:draw", args=[draw.pk]))
    assert drawn.seed in page.text and page.context["problems"] == []


def test_verify_draw_reproduces_and_fails_loudly_on_tampering(world, plan):
    draw = draw_perform(draw=draw_commit(plan=plan, acting_user=world.fire[0]), acting_user=world.fire[0])
    assert verify(draw.pk)[:2] == (0, "verified\n")
    good = Draw.objects.filter(pk=draw.pk).values("seed", "roster", "result").get()

    Draw.objects.filter(pk=draw.pk).update(seed="ab" * 32)
    code, out, err = verify(draw.pk)
    assert code == 1 and "seed does not match" in err and "verified" not in out

    Draw.objects.filter(pk=draw.pk).update(seed=good["seed"], roster=good["roster"][1:])
    code, _out, err = verify(draw.pk)
    assert code == 1 and "roster does not match" in err

    result = [dict(pick) for pick in good["result"]]
    result[0]["uscc"], result[1]["uscc"] = result[1]["uscc"], result[0]["uscc"]
    Draw.objects.filter(pk=draw.pk).update(roster=good["roster"], result=result)
    code, _out, err = verify(draw.pk)
    assert code == 1 and "Pick 1 differs" in err


def test_a_redraw_needs_a_reason_and_keeps_the_first(world, plan):
    first = draw_perform(draw=draw_commit(plan=plan, acting_user=world.fire[0]), acting_user=world.fire[0])
    first_result = first.result
    started = Inspection.objects.filter(draw=first).first()
    Inspection.objects.filter(pk=started.pk).update(status=Inspection.Status.DRAFT)  # begun on site
    with pytest.raises(InspectionError) as refused:
        draw_commit(plan=plan, acting_user=world.fire[0])
    assert "reason" in refused.value.errors
    second = draw_commit(plan=plan, acting_user=world.fire[0], reason="一名检查人员回避")
    with pytest.raises(InspectionError):
        draw_commit(plan=plan, acting_user=world.fire[0], reason="again")  # one commitment at a time
    draw_perform(draw=second, acting_user=world.fire[0])
    first.refresh_from_db()
    assert (first.status, first.result) == (Draw.Status.SUPERSEDED, first_result)
    statuses = dict(Inspection.objects.filter(draw=first).values_list("pk", "status"))
    assert statuses.pop(started.pk) == Inspection.Status.DRAFT  # what was begun goes on
    assert set(statuses.values()) == {Inspection.Status.CANCELLED}
    assert verify(first.pk)[0] == 0 and verify(second.pk)[0] == 0
    with pytest.raises(InspectionError):
        draw_perform(draw=second, acting_user=world.fire[0])  # drawn once


def test_only_the_planning_body_draws_and_needs_two_inspectors(world, plan):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        draw_commit(plan=plan, acting_user=world.fire_elsewhere[0])
    plan.inspectors.set(world.fire[:1])
    with pytest.raises(InspectionError):
        draw_commit(plan=plan, acting_user=world.fire[0])


def test_the_script_on_the_public_page_verifies_the_downloaded_inputs(client, world, plan, tmp_path):
    """Anyone can check a draw with nothing but the page's script and its JSON download."""

    draw = draw_perform(draw=draw_commit(plan=plan, acting_user=world.fire[0]), acting_user=world.fire[0])
    (tmp_path / "draw.json").write_bytes(client.get(reverse("public:draw-inputs", args=[draw.pk])).content)
    script = client.get(reverse("public:draw", args=[draw.pk])).context["script"]
    run = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True)
    assert run.stdout.strip() == "verified", run.stderr
    Draw.objects.filter(pk=draw.pk).update(result=list(reversed(draw.result)))
    (tmp_path / "draw.json").write_bytes(client.get(reverse("public:draw-inputs", args=[draw.pk])).content)
    run = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True)
    assert run.stdout.strip() == "DIFFERENT"
