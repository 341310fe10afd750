"""Password guessing: after a few wrong passwords an account, and an address, are paused with a clear
Chinese page, the right password no longer works until the pause ends or staff unlock it, and every
attempt is logged."""

import pytest
from axes.models import AccessAttempt, AccessLog

from tests.factories import StaffFactory, UserFactory

LOGINS = ["/admin/login/", "/portal/login/"]


def guess(client, url, username, password, address="203.0.113.7"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.fixture
def limit(settings):
    return settings.AXES_FAILURE_LIMIT


@pytest.mark.parametrize("url", LOGINS)
def test_the_account_is_paused_after_the_limit_and_the_right_password_waits(db, client, url, limit):
    person = StaffFactory(username="clerk") if "admin" in url else UserFactory(username="clerk")
    person.set_password("Right-pass-2026")
    person.save()
    for _ in range(limit - 1):
        assert guess(client, url, "clerk", "wrong").status_code == 200  # the form again, with its error
    locked = guess(client, url, "clerk", "wrong")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "登录已暂停" in page and "30" in page
    right = guess(client, url, "clerk", "Right-pass-2026")
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_account_stays_paused_from_another_address(db, client, limit):
    UserFactory(username="clerk")
    for _ in range(limit):
        guess(client, "/portal/login/", "clerk", "wrong", address="203.0.113.7")
    assert guess(client, "/portal/login/", "clerk", "pw", address="198.51.100.9").status_code == 429


def test_an_address_guessing_many_accounts_is_paused(db, client, limit):
    for n in range(limit):
        guess(client, "/portal/login/", f"someone-{n}", "wrong", address="203.0.113.99")
    UserFactory(username="innocent")
    assert guess(client, "/portal/login/", "innocent", "pw", address="203.0.113.99").status_code == 429
    assert guess(client, "/portal/login/", "innocent", "pw", address="198.51.100.10").status_code == 302


def test_staff_unlock_an_account_in_the_admin_and_the_attempts_are_logged(db, client, limit):
    UserFactory(username="clerk")
    for _ in range(limit):
        guess(client, "/portal/login/", "clerk", "wrong")
    assert AccessAttempt.objects.filter(username="clerk").exists()
    admin = StaffFactory(is_superuser=True)
    client.force_login(admin)
    attempt = AccessAttempt.objects.get(username="clerk")
    page = client.get("/admin/axes/accessattempt/")
    assert page.status_code == 200 and "clerk" in page.content.decode()
    client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    client.logout()
    assert guess(client, "/portal/login/", "clerk", "pw").status_code == 302
    assert AccessLog.objects.filter(username="clerk").exists()


def test_a_successful_sign_in_clears_earlier_failures(db, client, limit):
    UserFactory(username="clerk")
    for _ in range(limit - 1):
        guess(client, "/portal/login/", "clerk", "wrong")
    assert guess(client, "/portal/login/", "clerk", "pw").status_code == 302
    client.logout()
    for _ in range(limit - 1):
        assert guess(client, "/portal/login/", "clerk", "wrong").status_code == 200


def via_proxy(client, username, password, forwarded):
    """A sign-in that reached us through one proxy (REMOTE_ADDR) which appended the client's address."""
    data = {"username": username, "password": password}
    return client.post("/portal/login/", data, REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=forwarded)


def test_behind_a_proxy_each_client_is_counted_by_the_address_the_proxy_added(db, client, settings, limit):
    """One guesser must not pause sign-in for everyone behind the proxy, and a client cannot dodge the
    count by writing its own X-Forwarded-For."""
    settings.LOGIN_PROXY_COUNT = 1
    for n in range(limit):  # a forged left part, the real right part
        via_proxy(client, f"guess-{n}", "wrong", f"198.51.100.{n}, 203.0.113.66")
    UserFactory(username="colleague")
    assert via_proxy(client, "colleague", "pw", "203.0.113.77").status_code == 302
    client.logout()
    assert via_proxy(client, "colleague", "pw", "192.0.2.1, 203.0.113.66").status_code == 429
