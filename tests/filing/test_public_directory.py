"""The public directory, its open-data API and CSV: only filed institutions, only public fields (checked
against an allow-list), filters a parent uses, a constant number of queries per page, and a budget of
requests per client address answered with 429."""

import csv
import io

import pytest
from django.urls import reverse

from filing.directory import OPEN_FIELDS
from filing.models import DirectoryEntry
from filing.services import filing_accept, filing_submit
from filing.services.directory import directory_rebuild
from registry.models.institutions import FilingStatus

from .conftest import complete_draft, push_institution

pytestmark = pytest.mark.django_db

# Typed in the filing but never public.
PRIVATE = ["王老师", "0763-1234567", "张三"]


def file(institution, operator, reviewer, **data):
    filing = complete_draft(institution, operator, data={"legal_representative": "张三", **data})
    return filing_accept(filing=filing_submit(filing=filing, acting_user=operator), acting_user=reviewer)


@pytest.fixture(autouse=True)
def fresh_cache():
    """Counts and the request budget live in the cache; each test starts from none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the directory follows changes once they commit)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def filed(institution, operator, reviewer, committed):
    with committed():
        file(institution, operator, reviewer, inclusive=True)
    institution.refresh_from_db()
    return institution


def test_only_filed_institutions_are_listed_and_they_leave_when_no_longer_filed(
    client, regions, filed, committed
):
    unfiled = push_institution(regions, name="未备案托育有限公司")
    page = client.get(reverse("public:directory"))
    assert [e.uscc for e in page.context["page"]] == [filed.uscc]
    assert unfiled.name not in page.text
    assert client.get(reverse("public:institution", args=[unfiled.uscc])).status_code == 404
    with committed():
        filed.filing_status = FilingStatus.TERMINATED
        filed.save(update_fields=["filing_status"])
    assert not DirectoryEntry.objects.exists()
    assert client.get(reverse("public:institution", args=[filed.uscc])).status_code == 404


def test_the_entry_shows_the_filed_particulars_and_nothing_private(client, filed):
    entry = DirectoryEntry.objects.get()
    # The operator ticked "inclusive" on the filing: only the bureau's recognition makes it so.
    assert (entry.slots, entry.monthly_fees, entry.inclusive, entry.kind) == (
        15,
        {"full_day": 2000},
        False,
        "institution",
    )
    assert entry.receipt_number and entry.filed_on
    pages = [
        client.get(reverse("public:directory")).text,
        client.get(reverse("public:institution", args=[filed.uscc])).text,
        client.get(reverse("public:county", args=["441802"])).text,
        b"".join(client.get(reverse("public:directory-csv")).streaming_content).decode(),
        client.get("/api/v1/public/institutions/").text,
    ]
    for text in pages:
        for value in PRIVATE:
            assert value not in text
    page = client.get(reverse("public:institution", args=[filed.uscc]))
    assert "每月 2000 元" in page.text and entry.receipt_number in page.text


def test_the_open_data_carries_exactly_the_contract_fields(client, filed):
    answer = client.get("/api/v1/public/institutions/", {"region": "441800"})
    assert answer.status_code == 200
    [item] = answer.json()["results"]
    assert list(item) == OPEN_FIELDS
    assert item["uscc"] == filed.uscc and item["region_code"] == "441802" and item["quality_grade"] is None
    assert client.get("/api/v1/public/institutions/", {"region": "420300"}).json()["results"] == []
    refused = client.get("/api/v1/public/institutions/", {"updated_since": "yesterday"})
    assert refused.status_code == 400 and "updated_since" in refused.text
    later = client.get("/api/v1/public/institutions/", {"updated_since": "2999-01-01T00:00:00+08:00"})
    assert later.json()["results"] == []
    rows = list(
        csv.reader(io.StringIO(b"".join(client.get("/public/institutions.csv").streaming_content).decode()))
    )
    assert rows[0][0].lstrip("\ufeff") == "uscc" and rows[0][1:] == OPEN_FIELDS[1:]
    assert rows[1][0] == filed.uscc


def filed_operator(institution):
    from registry.models import User
    from registry.selectors import operators_by_institution

    return User.objects.get(pk=operators_by_institution([institution.pk])[institution.pk][0])


def test_a_parent_filters_by_words_county_service_kind_and_inclusive(client, regions, filed, committed):
    other = push_institution(regions, "441803", name="清新区半日托有限公司")
    from registry.services import operator_grant
    from tests.factories import UserFactory

    operator = UserFactory()
    operator_grant(user=operator, institution=other)
    from .conftest import reviewer_of

    with committed():
        file(
            other,
            operator,
            reviewer_of(regions, "441803"),
            service_types=["half_day"],
            monthly_fees={"half_day": 1200},
            inclusive=False,
        )

    from subsidies.services import recognition_apply, recognition_decide

    recognition = recognition_apply(
        institution=filed,
        kind="inclusive",
        fees={"full_day": 1500},
        slots=15,
        inclusive_slots=15,
        undertaking_accepted=True,
        acting_user=filed_operator(filed),
    )
    with committed():
        recognition_decide(
            recognition=recognition, recognised=True, reason="", acting_user=reviewer_of(regions, "441802")
        )

    def found(**query):
        return {e.uscc for e in client.get(reverse("public:directory"), query).context["page"]}

    assert found() == {filed.uscc, other.uscc}
    assert found(q="半日托") == {other.uscc}
    assert found(region="441803") == {other.uscc}
    assert found(region="441800") == {filed.uscc, other.uscc}  # a city holds its counties
    assert found(service="full_day") == {filed.uscc}
    assert found(inclusive="1") == {filed.uscc}  # recognised; the other ticked nothing and is not
    assert found(demonstration="1") == set()
    assert found(kind="home_point") == set()


def test_a_page_costs_the_same_queries_whatever_the_directory_holds(
    client, regions, filed, django_assert_max_num_queries
):
    directory_rebuild()
    client.get(reverse("public:directory"))  # warm the cached counts
    with django_assert_max_num_queries(6):
        client.get(reverse("public:directory"))
    with django_assert_max_num_queries(3):
        client.get("/api/v1/public/institutions/")
    for n in range(8):
        push_institution(regions, name=f"托育机构{n}")
    DirectoryEntry.objects.bulk_create(
        DirectoryEntry(
            institution_id=i.pk,
            uscc=i.uscc,
            name=i.name,
            kind="institution",
            region_id=i.region_id,
            receipt_number=f"X{i.pk}",
            filed_on="2026-01-01",
            updated_at="2026-01-01T00:00:00+08:00",
        )
        for i in type(filed).objects.exclude(pk=filed.pk)
    )
    with django_assert_max_num_queries(6):
        assert client.get(reverse("public:directory"), {"page": "1"}).status_code == 200
    with django_assert_max_num_queries(3):
        assert len(client.get("/api/v1/public/institutions/").json()["results"]) == 9


def test_a_burst_from_one_address_is_answered_with_429(client, settings, filed):
    settings.PUBLIC_REQUESTS_PER_MINUTE = 3
    answers = [client.get(reverse("public:directory")).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    limited = client.get(reverse("public:institution", args=[filed.uscc]))
    assert limited.status_code == 429 and limited["Retry-After"] == "60"
    other = client.get(reverse("public:directory"), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_a_count_kept_in_the_cache_never_hides_a_newer_institution(client, regions, filed, committed):
    client.get(reverse("public:directory"))  # the total (1) is now cached
    other = push_institution(regions, name="新备案托育有限公司")
    from registry.services import operator_grant
    from tests.factories import UserFactory

    from .conftest import reviewer_of

    operator = UserFactory()
    operator_grant(user=operator, institution=other)
    with committed():
        file(other, operator, reviewer_of(regions, "441802"))
    page = client.get(reverse("public:directory"))
    assert {e.uscc for e in page.context["page"]} == {filed.uscc, other.uscc}


def test_the_institution_admin_page_links_its_public_page_and_escalation_records(client, filed, reviewer):
    from django.utils import timezone

    from filing.models import EscalationStep

    EscalationStep.objects.create(
        ladder="unfiled", rung=1, institution=filed, subject_id=filed.pk, episode=timezone.localdate()
    )
    client.force_login(reviewer)
    page = client.get(reverse("admin:registry_institution_change", args=[filed.pk]))
    assert reverse("public:institution", args=[filed.uscc]) in page.text
    assert "督办记录 1 条" in page.text
    steps = client.get(reverse("admin:filing_escalationstep_changelist"), {"q": filed.uscc})
    assert steps.context["cl"].result_count == 1
