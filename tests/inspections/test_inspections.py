"""Recording an inspection: who may, against which checklist, with which inspectors; marks kept as a
draft; the outcome orders rectifications with deadlines by severity, may suspend, and tells the operator."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from inspections.models import (
    Checklist,
    Finding,
    Inspection,
    Outcome,
    Rectification,
    RectificationPolicy,
    Result,
)
from inspections.services import InspectionError, findings_save, inspection_record, inspection_start
from inspections.services.checklists import checklist_new_version
from notifications.models import Notification

from .conftest import K, checklist, inspect, png

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def start(world, team=None, institution=None, department=K.FIRE, **changes):
    team = team or world.fire
    arguments = {
        "institution": institution or world.sun,
        "checklist": checklist(department),
        "inspectors": team[:2],
        "inspected_on": TODAY(),
        "acting_user": team[0],
        **changes,
    }
    return inspection_start(**arguments)


def test_an_inspection_copies_the_checklist_in_force(world):
    inspection = start(world)
    items = list(checklist(K.FIRE).items.values_list("code", "text", "severity"))
    assert list(inspection.findings.values_list("code", "text", "severity")) == items
    assert inspection.region_id == "441802" and inspection.department == K.FIRE
    assert inspection.status == Inspection.Status.DRAFT


@pytest.mark.parametrize(
    "changes, field",
    [
        ("one inspector", "inspectors"),
        ("stranger", "inspectors"),
        ("future", "inspected_on"),
        ("other department's checklist", "checklist"),
    ],
)
def test_starting_is_refused_with_the_field_named(world, changes, field):
    arguments = {
        "one inspector": {"inspectors": world.fire[:1]},
        "stranger": {"inspectors": [world.fire[0], world.market[0]]},
        "future": {"inspected_on": TODAY() + datetime.timedelta(days=1)},
        "other department's checklist": {"checklist": checklist(K.MARKET_REGULATION)},
    }[changes]
    with pytest.raises(InspectionError) as refused:
        start(world, **arguments)
    assert field in refused.value.errors
    assert not Inspection.objects.exists()


def test_an_institution_outside_the_jurisdiction_cannot_be_inspected(world):
    with pytest.raises(PermissionDenied):
        start(world, team=world.fire_elsewhere, institution=world.sun)


def test_a_non_compliant_item_needs_a_note_and_a_bad_item_saves_nothing(world):
    inspection = start(world)
    first, second = inspection.findings.all()[:2]
    with pytest.raises(InspectionError) as refused:
        findings_save(
            inspection=inspection,
            marks={first.pk: (Result.COMPLIANT, ""), second.pk: (Result.NON_COMPLIANT, " ")},
            acting_user=world.fire[0],
        )
    assert list(refused.value.errors) == [str(second.pk)]
    first.refresh_from_db()
    assert first.result == ""  # the whole save is refused, nothing half-written


def test_photos_are_checked_and_kept_with_the_item(world):
    inspection = start(world)
    finding = inspection.findings.first()
    with pytest.raises(InspectionError) as refused:
        findings_save(
            inspection=inspection,
            marks={},
            photos={finding.pk: [png("fake.png").__class__("fake.png", b"not an image", "image/png")]},
            acting_user=world.fire[0],
        )
    assert str(finding.pk) in refused.value.errors
    findings_save(inspection=inspection, marks={}, photos={finding.pk: [png()]}, acting_user=world.fire[0])
    assert finding.photos.count() == 1


def test_only_the_inspecting_body_records(world):
    inspection = start(world)
    with pytest.raises(PermissionDenied):
        findings_save(inspection=inspection, marks={}, acting_user=world.market[0])
    with pytest.raises(PermissionDenied):
        inspection_record(inspection=inspection, outcome=Outcome.PASSED, acting_user=world.health[0])


def test_recording_needs_every_item_marked_and_an_outcome_that_fits(world):
    inspection = inspect(world.fire, world.sun, K.FIRE, failing={"F01"}, record=False)
    Finding.objects.filter(inspection=inspection, code="F02").update(result="")
    with pytest.raises(InspectionError, match="F02"):
        inspection_record(inspection=inspection, outcome=Outcome.RECTIFY, acting_user=world.fire[0])
    Finding.objects.filter(inspection=inspection, code="F02").update(result=Result.NOT_APPLICABLE)
    with pytest.raises(InspectionError) as refused:
        inspection_record(inspection=inspection, outcome=Outcome.PASSED, acting_user=world.fire[0])
    assert "outcome" in refused.value.errors
    passed = inspect(world.fire, world.moon, K.FIRE, record=False)
    with pytest.raises(InspectionError):
        inspection_record(inspection=passed, outcome=Outcome.RECTIFY, acting_user=world.fire[0])


def test_the_outcome_orders_a_rectification_per_failing_item_with_the_policy_deadline(world):
    RectificationPolicy.objects.create(region=world.regions["441802"], severity="major", days=10)
    inspection = inspect(world.fire, world.sun, K.FIRE, failing={"F01", "F04"}, days_ago=2)
    assert inspection.status == Inspection.Status.RECORDED
    deadlines = dict(Rectification.objects.values_list("finding__code", "deadline"))
    day = inspection.inspected_on
    assert deadlines == {"F01": day + datetime.timedelta(days=7), "F04": day + datetime.timedelta(days=10)}
    told = Notification.objects.get(recipient=world.sun_operator)
    assert "整改" in told.title or "Rectification" in told.title
    assert told.url == f"/portal/supervision/institutions/{world.sun.pk}/"


def test_a_passed_inspection_closes_at_once(world):
    inspection = inspect(world.fire, world.sun, K.FIRE)
    assert inspection.status == Inspection.Status.CLOSED and not inspection.rectifications.exists()


def test_a_recorded_inspection_cannot_be_changed(world):
    inspection = inspect(world.fire, world.sun, K.FIRE)
    with pytest.raises(InspectionError):
        findings_save(inspection=inspection, marks={}, acting_user=world.fire[0])


def test_suspension_needs_a_serious_failing_item_and_a_reason(world):
    minor = inspect(world.fire, world.sun, K.FIRE, failing={"F05"}, record=False)
    with pytest.raises(InspectionError):
        inspection_record(
            inspection=minor, outcome=Outcome.SUSPEND, suspend_reason="x", acting_user=world.fire[0]
        )
    serious = inspect(world.fire, world.moon, K.FIRE, failing={"F02"}, record=False)
    with pytest.raises(InspectionError) as refused:
        inspection_record(inspection=serious, outcome=Outcome.SUSPEND, acting_user=world.fire[0])
    assert "suspend_reason" in refused.value.errors
    inspection_record(
        inspection=serious, outcome=Outcome.SUSPEND, suspend_reason="疏散通道堵塞", acting_user=world.fire[0]
    )
    assert serious.suspensions.get().reason == "疏散通道堵塞"


def test_a_new_checklist_version_leaves_earlier_inspections_as_they_were(world):
    old = checklist(K.FIRE)
    inspection = inspect(world.fire, world.sun, K.FIRE)
    mine = checklist_new_version(checklist=old, acting_user=world.health[0], region=world.regions["441802"])
    mine.items.filter(code="F01").update(text="新的消防器材要求")
    assert checklist(K.FIRE).pk == mine.pk  # the county's version is now in force there
    assert checklist(K.FIRE, "441803").pk == old.pk  # and the national one elsewhere
    inspection.refresh_from_db()
    assert inspection.checklist_id == old.pk
    assert inspection.findings.get(code="F01").text != "新的消防器材要求"
    again = checklist_new_version(checklist=mine, acting_user=world.health[0])
    assert (again.version, Checklist.objects.get(pk=mine.pk).current) == (2, False)


def test_checklists_are_changed_only_in_ones_own_jurisdiction(world):
    with pytest.raises(PermissionDenied):
        checklist_new_version(
            checklist=checklist(K.FIRE), acting_user=world.health[0], region=world.regions["441803"]
        )
    with pytest.raises(PermissionDenied):
        checklist_new_version(checklist=checklist(K.FIRE), acting_user=world.health[0])  # national
