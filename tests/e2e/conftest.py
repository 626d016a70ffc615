"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Playwright's sync API runs an event loop in the test's thread, so Django's "async unsafe"
guard would refuse the ORM calls the tests make to set up data; allow them here only.
"""

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    """Mark every test in this folder (and only this folder) as e2e."""
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch the system Chromium: Playwright cannot download its own browsers here."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is not installed (apt-get install chromium); browser tests need it"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}. CI must run them, so this is a failure, not a skip.")
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": browser_type_launch_args.get("headless", True),
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS],
    }
