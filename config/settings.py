"""Settings, read from the environment.

Development defaults are safe to run on a laptop; DJANGO_ENV=production refuses to
start unless its configuration is safe (config/production.py, checked at the end).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

from config import production

BASE_DIR = Path(__file__).resolve().parent.parent

ENVIRONMENT = production.environment(os.environ.get("DJANGO_ENV", "development"))
PRODUCTION = ENVIRONMENT == "production"

_DEV_SECRET = production.DEV_SECRET_KEY


def _env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
DEBUG = os.environ.get("DEBUG", "0" if PRODUCTION else "1") == "1"
ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS")

_DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/school_referrals"
DATABASE_URL = os.environ.get("DATABASE_URL", "" if PRODUCTION else _DEFAULT_DATABASE_URL)

# Without a URL (production only) the check at the end refuses to start.
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60) if DATABASE_URL else {}
}
if DATABASES["default"].get("ENGINE") == "django.db.backends.sqlite3":
    # SQLite is for the demo only; give it room for the web process and the scheduler.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "csp",  # django-csp: the Content-Security-Policy header (ADR 0012)
    # Two-step verification (accounts/mfa.py, docs/decisions/0016).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "audit",
    "accounts",
    "referrals",
    "notifications",
    "panels",
    "school_assessments",
    "self_assessments",
    "safety_summits",
    "demo_data",
]
# The demo command makes people with one shared, printed password: never in production.
if PRODUCTION:
    INSTALLED_APPS.remove("demo_data")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside the rest, so every response, a CSRF failure's too, gets the headers (ADR 0012).
    "config.headers.SecurityHeaders",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Each page refused to someone signed in goes in the security log (accounts/refusals.py).
    "accounts.refusals.LogRefusals",
    # Signed out after 30 idle minutes or 8 hours (accounts/idle.py).
    "accounts.idle.SessionLimits",
    # Nothing but the second step until it is done (accounts/mfa.py).
    "accounts.mfa.RequireSecondStep",
    # Logs each case a page showed, one row per case, after a 200 (casework/reads.py).
    "casework.reads.CaseReadLog",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
                "accounts.context_processors.session_limits",
                "notifications.context_processors.inbox_and_health",
                "casework.context_processors.pathway_navigation",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "full_name")},  # this User's names
    },
    # Length over complexity (NCSC): at least 12 characters, no composition rules.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where collectstatic puts the files WhiteNoise serves in production.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
_GOVUK = BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"
if _GOVUK.exists():
    STATICFILES_DIRS.append(("govuk", _GOVUK))
# GOV.UK's accessible-autocomplete, for school pickers (ADR 0011); pinned in package.json.
_AUTOCOMPLETE = BASE_DIR / "node_modules" / "accessible-autocomplete" / "dist"
if _AUTOCOMPLETE.exists():
    STATICFILES_DIRS.append(("accessible-autocomplete", _AUTOCOMPLETE))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# History is read on the configuration pages, never reverted: a revert would change access
# without the security log (accounts.admin, docs/decisions/0013).
SIMPLE_HISTORY_REVERT_DISABLED = True
# The key of the audit logs' hash chain (audit.chain): kept out of the database, so whoever
# can write to it cannot rewrite the chain. Changing it makes the rows before unverifiable.
AUDIT_LOG_KEY = os.environ.get("AUDIT_LOG_KEY", SECRET_KEY)
OTP_TOTP_ISSUER = "School context referrals"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60  # one working day from signing in, however busy
# Signed out after this long without a request; pages warn TIMEOUT_WARNING_SECONDS before
# (accounts/idle.py).
SESSION_IDLE_SECONDS = int(os.environ.get("SESSION_IDLE_MINUTES", "30")) * 60
TIMEOUT_WARNING_SECONDS = 120
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_CONTENT_TYPE_NOSNIFF = True

# --- Transport and browser security (ADR 0012) ------------------------------------------
# Defaults in every environment; HTTPS-only settings in production.
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = True
    # The load balancer's health check may call /healthz over plain HTTP on the inside.
    SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # WhiteNoise serves the collected files (hashed names, compressed) right after
    # SecurityMiddleware, so static files skip the session and the headers middleware.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

# django-csp 4.0. Inline <script> needs nonce="{{ request.csp_nonce }}"; no inline style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# The Permissions-Policy header (config/headers.py): no page needs any of these.
PERMISSIONS_POLICY_DENIED = [
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "usb",
]

# Email: console in development and the demo; SMTP settings documented in the README.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
# Production sends with STARTTLS unless EMAIL_USE_SSL=1 (implicit TLS, port 465) is chosen.
EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "0") == "1"
EMAIL_USE_TLS = (
    os.environ.get("EMAIL_USE_TLS", "1" if PRODUCTION and not EMAIL_USE_SSL else "0") == "1"
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "school-referrals@localhost")
# A message is locked while it is sent: the server's answer is awaited this long at most.
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "10"))
# /healthz and the banner report the outbox stalled when a due email waits longer than this.
OUTBOX_STALE_MINUTES = int(os.environ.get("OUTBOX_STALE_MINUTES", "10"))

# Celery on Redis. In the demo (CELERY_TASK_ALWAYS_EAGER=1) tasks run in-process.
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = os.environ.get("CELERY_TASK_ALWAYS_EAGER", "0") == "1"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# A web request queues at most a nudge to the outbox: with the broker down or hung it gives up
# within about two seconds and the beat's next drain sends the messages.
CELERY_BROKER_CONNECTION_TIMEOUT = 1.0
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 0,  # publishing only: the worker's own connection retries by its settings
    "socket_connect_timeout": 1,
    "socket_timeout": 1,
}

SITE_NAME = os.environ.get("SITE_NAME", "School context referrals")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")  # for links in emails

# Timescales and reminders (notifications app)
WORKING_DAY_ENDS = os.environ.get("WORKING_DAY_ENDS", "17:00")
REMINDER_SWEEP_MINUTES = int(os.environ.get("REMINDER_SWEEP_MINUTES", "5"))
DIGEST_TIMES = _env_list("DIGEST_TIMES", "08:00,12:00,16:00")


def _beat_schedule():
    from celery.schedules import crontab

    schedule = {
        "reminder-sweep": {
            "task": "notifications.tasks.run_reminder_sweep",
            "schedule": REMINDER_SWEEP_MINUTES * 60.0,
        },
        "outbox-drain": {"task": "notifications.tasks.drain_outbox", "schedule": 60.0},
    }
    for text in DIGEST_TIMES:  # working days are checked by the task (bank holidays too)
        hour, minute = text.split(":")
        schedule[f"rag-digest-{text}"] = {
            "task": "notifications.tasks.send_rag_digests",
            "schedule": crontab(hour=int(hour), minute=int(minute), day_of_week="mon-fri"),
        }
    return schedule


CELERY_BEAT_SCHEDULE = _beat_schedule()

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # PDF rendering narrates every step at INFO.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}


# --- Sign-in protection (docs/decisions/0014-sign-in-protection.md) ---------------------------
# django-axes counts failed sign-ins per account and per address; a password reset is sent by
# Django's own form, throttled in the cache. Kept together here: other settings live above.

# Before accounts: axes counts a failure before accounts.signin logs it (the log reads the count).
INSTALLED_APPS.insert(INSTALLED_APPS.index("accounts"), "axes")
# Last: it turns the lockout axes flags on the request into the lockout page.
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked account or address
    "django.contrib.auth.backends.ModelBackend",
]
SIGNIN_FAILURE_LIMIT = int(os.environ.get("SIGNIN_FAILURE_LIMIT", "5"))
SIGNIN_LOCKOUT_MINUTES = int(os.environ.get("SIGNIN_LOCKOUT_MINUTES", "15"))
# How many proxies in front of the service append to X-Forwarded-For (the council's load
# balancer: 1). 0 trusts REMOTE_ADDR alone. The address counted is the one that proxy saw.
SIGNIN_PROXY_COUNT = int(os.environ.get("SIGNIN_PROXY_COUNT", "0"))

AXES_FAILURE_LIMIT = SIGNIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=SIGNIN_LOCKOUT_MINUTES)
# Each alone locks: an account whatever the address, an address whatever the account.
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Each attempt while locked counts and starts the cool-off again (accounts.signin relies on it).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
# The login form posts the email address as "username"; counted in lower case, as it signs in.
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.signin.username_of"
AXES_CLIENT_IP_CALLABLE = "accounts.addresses.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.signin.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
LOGGING["loggers"]["axes"] = {"level": "WARNING"}  # each attempt is narrated at INFO

# A reset link works for an hour and once.
PASSWORD_RESET_TIMEOUT = 60 * 60
# At most this many reset requests an hour for one email address, and from one address.
PASSWORD_RESET_LIMIT = int(os.environ.get("PASSWORD_RESET_LIMIT", "5"))
# The reset throttle counts in the cache: in production one that every web process shares.
if PRODUCTION:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ.get("CACHE_URL", REDIS_URL),
            "KEY_PREFIX": "cache",
        }
    }

# --- Production refuses to start when its configuration is unsafe (config/production.py) -
# Last, so it sees every setting above.
if PRODUCTION:
    production.check(globals())
