"""What a clerk sees on the big lists: a capped count said plainly, a region filter that drills down
from the person's own region, exact search by USCC and receipt number, and the review queue's order."""

import datetime
import re

import pytest
from django.utils import timezone

from filing.models import Filing, FilingPolicy
from registry.admin_scoping import CappedPaginator
from registry.models import Authority
from registry.roles import Role
from registry.services import roles_sync
from tests.factories import AuthorityFactory, StaffFactory, UserFactory
from tests.scale import populate


@pytest.fixture
def rows(regions):
    roles_sync()
    pusher = AuthorityFactory(kind=Authority.Kind.MARKET_REGULATION, region=regions["441800"])
    populate([(regions["441802"], 8), (regions["441803"], 4)], 0, pusher=pusher, creator=UserFactory())


def staff(regions, code, role=Role.COUNTY_HEALTH):
    return StaffFactory(
        authority=AuthorityFactory(kind=Authority.Kind.HEALTH, region=regions[code]), role=role
    )


def options(page: str) -> list[str]:
    """The region filter's choices, by name."""
    block = page.split('data-filter-title="行政区划"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<a href="\?[^"]*county=\d+[^"]*"[^>]*>([^<]+)</a>', block)


def test_a_list_longer_than_the_cap_says_so_instead_of_counting_everything(
    client, regions, rows, monkeypatch
):
    monkeypatch.setattr(CappedPaginator, "CAP", 5)
    client.force_login(staff(regions, "441802"))
    page = client.get("/admin/registry/institution/").content.decode()
    assert "超过 5 条" in page
    assert "超过 5 条结果" in page and "6 条结果" not in page  # the search bar says so too
    few = client.get("/admin/registry/institution/?filing_status=unfiled").content.decode()
    assert "超过" not in few


def test_a_capped_list_shows_the_databases_estimate_as_an_estimate(client, regions, rows, monkeypatch):
    monkeypatch.setattr(CappedPaginator, "CAP", 5)
    monkeypatch.setattr("registry.admin_scoping._estimate", lambda queryset: 123_456)
    client.force_login(staff(regions, "441802"))
    page = client.get("/admin/registry/institution/").content.decode()
    assert "超过 5 条" in page and "估计约 120,000 条" in page
    monkeypatch.setattr("registry.admin_scoping._estimate", lambda queryset: 3)  # the planner guessed low
    page = client.get("/admin/registry/institution/").content.decode()
    assert "超过 5 条" in page and "估计" not in page


def test_the_region_filter_drills_down_from_the_persons_region(client, regions, rows):
    client.force_login(staff(regions, "441800", Role.SUPERVISING_HEALTH))
    page = client.get("/admin/registry/institution/").content.decode()
    assert options(page) == ["清城区", "清新区"]
    narrowed = client.get("/admin/registry/institution/?county=441803").content.decode()
    assert options(narrowed) == ["清城区", "清新区"]  # a county is offered among its neighbours
    assert narrowed.count("清新区第") == 4 and "清城区第" not in narrowed


def test_a_superuser_starts_from_the_provinces(client, regions, rows):
    client.force_login(StaffFactory(is_superuser=True))
    page = client.get("/admin/registry/institution/").content.decode()
    assert set(options(page)) == {"广东省", "湖北省"}
    city = client.get("/admin/registry/institution/?county=440000").content.decode()
    assert {"清远市", "东莞市", "云浮市"} <= set(options(city))


def test_a_whole_uscc_or_receipt_number_finds_its_row_exactly(client, regions, rows):
    client.force_login(staff(regions, "441802"))
    filing = Filing.objects.filter(receipt_number__isnull=False, institution__region_id="441802").first()
    uscc = filing.institution.uscc
    page = client.get(f"/admin/registry/institution/?q={uscc.lower()}").content.decode()
    assert page.count(uscc) >= 1 and "1 条结果" in page
    by_receipt = client.get(f"/admin/filing/filing/?q={filing.receipt_number}").content.decode()
    assert "1 条结果" in by_receipt
    by_name = client.get("/admin/registry/institution/?q=托育服务有限").content.decode()
    assert "8 条结果" in by_name  # a substring of the names: every row of the county


def test_the_review_queue_puts_submitted_work_first_oldest_first(client, regions, rows):
    client.force_login(staff(regions, "441802"))
    response = client.get("/admin/filing/filing/")
    statuses = [f.status for f in response.context["cl"].result_list]
    order = {"submitted": 0, "returned": 1, "accepted": 2, "refused": 2, "draft": 3}
    assert statuses == sorted(statuses, key=order.__getitem__)
    submitted = [f.submitted_at for f in response.context["cl"].result_list if f.status == "submitted"]
    assert submitted == sorted(submitted)


def test_over_the_limit_uses_each_countys_own_limit(client, regions, rows, time_machine):
    """清城区 (441802) reviews within 2 working days by its own policy, 清新区 (441803) within the national
    5: a filing submitted 3 working days ago is over the limit in the first and within it in the second."""
    time_machine.move_to(datetime.datetime(2026, 12, 3, 10, tzinfo=datetime.UTC))  # a Thursday
    FilingPolicy.objects.create(region=regions["441802"], review_working_days=2)
    monday = timezone.make_aware(datetime.datetime(2026, 11, 30, 9))
    Filing.objects.filter(status="submitted").update(submitted_at=monday)
    client.force_login(staff(regions, "441800", Role.SUPERVISING_HEALTH))
    over = client.get("/admin/filing/filing/?overdue=yes").context["cl"].result_list
    within = client.get("/admin/filing/filing/?overdue=no").context["cl"].result_list
    assert over and {f.institution.region_id for f in over} == {"441802"}
    assert within and {f.institution.region_id for f in within} == {"441803"}


def test_an_identifier_that_matches_nothing_answers_an_empty_list(client, regions, rows):
    client.force_login(staff(regions, "441802"))
    response = client.get("/admin/registry/institution/?q=91441802000000009Z")
    assert response.status_code == 200 and "0 条结果" in response.content.decode()


def test_part_of_a_uscc_finds_the_institutions_that_contain_it(client, regions, rows):
    client.force_login(staff(regions, "441802"))
    uscc = Filing.objects.filter(institution__region_id="441802").first().institution.uscc
    page = client.get(f"/admin/registry/institution/?q={uscc[8:14]}").content.decode()
    assert uscc in page
