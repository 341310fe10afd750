"""Bad input to the API is a 400 (or 413) in the documented error shape, never a server error or an
HTML page; NUL bytes in the admin's filters are refused before they reach the database."""

import base64
import json

import pytest

from tests.factories import StaffFactory
from tests.registry.test_push_api import URL, api_for, assert_error_shape, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(regions):
    return api_for(regions)


@pytest.mark.parametrize(
    "value",
    [
        "2026-11-01T00:00:00+16:00",
        "2026-11-01T00:00:00+23:59",
        "2026-11-01T00:00:00+24:00",
        "2026-13-45",
        "2026-13-45T00:00:00",
        "0001-01-01T00:00:00+16:00",
        "9999-12-31T23:59:59-16:00",
        "yesterday",
    ],
)
def test_a_bad_updated_since_is_a_400_naming_it(api, value):
    response = api.get(URL, {"updated_since": value})
    if response.status_code == 200:  # a valid instant after all: +16:00 is a legal offset
        return
    assert response.status_code == 400
    assert_error_shape(response.json(), 400, "invalid")
    assert "updated_since" in response.json()["errors"]


def test_an_offset_far_from_utc_still_filters_correctly(api):
    api.post(URL, record(), format="json")
    assert len(api.get(URL, {"updated_since": "2000-01-01T00:00:00+16:00"}).json()["results"]) == 1
    assert api.get(URL, {"updated_since": "9999-12-31T23:59:59-16:00"}).status_code in {200, 400}


def test_a_nul_byte_in_the_uscc_path_is_a_400(api):
    response = api.get(URL + "91441802%00ABC/")
    assert response.status_code == 400
    assert_error_shape(response.json(), 400, "invalid_characters")


def test_json_nested_a_thousand_levels_deep_is_a_400(api):
    body = "[" * 950 + "]" * 950
    response = api.generic("POST", URL, body, content_type="application/json")
    assert response.status_code == 400
    assert_error_shape(response.json(), 400, "parse_error")


def test_a_body_over_the_limit_is_a_413_in_json(api, settings):
    body = json.dumps(
        {"records": [record()] * 1, "padding": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)}
    )
    for headers in ({}, {"HTTP_IDEMPOTENCY_KEY": "big-1"}):
        response = api.generic("POST", URL, body, content_type="application/json", **headers)
        assert response.status_code == 413
        assert response["Content-Type"].startswith("application/json")
        assert_error_shape(response.json(), 413, "request_too_large")


@pytest.mark.parametrize("field", ["registered_on", "cancelled_on"])
def test_dates_near_year_one_are_refused_not_a_server_error(api, field):
    data = (
        record(registered_on="0001-01-01")
        if field == "registered_on"
        else record(status="cancelled", registered_on="2020-01-01", cancelled_on="0001-01-02")
    )
    response = api.post(URL, data, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][field][0]["code"] == "too_early"


def test_a_form_encoded_body_is_refused_as_unsupported(api):
    response = api.post(URL, {"uscc": "x"})  # multipart
    assert response.status_code == 415
    assert_error_shape(response.json(), 415, "unsupported_media_type")


@pytest.mark.parametrize(
    "url",
    [
        "/admin/registry/institution/?filing_status=filed%00",
        "/admin/registry/institution/?q=%00",
        "/admin/registry/registration/?county=441802%00",
        "/admin/filing/filing/?status%00=submitted",
    ],
)
def test_nul_bytes_in_admin_filters_are_a_400(client, regions, url):
    client.force_login(StaffFactory(is_superuser=True))
    assert client.get(url).status_code == 400


def test_a_hand_made_cursor_is_a_400_naming_it(api):
    forged = base64.b64encode(b"o=0&p=abc").decode()
    response = api.get(URL, {"cursor": forged})
    assert response.status_code == 400
    assert "cursor" in response.json()["errors"]
