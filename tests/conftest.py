import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import region_tree


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
