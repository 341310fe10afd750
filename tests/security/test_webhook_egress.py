"""Webhook subscriptions cannot point the platform at itself or its network: https only, public addresses
only (checked at every delivery, since DNS can change), no redirects, and no internal page's text kept."""

import http.server
import socket
import threading
import time

import pytest

from notifications.forms import SubscriptionForm
from notifications.models import Delivery, DeliveryAttempt, WebhookSubscription
from notifications.services import deliver, publish
from notifications.services.egress import address_allowed
from notifications.services.webhooks import MAX_RETRY_AFTER, Event, _retry_after
from registry.models import Authority
from tests.factories import AuthorityFactory

SECRET_PAGE = "internal readiness: database=ok secret-token=abc123"


class Internal:
    """A local server standing for an internal service: answers with a page, or a redirect."""

    def __init__(self, status=200, location=None):
        page = SECRET_PAGE.encode()
        self.hits = 0
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                outer.hits += 1
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                self.send_header("content-length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fire(regions):
    return AuthorityFactory(kind=Authority.Kind.FIRE, region=regions["441800"])


@pytest.fixture
def production_egress(settings):
    """The defaults outside the test suite: https only, no private networks."""
    settings.WEBHOOK_ALLOW_HTTP = False
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    return settings


def attempt(fire, url):
    subscription = WebhookSubscription.objects.create(
        authority=fire, url=url, event_types=["monthly_push.report"]
    )
    publish([Event("monthly_push.report", f"k-{url}", {"x": 1}, "441802")], [subscription])
    delivery = Delivery.objects.get(subscription=subscription)
    deliver(delivery.pk)
    delivery.refresh_from_db()
    return delivery, DeliveryAttempt.objects.get(delivery=delivery)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.5",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # carrier-grade NAT
        "0.0.0.0",
        "::1",
        "fe80::1",
        "fd00::1",
        "::ffff:127.0.0.1",
        "224.0.0.1",
        "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
        "64:ff9b::a9fe:a9fe",  # NAT64 of the metadata address
        "2002:a00:1::",  # 6to4 of 10.0.0.1
        "::127.0.0.1",  # IPv4-compatible loopback
        "::ffff:0:a00:1",  # SIIT of 10.0.0.1
        "fec0::1",  # site-local
    ],
)
def test_non_public_addresses_are_refused(production_egress, address):
    assert not address_allowed(address)


def test_public_addresses_pass(production_egress):
    assert address_allowed("93.184.216.34") and address_allowed("2606:2800:220:1::1")


def test_a_delivery_to_loopback_is_refused_without_a_request(db, regions, fire, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = []  # http stays allowed: the address alone must stop it
    with Internal() as internal:
        delivery, tried = attempt(fire, internal.url + "/readyz")
    assert internal.hits == 0
    assert delivery.status == Delivery.Status.PENDING and tried.status_code is None
    assert "不是公网地址" in tried.error or "not public" in tried.error


def test_a_name_that_resolves_to_a_private_address_at_delivery_time_is_refused(
    db, regions, fire, settings, monkeypatch
):
    """Saved while the name pointed elsewhere; at delivery it resolves to the metadata address."""
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("169.254.169.254", 443))],
    )
    _delivery, tried = attempt(fire, "https://receiver.fire.example/hook")
    assert tried.status_code is None and tried.error


def test_plain_http_is_refused_unless_the_operator_allows_it(db, regions, fire, production_egress):
    _delivery, tried = attempt(fire, "http://93.184.216.34/hook")
    assert tried.status_code is None and "https" in tried.error


def test_redirects_are_not_followed_and_answers_are_kept_short_and_clean(db, regions, fire):
    with Internal(status=302, location="http://169.254.169.254/latest/meta-data/") as internal:
        delivery, tried = attempt(fire, internal.url)
    assert internal.hits == 1 and tried.status_code == 302
    assert delivery.status == Delivery.Status.PENDING  # a failed attempt, retried later
    assert len(tried.response) <= 200


def test_connection_errors_are_described_in_fixed_words(db, regions, fire):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    _delivery, tried = attempt(fire, f"http://127.0.0.1:{port}/")
    assert tried.status_code is None
    assert tried.error in {"connection refused", "拒绝连接", "连接被拒绝"}


@pytest.mark.parametrize(
    "url",
    [
        "http://receiver.example/hook",
        "ftp://receiver.example/hook",
        "file:///etc/passwd",
        "https://127.0.0.1/hook",
        "https://[::1]/hook",
        "https://169.254.169.254/latest/",
        "https://user:pw@93.184.216.34/hook",
        "https://93.184.216.34:99999/hook",
    ],
)
def test_the_subscription_form_refuses_what_delivery_would(db, regions, fire, production_egress, url):
    form = SubscriptionForm(
        data={
            "authority": fire.pk,
            "url": url,
            "secret": "whsec_" + "A" * 32,
            "event_types": ["monthly_push.report"],
            "active": "on",
        }
    )
    assert not form.is_valid()
    assert "url" in form.errors


class Trickle(Internal):
    """A receiver that answers one header line every 0.3 s, for ever: each read returns in time."""

    def __init__(self):
        outer = self
        self.hits = 0

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                outer.hits += 1
                self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                try:
                    for n in range(100):
                        self.wfile.write(f"x-slow-{n}: 1\r\n".encode())
                        self.wfile.flush()
                        time.sleep(0.3)
                except OSError:
                    pass

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def test_a_receiver_that_trickles_its_answer_is_cut_off_at_the_timeout(db, regions, fire, settings):
    settings.WEBHOOK_TIMEOUT = 1.0
    with Trickle() as slow:
        started = time.monotonic()
        delivery, tried = attempt(fire, slow.url)
        took = time.monotonic() - started
    assert took < 4, took
    assert tried.status_code is None and tried.error
    assert delivery.status == Delivery.Status.PENDING and delivery.next_attempt_at is not None


@pytest.mark.parametrize(
    "value", ["99999999999999999999", "Wed, 21 Oct 2015 07:28:00 -0000", "Sun, 99 Foo 10000 99:99:99", "soon"]
)
def test_an_odd_retry_after_never_breaks_the_retry_schedule(value):
    found = _retry_after(value)
    assert found is None or 0 <= found <= MAX_RETRY_AFTER
