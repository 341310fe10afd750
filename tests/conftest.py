import os
import shutil

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry.workdays import forget_calendar
from tests.factories import region_tree


@pytest.fixture(autouse=True)
def fresh_calendar():
    """Each test reads the holiday table of its own database, never one a previous test cached."""
    forget_calendar()
    yield
    forget_calendar()


@pytest.fixture
def regions(db):
    return region_tree()


@pytest.fixture
def assert_max_queries():
    """`with assert_max_queries(n): ...` fails when the block runs more than n queries."""

    class _Counter:
        def __init__(self, limit):
            self.limit = limit
            self.ctx = CaptureQueriesContext(connection)

        def __enter__(self):
            self.ctx.__enter__()
            return self.ctx

        def __exit__(self, *exc):
            self.ctx.__exit__(*exc)
            if exc[0] is None:
                executed = len(self.ctx.captured_queries)
                sql = "\n".join(q["sql"] for q in self.ctx.captured_queries)
                assert executed <= self.limit, f"{executed} queries, at most {self.limit} expected:\n{sql}"

    return _Counter


def pytest_collection_modifyitems(config, items):
    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def browser_page(live_server, monkeypatch):
    """A Playwright page in headless Debian Chromium, pointed at the live test server.

    Skipped where no Chromium is installed (a newcomer's machine), but CI sets BROWSER_TESTS_REQUIRED so a
    missing browser fails there instead of passing silently."""
    if CHROMIUM is None:
        if os.environ.get("BROWSER_TESTS_REQUIRED"):
            pytest.fail("Chromium is required for the browser tests but is not installed")
        pytest.skip("no chromium on this machine (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright runs an event loop in this thread; allowed for this test only.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.base_url = live_server.url
        try:
            yield page
        finally:
            context.close()
            browser.close()


@pytest.fixture(autouse=True)
def _cache_cleared():
    """Cached counts (the public directory's), request budgets and lockouts never carry over between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
