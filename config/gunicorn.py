"""gunicorn's settings for production: `gunicorn -c config/gunicorn.py config.wsgi`.
Synchronous workers (the app does no long polling); a request that takes longer than the
timeout is a defect to fix, not to wait for. Everything can be set from the environment."""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = 20
max_requests = 2000  # recycle workers now and then: a slow leak never takes a server down
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
# Behind the council's load balancer, which sets X-Forwarded-For / -Proto.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
