import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_pages_speak_chinese_even_to_an_english_browser(client):
    response = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "zh-hans"


def test_a_person_who_chose_english_gets_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get("/admin/")
    assert response.headers["Content-Language"] == "en"


def test_the_api_answers_in_the_requested_language(client):
    english = client.get("/api/v1/registrations/", HTTP_ACCEPT_LANGUAGE="en")
    chinese = client.get("/api/v1/registrations/")
    assert english.json()["message"] == "Authentication credentials were not provided."
    assert chinese.headers["Content-Language"] == "zh-hans"
    assert chinese.json()["message"] != english.json()["message"]


def test_our_strings_are_translated_to_chinese(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    page = client.get("/admin/").content.decode()
    assert "托育机构登记备案监管平台" in page
    assert "监管工作台" in page
