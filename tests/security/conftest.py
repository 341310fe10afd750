# The filing suite's institution and operator, and its private media folder, serve these tests too.
from tests.filing.conftest import institution, operator, private_media  # noqa: F401
