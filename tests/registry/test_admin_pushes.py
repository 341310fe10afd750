"""The bureau's side of pushes in the admin: queue, on-time report, API clients, conflicts."""

import datetime
import re

import pytest
from django.utils import timezone

from registry.models import ApiClient, Authority, IdempotencyRecord, RegistrationConflict, hash_token
from registry.roles import Role
from registry.services import api_client_create, idempotency_purge, registration_push, roles_sync
from tests.factories import AuthorityFactory, StaffFactory, UserFactory, make_uscc

pytestmark = pytest.mark.django_db


def _record(county="441802", **overrides):
    record = {
        "uscc": make_uscc(county),
        "name": "测试托育有限公司",
        "route": "enterprise",
        "region_code": county,
        "address": "某路1号",
        "legal_representative": "张三",
        "registered_on": timezone.localdate(),
        "business_scope": "托育服务",
        "service_types": ["full_day"],
        "employer_run": False,
        "status": "active",
        "cancelled_on": None,
    }
    record.update(overrides)
    return record


@pytest.fixture
def pushers(regions):
    roles_sync()
    return {
        code: api_client_create(
            authority=AuthorityFactory(kind=Authority.Kind.MARKET_REGULATION, region=regions[code]), name=code
        )[0]
        for code in ("441802", "441803", "445302")
    }


@pytest.fixture
def county_staff(regions):
    roles_sync()
    return StaffFactory(authority=AuthorityFactory(region=regions["441802"]), role=Role.COUNTY_HEALTH)


def test_queue_lists_only_the_county_and_filters_late(client, pushers, county_staff):
    registration_push(client=pushers["441802"], record=_record(name="本县按时"))
    last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=3)
    registration_push(client=pushers["441802"], record=_record(name="本县逾期", registered_on=last_month))
    registration_push(client=pushers["441803"], record=_record("441803", name="邻县机构"))
    client.force_login(county_staff)

    page = client.get("/admin/registry/registration/").content.decode()
    assert "本县按时" in page and "本县逾期" in page
    assert "邻县机构" not in page

    late_only = client.get("/admin/registry/registration/?late__exact=1").content.decode()
    assert "本县逾期" in late_only and "本县按时" not in late_only


def test_queue_query_count_does_not_grow_with_rows(client, pushers, county_staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(county_staff)
    for _ in range(3):
        registration_push(client=pushers["441802"], record=_record())
    with CaptureQueriesContext(connection) as few:
        assert client.get("/admin/registry/registration/").status_code == 200
    for _ in range(30):
        registration_push(client=pushers["441802"], record=_record())
    with CaptureQueriesContext(connection) as many:
        assert client.get("/admin/registry/registration/").status_code == 200
    assert len(many) == len(few)


def test_punctuality_report_counts_late_pushes_per_registration_body(client, pushers, county_staff):
    last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=3)
    for late in (False, True, True):
        day = last_month if late else last_month.replace(day=1)
        registration_push(client=pushers["441802"], record=_record(registered_on=day))
    client.force_login(county_staff)

    response = client.get("/admin/registry/registration/punctuality/")

    assert response.status_code == 200
    (row,) = [r for r in response.context["rows"] if r["month"] == last_month.replace(day=1)]
    assert (row["total"], row["on_time"], row["late"]) == (3, 0, 3)
    assert row["rate"] == 0.0


def test_punctuality_report_needs_view_permission(client, regions):
    outsider = StaffFactory(authority=AuthorityFactory(region=regions["441802"]), role="nobody")
    client.force_login(outsider)
    assert client.get("/admin/registry/registration/punctuality/").status_code == 403


def test_registrations_cannot_be_edited_or_deleted_in_the_admin(client, pushers, county_staff):
    outcome = registration_push(client=pushers["441802"], record=_record())
    client.force_login(county_staff)
    url = f"/admin/registry/registration/{outcome.registration.pk}/change/"
    assert client.get(url).status_code == 200  # viewable
    client.post(url, {"name": "改名"})
    outcome.registration.refresh_from_db()
    assert outcome.registration.name == "测试托育有限公司"
    assert client.get(f"/admin/registry/registration/{outcome.registration.pk}/delete/").status_code == 403


def test_conflict_is_resolved_with_a_note_and_who(client, regions, pushers, county_staff):
    record = _record()
    registration_push(client=pushers["441802"], record=record)
    other_market = api_client_create(
        authority=AuthorityFactory(kind=Authority.Kind.MARKET_REGULATION, region=regions["441800"]),
        name="city",
    )[0]
    assert registration_push(client=other_market, record=record).status == 409
    conflict = RegistrationConflict.objects.get()
    client.force_login(county_staff)

    response = client.post(
        f"/admin/registry/registrationconflict/{conflict.pk}/change/",
        {"resolution": "已与市市场监管局核实，由县局登记。", "mark_resolved": "on"},
    )

    assert response.status_code == 302
    conflict.refresh_from_db()
    assert conflict.resolved_at is not None
    assert conflict.history.latest().history_user == county_staff


def test_api_client_created_in_admin_shows_token_once_and_stores_its_hash(client, regions):
    authority = AuthorityFactory(kind=Authority.Kind.MARKET_REGULATION, region=regions["441802"])
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin_user)

    response = client.post(
        "/admin/registry/apiclient/add/", {"authority": authority.pk, "name": "市场监管登记系统"}, follow=True
    )

    shown = [str(m) for m in response.context["messages"]]
    # The full token appears once; the success message names the client by its 8-character hint only.
    (token,) = [match for m in shown for match in re.findall(r"cc_[A-Za-z0-9_-]{20,}", m)]
    stored = ApiClient.objects.get()
    assert stored.key_hash == hash_token(token)
    assert stored.user.authority == authority
    assert token not in str(ApiClient.objects.values().get())


def test_revoke_asks_for_confirmation_then_revokes(client, regions):
    authority = AuthorityFactory(kind=Authority.Kind.MARKET_REGULATION, region=regions["441802"])
    api_client, _token = api_client_create(authority=authority, name="x")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    data = {"action": "revoke", "_selected_action": [api_client.pk]}

    confirmation = client.post("/admin/registry/apiclient/", data)
    assert confirmation.status_code == 200
    api_client.refresh_from_db()
    assert api_client.revoked_at is None

    client.post("/admin/registry/apiclient/", {**data, "post": "yes"})
    api_client.refresh_from_db()
    assert api_client.revoked_at is not None


def test_idempotency_keys_are_kept_a_day_then_purged(regions):
    authority = AuthorityFactory(kind=Authority.Kind.MARKET_REGULATION, region=regions["441802"])
    api_client, _token = api_client_create(authority=authority, name="x")
    record = IdempotencyRecord.objects.create(client=api_client, key="k", request_hash="h")
    now = timezone.now()

    assert idempotency_purge(now=now + datetime.timedelta(hours=25)) == 0
    assert idempotency_purge(now=now + datetime.timedelta(hours=49)) == 1
    assert not IdempotencyRecord.objects.filter(pk=record.pk).exists()
