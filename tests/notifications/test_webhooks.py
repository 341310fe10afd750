"""The outbox and its relay: signed per Standard Webhooks, once per subscription, never lost."""

import datetime

import pytest
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from notifications.models import Delivery, DeliveryAttempt, OutboxEvent, WebhookSubscription
from notifications.services import publish, retry_now
from notifications.services.webhooks import Event, covers
from notifications.tasks import relay
from registry.models import Authority
from tests.factories import AuthorityFactory, StaffFactory
from tests.receiver import Receiver

REPORT = "monthly_push.report"


@pytest.fixture
def fire(regions):
    return AuthorityFactory(kind=Authority.Kind.FIRE, region=regions["441800"])


def subscribe(authority, url, types=(REPORT,)):
    return WebhookSubscription.objects.create(authority=authority, url=url, event_types=list(types))


def event(key="report:441802:2026-10", region="441802"):
    return Event(REPORT, key, {"region_code": region, "counts": {"registrations": 2}}, region)


def publish_and_relay(django_capture_on_commit_callbacks, events, subscriptions):
    with django_capture_on_commit_callbacks(execute=True):
        publish(events, subscriptions)


def test_the_receiver_verifies_our_signature_with_an_independent_implementation(
    fire, django_capture_on_commit_callbacks
):
    with Receiver() as receiver:
        subscription = subscribe(fire, receiver.url + "/hook")
        publish_and_relay(django_capture_on_commit_callbacks, [event()], [subscription])
    [request] = receiver.accepted()
    payload = Webhook(subscription.secret).verify(request["body"], request["headers"])
    assert payload["type"] == REPORT and payload["data"]["counts"] == {"registrations": 2}
    assert request["headers"]["webhook-id"] == OutboxEvent.objects.get().message_id
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + "A" * 32).verify(request["body"], request["headers"])


def test_publishing_twice_delivers_once(fire, django_capture_on_commit_callbacks):
    with Receiver() as receiver:
        subscription = subscribe(fire, receiver.url)
        publish_and_relay(django_capture_on_commit_callbacks, [event()], [subscription])
        publish_and_relay(django_capture_on_commit_callbacks, [event()], [subscription])
        relay()
    assert len(receiver.requests) == 1
    assert OutboxEvent.objects.count() == 1 and Delivery.objects.get().status == Delivery.Status.DELIVERED


def test_an_event_committed_before_the_relay_died_is_delivered_on_the_next_run(
    fire, django_capture_on_commit_callbacks
):
    with Receiver() as receiver:
        subscription = subscribe(fire, receiver.url)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            publish([event()], [subscription])  # committed; the relay never got to run
        assert callbacks and receiver.requests == []
        assert Delivery.objects.get().status == Delivery.Status.PENDING
        relay()
        relay()
    assert len(receiver.accepted()) == 1


def test_each_subscription_hears_its_own_region_and_below_only(regions, django_capture_on_commit_callbacks):
    with Receiver() as receiver:
        city = subscribe(
            AuthorityFactory(kind=Authority.Kind.FIRE, region=regions["441800"]), receiver.url + "/c"
        )
        county = subscribe(
            AuthorityFactory(kind=Authority.Kind.FIRE, region=regions["441803"]), receiver.url + "/n"
        )
        other = subscribe(
            AuthorityFactory(kind=Authority.Kind.FIRE, region=regions["420300"]), receiver.url + "/o"
        )
        uninterested = subscribe(
            AuthorityFactory(kind=Authority.Kind.MARKET_REGULATION, region=regions["441800"]),
            receiver.url + "/u",
            types=["monthly_push.directory"],
        )
        publish_and_relay(django_capture_on_commit_callbacks, [event()], [city, county, other, uninterested])
    assert [r["path"] for r in receiver.accepted()] == ["/c"]
    assert covers(city, "441802") and not covers(county, "441802") and covers(other, "420302")


def test_a_failing_endpoint_is_retried_later_with_backoff_and_every_attempt_logged(
    fire, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_RETRY_DELAYS = [60, 600]
    with Receiver(failures_per_message=5, status=503) as receiver:
        subscription = subscribe(fire, receiver.url)
        before = timezone.now()
        publish_and_relay(django_capture_on_commit_callbacks, [event()], [subscription])
        delivery = Delivery.objects.get()
        assert delivery.status == Delivery.Status.PENDING and delivery.attempts == 1
        assert before + datetime.timedelta(seconds=47) < delivery.next_attempt_at
        assert delivery.next_attempt_at < timezone.now() + datetime.timedelta(seconds=73)
        assert relay() == 0  # not due yet
        Delivery.objects.update(next_attempt_at=timezone.now())
        relay()
        Delivery.objects.update(next_attempt_at=timezone.now())
        relay()
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED and delivery.attempts == 3
    assert "503" in delivery.last_error
    assert list(DeliveryAttempt.objects.values_list("number", "status_code")) == [
        (1, 503),
        (2, 503),
        (3, 503),
    ]
    assert len({r["headers"]["webhook-id"] for r in receiver.requests}) == 1  # the same id on every retry


def test_retry_after_is_honoured(fire, settings, django_capture_on_commit_callbacks):
    settings.WEBHOOK_RETRY_DELAYS = [5]
    with Receiver(failures_per_message=1, status=429, headers={"Retry-After": "3600"}) as receiver:
        publish_and_relay(django_capture_on_commit_callbacks, [event()], [subscribe(fire, receiver.url)])
    assert Delivery.objects.get().next_attempt_at > timezone.now() + datetime.timedelta(minutes=59)


def test_410_gone_disables_the_subscription_and_cancels_what_is_pending(
    fire, django_capture_on_commit_callbacks
):
    with Receiver(failures_per_message=1, status=410) as receiver:
        subscription = subscribe(fire, receiver.url)
        with django_capture_on_commit_callbacks(execute=False):
            publish([event("a"), event("b")], [subscription])
        relay()
    subscription.refresh_from_db()
    assert not subscription.active and subscription.disabled_reason == "410 Gone"
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.CANCELLED}
    assert len(receiver.requests) == 1


def test_a_rerun_redelivers_only_what_never_arrived(fire, settings, django_capture_on_commit_callbacks):
    settings.WEBHOOK_RETRY_DELAYS = []
    with Receiver(failures_per_message=1) as receiver:
        good = subscribe(fire, receiver.url + "/good")
        publish_and_relay(django_capture_on_commit_callbacks, [event("delivered")], [good])
        Delivery.objects.update(status=Delivery.Status.DELIVERED)  # say it arrived
        publish_and_relay(django_capture_on_commit_callbacks, [event("lost")], [good])
        assert Delivery.objects.get(event__key="lost").status == Delivery.Status.FAILED
        sent = len(receiver.requests)
        publish_and_relay(django_capture_on_commit_callbacks, [event("delivered"), event("lost")], [good])
    assert len(receiver.requests) == sent + 1
    assert receiver.requests[-1]["headers"]["webhook-id"] == OutboxEvent.objects.get(key="lost").message_id
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.DELIVERED}


def test_staff_retry_now_from_the_admin_and_see_only_their_jurisdictions_deliveries(
    client, regions, fire, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_RETRY_DELAYS = [3600]
    with Receiver(failures_per_message=1) as receiver:
        publish_and_relay(django_capture_on_commit_callbacks, [event()], [subscribe(fire, receiver.url)])
        delivery = Delivery.objects.get()
        assert delivery.status == Delivery.Status.PENDING and delivery.next_attempt_at > timezone.now()
        staff = StaffFactory(authority=AuthorityFactory(region=regions["441800"]), role="supervising_health")
        from registry.services import roles_sync

        roles_sync()
        client.force_login(staff)
        page = client.get("/admin/notifications/delivery/")
        assert page.status_code == 200 and "report:441802:2026-10" in page.content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                "/admin/notifications/delivery/", {"action": "retry_now", "_selected_action": [delivery.pk]}
            )
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED and delivery.attempts == 2
    client.force_login(
        StaffFactory(authority=AuthorityFactory(region=regions["420300"]), role="supervising_health")
    )
    assert "report:441802:2026-10" not in client.get("/admin/notifications/delivery/").content.decode()
    assert client.get(f"/admin/notifications/delivery/{delivery.pk}/change/").status_code == 302


def test_retry_now_skips_what_was_delivered(fire, django_capture_on_commit_callbacks):
    with Receiver() as receiver:
        publish_and_relay(django_capture_on_commit_callbacks, [event()], [subscribe(fire, receiver.url)])
        assert retry_now(Delivery.objects.all()) == 0
    assert len(receiver.requests) == 1


@pytest.mark.parametrize(
    "url",
    [
        "/admin/notifications/delivery/",
        "/admin/notifications/outboxevent/",
        "/admin/notifications/webhooksubscription/",
    ],
)
def test_the_webhook_lists_cost_the_same_queries_for_few_or_many(
    client, regions, fire, url, assert_max_queries
):
    client.force_login(StaffFactory(is_superuser=True))
    subscription = subscribe(fire, "http://127.0.0.1:9/")
    publish([event("one")], [subscription])  # the test transaction never commits: nothing is sent
    client.get(url)
    with assert_max_queries(20) as few:
        client.get(url)
    for n in range(30):
        more = subscribe(fire, f"http://127.0.0.1:9/{n}")
        publish([event(f"many-{n}")], [subscription, more])
    with assert_max_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_staff_rotate_a_secret_after_confirming_and_reactivate_a_disabled_subscription(client, regions, fire):
    from registry.services import roles_sync

    roles_sync()
    subscription = subscribe(fire, "http://127.0.0.1:9/")
    WebhookSubscription.objects.filter(pk=subscription.pk).update(active=False, disabled_reason="410 Gone")
    old = subscription.secret
    client.force_login(
        StaffFactory(authority=AuthorityFactory(region=regions["441800"]), role="county_health")
    )
    url = "/admin/notifications/webhooksubscription/"
    page = client.post(url, {"action": "rotate_secret", "_selected_action": [subscription.pk]})
    assert "签名密钥" in page.content.decode()
    subscription.refresh_from_db()
    assert subscription.secret == old  # nothing happens before the confirmation
    client.post(url, {"action": "rotate_secret", "_selected_action": [subscription.pk], "post": "yes"})
    subscription.refresh_from_db()
    assert subscription.secret != old and subscription.secret.startswith("whsec_")
    client.post(url, {"action": "reactivate", "_selected_action": [subscription.pk]})
    subscription.refresh_from_db()
    assert subscription.active and subscription.disabled_reason == ""
