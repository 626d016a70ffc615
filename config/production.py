"""What a production configuration must be before the app starts (ADR 0012).

settings.py calls `environment()` on DJANGO_ENV first and, in production, `check()` on its
own namespace last, so a wrong deployment stops at start-up with one message listing every
problem, rather than running with a weak key, an open host list or plain-text email.
"""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured

ENVIRONMENTS = ("development", "production")
# The key development and the demo run with when SECRET_KEY is not set.
DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def environment(value: str) -> str:
    """DJANGO_ENV, refused unless it names a known environment: a typo such as "prod" must
    not quietly start with the development defaults."""
    if value not in ENVIRONMENTS:
        raise ImproperlyConfigured(
            f"DJANGO_ENV must be 'development' or 'production', not {value!r}."
        )
    return value


def _secret_key_problem(key: str, name: str = "SECRET_KEY") -> str | None:
    if not key:
        return f"{name} is not set"
    if key == DEV_SECRET_KEY:
        return f"{name} is the development key"
    # The same limits as Django's own deploy check (security.W009).
    if len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure-"):
        return (
            f"{name} is too weak (at least 50 characters, at least 5 different ones, "
            "not a django-insecure- key)"
        )
    return None


def _audit_key_problem(settings: Mapping[str, Any]) -> str | None:
    # The audit logs' chain key (ADR 0015) is its own secret: whoever holds SECRET_KEY (the
    # app's servers) must not by that alone be able to rewrite the chain.
    key = settings.get("AUDIT_LOG_KEY") or ""
    if key and key == settings.get("SECRET_KEY"):
        return "AUDIT_LOG_KEY is not set apart from SECRET_KEY (give the audit chain its own key)"
    return _secret_key_problem(key, "AUDIT_LOG_KEY")


def problems(settings: Mapping[str, Any]) -> list[str]:
    """Every way the settings (a settings module's names and values) are unsafe to serve
    case records with; empty when they are fit for production."""
    found = []
    secret = _secret_key_problem(settings.get("SECRET_KEY") or "")
    if secret:
        found.append(secret)
    audit_key = _audit_key_problem(settings)
    if audit_key:
        found.append(audit_key)

    hosts = settings.get("ALLOWED_HOSTS") or []
    if not hosts:
        found.append("ALLOWED_HOSTS is empty (comma-separated host names)")
    elif "*" in hosts:
        found.append("ALLOWED_HOSTS contains '*' (name the service's host names)")

    engine = (settings.get("DATABASES") or {}).get("default", {}).get("ENGINE", "")
    if not settings.get("DATABASE_URL"):
        found.append("DATABASE_URL is not set (for example postgres://user:pass@host:5432/db)")
    elif engine.endswith("sqlite3"):
        found.append("DATABASE_URL is a SQLite database (SQLite is for the demo only)")

    if settings.get("DEBUG"):
        found.append("DEBUG is on (set DEBUG=0)")

    if settings.get("EMAIL_BACKEND") == SMTP_BACKEND:
        tls, ssl = settings.get("EMAIL_USE_TLS"), settings.get("EMAIL_USE_SSL")
        if tls and ssl:
            found.append("EMAIL_USE_TLS and EMAIL_USE_SSL are both on (choose one)")
        elif not (tls or ssl):
            found.append("SMTP email without encryption (set EMAIL_USE_TLS=1 or EMAIL_USE_SSL=1)")
    return found


def check(settings: Mapping[str, Any]) -> None:
    """Refuse to start, naming every problem at once, unless the settings are fit for
    production."""
    found = problems(settings)
    if found:
        raise ImproperlyConfigured(
            "DJANGO_ENV=production refuses to start: " + "; ".join(found) + "."
        )
