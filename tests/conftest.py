import pytest


@pytest.fixture(autouse=True)
def _eager_tasks_and_memory_mail(settings):
    # Tasks run in-process and mail goes to django.core.mail.outbox in unit tests.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    # A fast hasher: the suite creates hundreds of people.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _force_login_is_both_steps(monkeypatch):
    """`client.force_login(user)` stands for the whole sign-in: the password and the second
    step (accounts/mfa.py). Tests of the second step sign in with the password instead."""
    from django.test import Client

    from tests.accounts.two_step import mark_verified

    password_only = Client.force_login

    def force_login(self, user, backend=None):
        password_only(self, user, backend)
        mark_verified(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


def pytest_collection_modifyitems(config, items):
    """A test that moves the clock must pin it before its first fixture runs, with
    `@pytest.mark.time_machine(moment, tick=False)` (or a module's pytestmark), and then move
    that one clock with `time_machine.move_to`. A clock pinned for part of a test mixes real
    time into the journey, and the test starts failing on some later date."""
    unpinned = [
        item.nodeid
        for item in items
        if "time_machine" in getattr(item, "fixturenames", ())
        and not item.get_closest_marker("time_machine")
    ]
    if unpinned:
        raise pytest.UsageError(
            "These tests move the clock without pinning it first "
            "(add @pytest.mark.time_machine(moment, tick=False)):\n  " + "\n  ".join(unpinned)
        )


@pytest.fixture
def early_help_pathway():
    """An installed early-help pathway (tests.casework.pathways): what it was asked to do."""
    from tests.casework.pathways import registered

    with registered() as calls:
        yield calls
