"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Playwright's sync API keeps an event loop running in the test thread from its start to the
end of the session, so Django's "async unsafe" guard would refuse the ORM calls the tests
make to set up data. The guard is lifted for exactly that loop's lifetime (see `playwright`
below), and the browser tests run after every other test, so no other test runs without it.
"""

import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

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
# The server's clock for every browser test: a Monday morning, running on from there (the
# browser and Playwright keep their own time). Journeys schedule meetings "today, later",
# which the real clock refuses late in the evening. Cookies carry Max-Age, which Chromium
# prefers to Expires, so a session begun "in the past" still holds.
E2E_MOMENT = dt.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.hookimpl(tryfirst=True)  # before time-machine's hook, which acts on the marker
def pytest_collection_modifyitems(config, items):
    """Mark every test in this folder (and only this folder) as e2e, pin its server clock,
    and run them last."""
    browser = [item for item in items if HERE in Path(item.path).resolve().parents]
    for item in browser:
        item.add_marker(pytest.mark.e2e)
        if not item.get_closest_marker("time_machine"):
            item.add_marker(pytest.mark.time_machine(E2E_MOMENT, tick=True))
    items[:] = [item for item in items if item not in browser] + browser


@pytest.fixture(scope="session")
def _orm_beside_an_event_loop():
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def playwright(_orm_beside_an_event_loop, playwright):
    """pytest-playwright's Playwright, with Django's async-unsafe guard lifted from before
    its event loop starts until after it stops (the guard's fixture is set up first and torn
    down last)."""
    return playwright


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


@pytest.fixture
def page(page):
    """pytest-playwright's page, failing the test on any Content-Security-Policy violation
    (ADR 0012): a blocked script or style is a page that silently lost its behaviour or its
    look, which the journey's assertions might not notice."""
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    assert not refused, "Content-Security-Policy violations:\n" + "\n".join(refused)
