"""History pages only read: a revert would put an old row back over state a workflow owns (an accepted
filing's institution back to 未备案) with none of its transitions."""

import pytest

from filing.services import filing_accept, filing_submit
from registry.models import Institution
from tests.filing.conftest import complete_draft, reviewer_of


@pytest.fixture
def filed(regions, institution, operator):
    filing = filing_submit(filing=complete_draft(institution, operator), acting_user=operator)
    filing_accept(filing=filing, acting_user=reviewer_of(regions, "441802"))
    institution.refresh_from_db()
    assert institution.filing_status == "filed"
    return institution


def test_reverting_an_institution_to_its_unfiled_version_is_refused(client, regions, filed):
    bureau = reviewer_of(regions, "441802")
    client.force_login(bureau)
    unfiled = Institution.history.filter(id=filed.pk, filing_status="unfiled").earliest("history_date")
    url = f"/admin/registry/institution/{filed.pk}/history/{unfiled.history_id}/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()  # no revert button
    fields = {"name": unfiled.name, "region": "441802", "address": unfiled.address, "_save": "1"}
    assert client.post(url, fields).status_code == 403
    filed.refresh_from_db()
    assert filed.filing_status == "filed"
    assert not Institution.history.filter(id=filed.pk, history_user=bureau).exists()


def test_the_history_list_still_shows_every_change(client, regions, filed):
    client.force_login(reviewer_of(regions, "441802"))
    page = client.get(f"/admin/registry/institution/{filed.pk}/history/")
    assert page.status_code == 200
