"""The smaller findings of the security review: an open redirect, an empty upload, production settings
that would throttle per process or warn in the deployment check."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from filing.selectors import required_materials
from filing.services import filing_start
from tests.factories import StaffFactory
from tests.filing.conftest import FORM
from tests.test_settings import production_env, run


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "http:evil.example", "/\\evil.example"]
)
def test_mark_all_read_never_redirects_to_another_site(client, db, target):
    client.force_login(StaffFactory())
    response = client.post("/notifications/read-all/", {"next": target})
    assert response.status_code == 302
    assert response["Location"] == "/admin/notifications/notification/"


def test_mark_all_read_returns_to_a_page_of_this_site(client, db):
    client.force_login(StaffFactory())
    response = client.post("/notifications/read-all/", {"next": "/admin/filing/filing/?status=submitted"})
    assert response["Location"] == "/admin/filing/filing/?status=submitted"


def test_an_empty_file_is_answered_beside_the_material_with_a_clear_error(client, institution, operator):
    filing = filing_start(institution=institution, acting_user=operator)
    requirement = next(r for r in required_materials(institution.region_id) if r.required)
    client.force_login(operator)
    response = client.post(
        f"/portal/filings/{filing.pk}/",
        {
            **FORM,
            "upload": requirement.pk,
            f"material-{requirement.pk}": SimpleUploadedFile("empty.pdf", b"", "application/pdf"),
        },
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "提交的是空文件" in page
    assert not filing.materials.exists()


def test_production_refuses_to_throttle_per_process(tmp_path):
    env = production_env(tmp_path)
    del env["REDIS_URL"]
    result = run(env, "manage.py", "check")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "REDIS_URL" in result.stderr
    off = run({**env, "API_THROTTLE_RATE": "off"}, "manage.py", "check")
    assert off.returncode == 0, off.stderr


def test_a_proxy_that_redirects_to_https_itself_passes_the_deployment_check(tmp_path):
    env = production_env(tmp_path, PROXY_REDIRECTS_TO_HTTPS="true")
    result = run(env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    probe = run(
        env,
        "-c",
        "import django; django.setup()\n"
        "from django.conf import settings as s\n"
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER[0])\n",
    )
    assert probe.stdout.split()[-2:] == ["False", "HTTP_X_FORWARDED_PROTO"], probe.stderr


def test_the_trial_over_plain_http_is_the_only_setting_that_warns(tmp_path):
    result = run(production_env(tmp_path, SECURE_SSL_REDIRECT="false"), "manage.py", "check", "--deploy")
    assert "security.W008" in result.stdout + result.stderr
