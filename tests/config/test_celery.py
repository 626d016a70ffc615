"""Celery is configured on Redis and its broker is reachable (the real one, not a mock)."""

from django.conf import settings

from config.celery import app


def test_celery_uses_redis_with_late_acknowledgement():
    assert app.conf.broker_url.startswith("redis://")
    assert app.conf.task_acks_late is True
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1


def test_the_redis_broker_answers():
    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1)
        assert connection.connected
