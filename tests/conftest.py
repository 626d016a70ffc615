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
