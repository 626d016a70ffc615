"""The Celery app. Exactly one beat in production; tasks take ids and call services."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("school_referrals")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
