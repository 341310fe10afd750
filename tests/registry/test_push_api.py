"""The registration push API against CONTRACT.md: every status code, rule, route and region, idempotency,
conflicts, batches, reading back."""

import datetime
import hashlib
import io
import re

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from filing.models import AnnualReport
from registry.api.serializers import RegistrationOutput
from registry.api.throttling import ApiClientRateThrottle
from registry.models import ApiClient, Authority, Institution, Registration, RegistrationConflict
from registry.services import api_client_create, api_client_revoke
from registry.uscc import uscc_with_check
from tests.factories import AuthorityFactory, UserFactory, make_uscc

pytestmark = pytest.mark.django_db
K = Authority.Kind
URL = "/api/v1/registrations/"
BATCH = "/api/v1/registrations/batch/"
PREFIX = {"public_institution": "12", "social_service": "52", "enterprise": "91", "kindergarten": "52"}


def record(county="441802", route="enterprise", **overrides):
    data = {
        "uscc": make_uscc(county, PREFIX.get(route, "91")),
        "name": "清远市某某托育服务有限公司",
        "route": route,
        "region_code": county,
        "address": "清城区某路1号",
        "legal_representative": "张三",
        "registered_on": timezone.localdate().isoformat(),
        "business_scope": "3岁以下婴幼儿照护服务（全日托、半日托）",
        "service_types": ["full_day", "half_day"],
        "employer_run": False,
        "status": "active",
        "cancelled_on": None,
    }
    data.update(overrides)
    return data


def api_for(regions, kind=K.MARKET_REGULATION, code="441802", **headers):
    _client, token = api_client_create(authority=AuthorityFactory(kind=kind, region=regions[code]), name=kind)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}", **headers)
    return api


@pytest.fixture
def api(regions):
    return api_for(regions)


def assert_error_shape(body, status, code):
    assert set(body) == {"status", "code", "message", "errors"}
    assert (body["status"], body["code"]) == (status, code)
    for items in body["errors"].values():
        assert all(set(item) == {"code", "message"} for item in items)


def field_code(response, field):
    return response.json()["errors"][field][0]["code"]


def history_rows():
    return Registration.history.count() + Institution.history.count()


# --- success --------------------------------------------------------------------------------------


def test_create_update_unchanged(api):
    data = record()
    created = api.post(URL, data, format="json")
    assert created.status_code == 201
    body = created.json()
    assert body["result"] == "created"
    assert body["filing_status"] == "unfiled"
    assert body["record"]["uscc"] == data["uscc"]
    assert body["record"]["registering_authority"]

    before = history_rows()
    again = api.post(URL, data, format="json")
    assert (again.status_code, again.json()["result"]) == (200, "unchanged")
    assert history_rows() == before

    changed = api.post(URL, {**data, "address": "清城区新路2号"}, format="json")
    assert (changed.status_code, changed.json()["result"]) == (200, "updated")
    assert Institution.objects.get(uscc=data["uscc"]).address == "清城区新路2号"
    assert Registration.objects.count() == 1


def test_cancellation_is_a_status_and_ends_the_filing(api):
    data = record()
    api.post(URL, data, format="json")
    today = timezone.localdate().isoformat()
    response = api.post(URL, {**data, "status": "cancelled", "cancelled_on": today}, format="json")
    assert response.json()["record"]["status"] == "cancelled"
    assert response.json()["filing_status"] == "terminated"
    assert Registration.objects.filter(status="cancelled").count() == 1


def test_late_push_and_flagged_business_scope(api):
    last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    late = api.post(URL, record(registered_on=last_month.isoformat()), format="json").json()
    assert late["flags"] == ["late"] and late["record"]["late"] is True
    on_time = api.post(URL, record(), format="json").json()
    assert on_time["flags"] == [] and on_time["record"]["late"] is False
    flagged = api.post(URL, record(business_scope="餐饮服务"), format="json")
    assert flagged.status_code == 201
    assert flagged.json()["flags"] == ["business_scope_not_childcare"]
    assert flagged.json()["record"]["business_scope_flagged"] is True


# --- 400 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"uscc": "91441802MA5XY1234A"}, "uscc", "invalid_checksum"),
        ({"uscc": "91441802MA5XY12"}, "uscc", "invalid_length"),
        ({"uscc": uscc_with_check("52441802MJ0000001")}, "uscc", "route_mismatch_first_character"),
        (
            {"uscc": uscc_with_check("11441802MB0000001"), "route": "public_institution"},
            "uscc",
            "route_mismatch_second_character",
        ),
        ({"region_code": "999999"}, "region_code", "unknown_region"),
        ({"region_code": "441800"}, "region_code", "not_county"),
        ({"region_code": "4418"}, "region_code", "invalid"),
        ({"registered_on": "2999-01-01"}, "registered_on", "future_date"),
        ({"registered_on": "12/10/2026"}, "registered_on", "invalid"),
        ({"route": "school"}, "route", "invalid_choice"),
        ({"service_types": ["overnight"]}, "service_types.0", "invalid_choice"),
        ({"status": "cancelled"}, "cancelled_on", "required"),
        ({"cancelled_on": "2026-01-01"}, "cancelled_on", "not_cancelled"),
    ],
)
def test_each_rule_answers_400_naming_the_field(api, overrides, field, code):
    response = api.post(URL, record(**overrides), format="json")
    assert response.status_code == 400
    assert_error_shape(response.json(), 400, "invalid")
    assert any(item["code"] == code for item in response.json()["errors"][field])
    assert not Institution.objects.exists()


@pytest.mark.parametrize(
    "field",
    [
        "uscc",
        "name",
        "route",
        "region_code",
        "address",
        "legal_representative",
        "registered_on",
        "business_scope",
    ],
)
def test_each_missing_required_field(api, field):
    data = record()
    del data[field]
    response = api.post(URL, data, format="json")
    assert response.status_code == 400
    assert field_code(response, field) == "required"


def test_kindergarten_accepts_public_non_profit_and_company_codes(regions):
    """Public (12), private non-profit (52) and for-profit company (91) kindergartens; not a sole trader."""
    api = api_for(regions, K.EDUCATION)
    assert api.post(URL, record(route="kindergarten"), format="json").status_code == 201
    public = record(route="kindergarten", uscc=make_uscc("441802", "12"))
    assert api.post(URL, public, format="json").status_code == 201
    company = record(route="kindergarten", uscc=make_uscc("441802", "91"))
    assert api.post(URL, company, format="json").status_code == 201
    sole_trader = record(route="kindergarten", uscc=make_uscc("441802", "92"))
    assert field_code(api.post(URL, sole_trader, format="json"), "uscc") == "route_mismatch_second_character"
    charity = record(route="kindergarten", uscc=make_uscc("441802", "31"))
    assert field_code(api.post(URL, charity, format="json"), "uscc") == "route_mismatch_first_character"


def test_messages_follow_the_request_language(regions):
    data = record()
    del data["name"]
    english = api_for(regions, HTTP_ACCEPT_LANGUAGE="en").post(URL, data, format="json")
    chinese = api_for(regions, K.CIVIL_AFFAIRS).post(URL, data, format="json")
    assert english.json()["errors"]["name"][0]["message"] == "This field is required."
    assert chinese.json()["errors"]["name"][0]["message"] == "此项为必填项。"


# --- 403 ------------------------------------------------------------------------------------------

ALLOWED = {
    K.ESTABLISHMENT: {"public_institution"},
    K.CIVIL_AFFAIRS: {"social_service"},
    K.MARKET_REGULATION: {"enterprise"},
    K.ADMIN_APPROVAL: {"social_service", "enterprise"},
    K.EDUCATION: {"kindergarten"},
    K.HEALTH: set(),
}


@pytest.mark.parametrize("kind", list(ALLOWED))
def test_each_authority_kind_pushes_its_routes_and_no_other(regions, kind):
    api = api_for(regions, kind)
    for route in PREFIX:
        response = api.post(URL, record(route=route), format="json")
        if route in ALLOWED[kind]:
            assert response.status_code == 201, (kind, route, response.json())
        else:
            assert response.status_code == 403, (kind, route)
            assert_error_shape(response.json(), 403, "forbidden")
            assert field_code(response, "route") == "route_forbidden"


def test_region_scope_county_and_city_bodies(regions):
    county = api_for(regions, code="441802")
    response = county.post(URL, record("441803"), format="json")
    assert response.status_code == 403
    assert field_code(response, "region_code") == "region_forbidden"

    city = api_for(regions, code="441800")
    assert city.post(URL, record("441802"), format="json").status_code == 201
    assert city.post(URL, record("441803"), format="json").status_code == 201
    assert city.post(URL, record("445302"), format="json").status_code == 403


# --- 409 ------------------------------------------------------------------------------------------


def test_uscc_held_by_another_authority_is_a_recorded_conflict(regions, api):
    data = record()
    api.post(URL, data, format="json")
    rival = api_for(regions, code="441800")
    for times in (1, 2):
        response = rival.post(URL, {**data, "address": "别处"}, format="json")
        assert response.status_code == 409
        assert_error_shape(response.json(), 409, "conflict")
        assert field_code(response, "uscc") == "held_by_another_authority"
        conflict = RegistrationConflict.objects.get()
        assert conflict.times_pushed == times
    assert Institution.objects.get().address == "清城区某路1号"


# --- 401 ------------------------------------------------------------------------------------------


def test_missing_bad_revoked_and_expired_tokens_get_401(regions):
    assert APIClient().post(URL, record(), format="json").status_code == 401
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token cc_not-a-token")
    assert_error_shape(bad.post(URL, record(), format="json").json(), 401, "authentication_failed")

    client, token = api_client_create(
        authority=AuthorityFactory(kind=K.MARKET_REGULATION, region=regions["441802"]), name="x"
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get(URL).status_code == 200
    client.refresh_from_db()
    assert client.last_used_at is not None
    api_client_revoke(client=client)
    assert api.get(URL).status_code == 401
    client.revoked_at, client.expires_at = None, timezone.now() - datetime.timedelta(minutes=1)
    client.save()
    assert api.get(URL).status_code == 401


# --- idempotency ----------------------------------------------------------------------------------


def test_idempotency_key_replays_the_first_answer_and_refuses_another_body(regions):
    api = api_for(regions)
    data = record()
    first = api.post(URL, data, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    Institution.objects.update(address="changed meanwhile")  # a replay must not write again
    replay = api.post(URL, data, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert (replay.status_code, replay.json()) == (first.status_code, first.json())
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert Institution.objects.get().address == "changed meanwhile"

    other = api.post(URL, {**data, "name": "另一个"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert other.status_code == 422
    assert_error_shape(other.json(), 422, "idempotency_key_reused")

    # Keys belong to a client: another registration body may use the same key.
    other_client = api_for(regions, K.CIVIL_AFFAIRS)
    assert (
        other_client.post(
            URL, record(route="social_service"), format="json", HTTP_IDEMPOTENCY_KEY="k-1"
        ).status_code
        == 201
    )


# --- batches --------------------------------------------------------------------------------------


def test_batch_saves_every_valid_record_and_reports_each_bad_one(api):
    good = record()
    bad = record(uscc="91441802MA5XY1234A")
    elsewhere = record("441803")
    body = {"records": [good, bad, "not an object", elsewhere, {**good, "address": "dup"}]}
    response = api.post(BATCH, body, format="json")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["index"] for r in results] == [0, 1, 2, 3, 4]
    assert results[0]["result"] == "created" and results[0]["uscc"] == good["uscc"]
    assert results[1]["status"] == 400 and results[1]["errors"]["uscc"][0]["code"] == "invalid_checksum"
    assert (
        results[2]["status"] == 400 and results[2]["errors"]["non_field_errors"][0]["code"] == "not_an_object"
    )
    assert results[3]["status"] == 403
    assert results[4]["errors"]["uscc"][0]["code"] == "duplicate_in_batch"
    assert list(Institution.objects.values_list("uscc", flat=True)) == [good["uscc"]]


def test_batch_limits(api):
    assert api.post(BATCH, {"records": [record()] * 1001}, format="json").status_code == 413
    assert_error_shape(
        api.post(BATCH, {"records": [record()] * 1001}, format="json").json(), 413, "too_many_records"
    )
    missing = api.post(BATCH, {}, format="json")
    assert missing.status_code == 400 and field_code(missing, "records") == "required"


def batch_queries(api, records):
    with CaptureQueriesContext(connection) as queries:
        response = api.post(BATCH, {"records": records}, format="json")
    assert response.status_code == 200
    return len(queries), response.json()["results"]


def test_a_batch_costs_a_bounded_number_of_queries_whatever_its_size(api):
    """Equal on PostgreSQL; SQLite splits each bulk insert by its bound-parameter limit, so a large batch
    there adds a few insert chunks (a couple of dozen at most, growing with the columns of the history rows),
    never a query per record. The client's last-used time is written at most once a minute, so it falls in
    the first (small) batch."""
    slack = 0 if connection.vendor == "postgresql" else 20
    small = [record() for _ in range(10)]
    large = [record() for _ in range(200)]
    small_created, _ = batch_queries(api, small)
    large_created, results = batch_queries(api, large)
    assert {r["result"] for r in results} == {"created"}
    assert large_created <= small_created + slack

    small_updated, _ = batch_queries(api, [{**r, "address": "新址"} for r in small])
    large_updated, results = batch_queries(api, [{**r, "address": "新址"} for r in large])
    assert {r["result"] for r in results} == {"updated"}
    assert large_updated <= small_updated + slack


# --- reading back ---------------------------------------------------------------------------------


def test_read_back_one_and_since(regions, api):
    first = record()
    api.post(URL, first, format="json")
    detail = api.get(f"{URL}{first['uscc']}/")
    assert detail.status_code == 200 and detail.json()["filing_status"] == "unfiled"
    assert api_for(regions, K.CIVIL_AFFAIRS).get(f"{URL}{first['uscc']}/").status_code == 404

    cutoff = timezone.now()
    later = [record() for _ in range(3)]
    for data in later:
        api.post(URL, data, format="json")
    page = api.get(URL, {"updated_since": cutoff.isoformat(), "page_size": 2}).json()
    assert len(page["results"]) == 2
    rest = api.get(page["next"]).json()
    seen = {r["uscc"] for r in page["results"] + rest["results"]}
    assert seen == {d["uscc"] for d in later}
    assert api_for(regions, K.CIVIL_AFFAIRS).get(URL).json()["results"] == []

    invalid = api.get(URL, {"updated_since": "yesterday"})
    assert invalid.status_code == 400 and field_code(invalid, "updated_since") == "invalid"
    # A parameter given twice is not quietly read as its last value (found by the schema fuzzer).
    for name, values in (("page_size", ["2", "3"]), ("updated_since", [cutoff.isoformat()] * 2)):
        twice = api.get(URL, {name: values})
        assert twice.status_code == 400 and field_code(twice, name) == "invalid"


def test_the_list_costs_the_same_queries_for_5_or_50(api):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert api.get(URL).status_code == 200
        return len(captured)

    api.post(BATCH, {"records": [record() for _ in range(5)]}, format="json")
    few = queries()
    api.post(BATCH, {"records": [record() for _ in range(45)]}, format="json")
    assert queries() == few


# --- throttling, tokens, schema -------------------------------------------------------------------


def test_throttled_client_gets_429_with_retry_after(api, monkeypatch):
    cache.clear()
    monkeypatch.setattr(ApiClientRateThrottle, "THROTTLE_RATES", {"api_client": "3/min"})
    statuses = [api.get(URL).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api.get(URL)
    assert_error_shape(response.json(), 429, "throttled")
    assert int(response.headers["Retry-After"]) > 0
    cache.clear()


def test_create_api_token_prints_the_token_last_and_stores_only_its_hash(regions):
    AuthorityFactory(kind=K.MARKET_REGULATION, region=regions["441802"])
    out = io.StringIO()
    call_command("create_api_token", "--region", "441802", "--kind", "market_regulation", stdout=out)
    token = out.getvalue().strip().splitlines()[-1]
    stored = ApiClient.objects.get()
    assert stored.key_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(ApiClient.objects.values().get())
    with pytest.raises(CommandError):
        call_command("create_api_token", "--region", "441803", "--kind", "education", stdout=io.StringIO())


def test_schema_and_docs_are_served_without_internet(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    for path in ("/api/v1/registrations/", "/api/v1/registrations/batch/", "/api/v1/registrations/{uscc}/"):
        assert path in text
    docs = client.get("/api/docs/").content.decode()
    assert not re.search(r"""(src|href)=["']https?://""", docs)


def test_an_update_of_every_kind_of_field_is_stored_and_recorded(api):
    data = record()
    api.post(URL, data, format="json")
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    changed = {
        **data,
        "registered_on": yesterday,
        "service_types": ["hourly"],
        "employer_run": True,
        "status": "cancelled",
        "cancelled_on": timezone.localdate().isoformat(),
    }
    assert api.post(BATCH, {"records": [changed]}, format="json").json()["results"][0]["result"] == "updated"
    registration = Registration.objects.select_related("institution").get()
    assert registration.registered_on.isoformat() == yesterday
    assert registration.service_types == ["hourly"]
    assert registration.employer_run is True and registration.institution.employer_run is True
    assert registration.status == "cancelled" and registration.institution.filing_status == "terminated"
    latest = registration.history.latest()
    assert latest.history_type == "~" and latest.service_types == ["hourly"]
    assert latest.history_user == ApiClient.objects.get().user
    assert (
        api.post(BATCH, {"records": [changed]}, format="json").json()["results"][0]["result"] == "unchanged"
    )


def test_the_answer_built_directly_equals_the_declared_fields(api):
    today = timezone.localdate().isoformat()
    api.post(URL, record(), format="json")
    api.post(URL, record(status="cancelled", cancelled_on=today, service_types=[]), format="json")
    with timezone.override("UTC"):
        api.post(URL, record(business_scope="餐饮服务"), format="json")
    serializer = RegistrationOutput()
    for registration in Registration.objects.select_related("institution", "authority"):
        for zone in ("Asia/Shanghai", "UTC"):
            with timezone.override(zone):
                assert serializer.to_representation(registration) == serializer.declared_representation(
                    registration
                )


def test_rows_kept_by_county_follow_an_institution_a_push_moves(regions):
    api = api_for(regions, code="441800")
    data = record(county="441802")
    assert api.post(URL, data, format="json").status_code == 201
    report = AnnualReport.objects.create(
        institution=Institution.objects.get(uscc=data["uscc"]),
        year=timezone.localdate().year - 1,
        enrolled_children=10,
        staff_total=3,
        submitted_by=UserFactory(),
    )
    assert report.region_id == "441802"
    moved = api.post(URL, {**data, "region_code": "441803"}, format="json")
    assert moved.json()["result"] == "updated"
    report.refresh_from_db()
    assert report.region_id == "441803"
