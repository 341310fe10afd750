"""Operators manage their colleagues: the bureau approves an institution's first operator; after that the
operators approve, invite and remove their colleagues in the portal."""

import re

import pytest
from django.core.exceptions import PermissionDenied

from filing.models import OperatorSignup
from filing.services import operator_remove, signup_approve, signup_confirm, signup_create
from notifications.models import Notification
from registry.selectors import operators_by_institution
from registry.services import operator_grant
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def operators(institution):
    return set(operators_by_institution([institution.pk]).get(institution.pk, []))


def sign_up(institution, mailoutbox, capture, username="colleague"):
    with capture(execute=True):
        signup = signup_create(
            uscc=institution.uscc,
            legal_representative="张三",
            username=username,
            email=f"{username}@example.org",
            password="Tuoyu-2026-pass",
            full_name="李同事",
            phone="13900000000",
            confirm_url="http://testserver/portal/signup/confirm/{token}/",
        )
    signup_confirm(token=mailoutbox[-1].body.split("/confirm/")[1].split("/")[0])
    return OperatorSignup.objects.get(pk=signup.pk)


def test_a_colleagues_sign_up_is_decided_by_the_operators_not_the_bureau(
    client, institution, operator, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    signup = sign_up(institution, mailoutbox, django_capture_on_commit_callbacks)
    notice = Notification.objects.get(key=f"signup:{signup.pk}")
    assert notice.recipient == operator and notice.url == f"/portal/institutions/{institution.pk}/colleagues/"
    assert not Notification.objects.filter(recipient=reviewer).exists()
    with pytest.raises(PermissionDenied):
        signup_approve(signup=signup, acting_user=reviewer)

    client.force_login(operator)
    page = client.get(f"/portal/institutions/{institution.pk}/colleagues/").content.decode()
    assert "李同事" in page and "13900000000" in page
    client.post(
        f"/portal/institutions/{institution.pk}/colleagues/", {"action": "approve", "signup": signup.pk}
    )
    assert signup.user_id in operators(institution)


def test_an_operator_invites_a_colleague(
    client, institution, operator, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/portal/institutions/{institution.pk}/colleagues/",
            {"action": "invite", "email": "new@example.org"},
        )
    assert response.status_code == 302
    link = re.search(r"http://\S+/portal/invitation/\S+/", mailoutbox[-1].body).group(0)
    client.logout()
    client.post(
        link,
        {
            "username": "newcolleague",
            "full_name": "赵同事",
            "password": "Tuoyu-2026-pass",
            "password_again": "Tuoyu-2026-pass",
        },
    )
    assert len(operators(institution)) == 2


def test_an_operator_removes_a_colleague_after_confirming_but_never_the_last(client, institution, operator):
    colleague = UserFactory(first_name="钱离职")
    operator_grant(user=colleague, institution=institution)
    client.force_login(operator)
    url = f"/portal/institutions/{institution.pk}/colleagues/"
    confirm = client.get(f"{url}?remove={colleague.pk}").content.decode()
    assert "移除钱离职？" in confirm and colleague.pk in operators(institution)  # nothing removed yet
    client.post(url, {"action": "remove", "user": colleague.pk})
    assert operators(institution) == {operator.pk}

    follow = client.post(url, {"action": "remove", "user": operator.pk}, follow=True)
    assert "唯一的经办人" in follow.content.decode() and operators(institution) == {operator.pk}
    with pytest.raises(PermissionDenied):
        operator_remove(institution=institution, user=operator, acting_user=UserFactory())
