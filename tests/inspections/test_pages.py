"""The operator answers in the portal; inspectors mark items on the on-site page; public pages show only
what is meant to be public; the monthly directory lists filed and unfiled sites."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from inspections.models import Inspection, Rectification
from inspections.services import rectification_answer, rectification_close

from .conftest import PNG, K, inspect, png

pytestmark = pytest.mark.django_db


def test_the_operator_answers_with_evidence_and_errors_keep_the_text(client, world):
    inspect(world.fire, world.sun, K.FIRE, failing={"F01"})
    rectification = Rectification.objects.get()
    client.force_login(world.sun_operator)
    url = reverse("supervision:institution", args=[world.sun.pk])
    page = client.post(url, {"rectification": rectification.pk, "text": "已更换"})
    assert page.status_code == 200 and "已更换" in page.text
    assert page.context["rectifications"][0].form.errors["files"]
    response = client.post(url, {"rectification": rectification.pk, "text": "已更换", "files": [png()]})
    assert response.status_code == 302
    rectification.refresh_from_db()
    assert rectification.status == Rectification.Status.ANSWERED


def test_the_on_site_page_saves_a_draft_and_records(client, world):
    inspection = inspect(world.fire, world.sun, K.FIRE, record=False)
    findings = list(inspection.findings.all())
    client.force_login(world.fire[1])
    url = reverse("field:inspection", args=[inspection.pk])
    data = {f"result-{f.pk}": "compliant" for f in findings}
    data[f"result-{findings[0].pk}"] = "non_compliant"
    data[f"note-{findings[0].pk}"] = ""
    page = client.post(url, {**data, "action": "save"})
    assert page.status_code == 200 and page.context["rows"][0]["errors"]  # a note is needed
    data[f"note-{findings[0].pk}"] = "灭火器过期"
    assert client.post(url, {**data, "action": "save", f"photos-{findings[0].pk}": png()}).status_code == 302
    assert findings[0].photos.count() == 1
    page = client.post(url, {**data, "action": "record", "outcome": "passed"})
    assert page.status_code == 200 and page.context["record_form"].errors["outcome"]
    assert client.post(url, {**data, "action": "record", "outcome": "rectify"}).status_code == 302
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.RECORDED


def test_public_pages_show_only_closed_results_and_filed_institutions(client, world):
    open_one = inspect(world.fire, world.sun, K.FIRE, failing={"F01"})
    closed = inspect(world.market, world.sun, K.MARKET_REGULATION)
    url = reverse("public:institution", args=[world.sun.uscc])
    page = client.get(url)
    assert list(page.context["results"]) == [closed]
    assert "F01 不符合" not in page.text  # findings and notes are not published
    assert world.sun_operator.username not in page.text
    rectification = open_one.rectifications.get()
    rectification_answer(
        rectification=rectification, text="ok", files=[png()], acting_user=world.sun_operator
    )
    rectification_close(rectification=rectification, text="", acting_user=world.fire[0])
    assert len(client.get(url).context["results"]) == 2
    assert client.get(reverse("public:institution", args=[world.moon.uscc])).status_code == 404  # not filed


def test_a_suspension_shows_on_the_public_page_until_lifted(client, world):
    inspect(world.fire, world.sun, K.FIRE, failing={"F02"}, outcome="suspend", suspend_reason="通道堵塞")
    page = client.get(reverse("public:institution", args=[world.sun.uscc]))
    assert len(page.context["suspensions"]) == 1


def test_the_monthly_directory_lists_filed_and_unfiled_sites(client, world):
    client.force_login(world.fire[0])
    response = client.get(reverse("admin:inspections_directory"))
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    by_uscc = {row[1]: row[5] for row in rows[1:]}
    assert by_uscc[world.sun.uscc] in ("已备案", "Filed")
    assert by_uscc[world.moon.uscc] in ("已登记未备案", "Registered, not filed")
    assert world.star.uscc not in by_uscc  # another county
    client.force_login(world.sun_operator)
    assert client.get(reverse("admin:inspections_directory")).status_code == 302


def test_png_fixture_is_a_real_png():
    assert PNG.startswith(b"\x89PNG")


def test_a_photo_taken_by_mistake_is_removed_before_recording_and_marks_are_kept(client, world):
    from inspections.services import findings_save

    inspection = inspect(world.fire, world.sun, K.FIRE, record=False)
    finding = inspection.findings.first()
    findings_save(inspection=inspection, marks={}, photos={finding.pk: [png()]}, acting_user=world.fire[0])
    photo = finding.photos.get()
    client.force_login(world.fire[0])
    url = reverse("field:inspection", args=[inspection.pk])
    data = {f"result-{f.pk}": "compliant" for f in inspection.findings.all()}
    data[f"note-{finding.pk}"] = "拍错了照片"
    response = client.post(f"{url}?photo={photo.pk}", {**data, "action": "remove-photo"})
    assert response.status_code == 302
    assert not finding.photos.exists()
    finding.refresh_from_db()
    assert finding.note == "拍错了照片"  # typed before removing: saved, not lost


def test_the_search_offers_to_continue_an_unfinished_inspection(client, world):
    inspection = inspect(world.fire, world.sun, K.FIRE, record=False)
    client.force_login(world.fire[1])
    page = client.get(reverse("field:worklist"), {"q": "阳光"})
    [found] = page.context["found"]
    assert found.unfinished == inspection.pk
    assert client.get(reverse("field:start", args=[world.sun.pk])).context["unfinished"] == inspection.pk
