"""Production refuses to start with an unsafe configuration (config/production.py), and a
good one passes Django's deploy checks with no warning."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import production

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "x7#Qm2!vR9pL4@tZ8wK1&nB6^cF3*hJ5(dS0)gY-eU+aO=iT~rW" + "Nq"
AUDIT_KEY = GOOD_KEY[::-1]
SMTP = "django.core.mail.backends.smtp.EmailBackend"
POSTGRES = {"ENGINE": "django.db.backends.postgresql", "NAME": "referrals"}


def good(**changes):
    settings = {
        "SECRET_KEY": GOOD_KEY,
        "AUDIT_LOG_KEY": AUDIT_KEY,
        "ALLOWED_HOSTS": ["referrals.example.org"],
        "DATABASE_URL": "postgres://u:p@db:5432/referrals",
        "DATABASES": {"default": POSTGRES},
        "DEBUG": False,
        "EMAIL_BACKEND": SMTP,
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
    }
    return {**settings, **changes}


def test_a_good_configuration_has_no_problems():
    assert production.problems(good()) == []
    production.check(good())  # does not raise


def test_ssl_instead_of_tls_is_fine():
    assert production.problems(good(EMAIL_USE_TLS=False, EMAIL_USE_SSL=True)) == []


def test_another_email_backend_needs_no_smtp_encryption():
    console = "django.core.mail.backends.console.EmailBackend"
    assert production.problems(good(EMAIL_BACKEND=console, EMAIL_USE_TLS=False)) == []


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY is not set"),
        ({"SECRET_KEY": production.DEV_SECRET_KEY}, "SECRET_KEY is the development key"),
        ({"SECRET_KEY": GOOD_KEY[:49]}, "SECRET_KEY is too weak"),
        ({"SECRET_KEY": "abcd" * 20}, "SECRET_KEY is too weak"),
        ({"SECRET_KEY": "django-insecure-" + GOOD_KEY}, "SECRET_KEY is too weak"),
        ({"AUDIT_LOG_KEY": ""}, "AUDIT_LOG_KEY is not set"),
        ({"AUDIT_LOG_KEY": GOOD_KEY}, "AUDIT_LOG_KEY is not set apart from SECRET_KEY"),
        ({"AUDIT_LOG_KEY": "abcd" * 20}, "AUDIT_LOG_KEY is too weak"),
        ({"ALLOWED_HOSTS": []}, "ALLOWED_HOSTS is empty"),
        ({"ALLOWED_HOSTS": ["referrals.example.org", "*"]}, "ALLOWED_HOSTS contains '*'"),
        ({"DATABASE_URL": "", "DATABASES": {"default": {}}}, "DATABASE_URL is not set"),
        (
            {
                "DATABASE_URL": "sqlite:///demo.sqlite3",
                "DATABASES": {"default": {"ENGINE": "django.db.backends.sqlite3"}},
            },
            "DATABASE_URL is a SQLite database",
        ),
        ({"DEBUG": True}, "DEBUG is on"),
        ({"EMAIL_USE_TLS": False}, "SMTP email without encryption"),
        ({"EMAIL_USE_SSL": True}, "EMAIL_USE_TLS and EMAIL_USE_SSL are both on"),
    ],
)
def test_each_unsafe_setting_is_refused(changes, words):
    found = production.problems(good(**changes))
    assert len(found) == 1 and found[0].startswith(words), found
    with pytest.raises(ImproperlyConfigured, match=words):
        production.check(good(**changes))


def test_one_message_names_every_problem():
    with pytest.raises(ImproperlyConfigured) as refused:
        production.check({"DEBUG": True, "EMAIL_BACKEND": SMTP})
    message = str(refused.value)
    assert message.startswith("DJANGO_ENV=production refuses to start: ")
    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DEBUG", "EMAIL_USE_TLS"):
        assert name in message


@pytest.mark.parametrize("value", ["development", "production"])
def test_the_two_environments(value):
    assert production.environment(value) == value


@pytest.mark.parametrize("value", ["prod", "Production", "staging", ""])
def test_any_other_environment_is_refused(value):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_ENV must be 'development' or"):
        production.environment(value)


# --- the real settings, in a fresh process -----------------------------------------------

PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": GOOD_KEY,
    "AUDIT_LOG_KEY": AUDIT_KEY,
    "ALLOWED_HOSTS": "referrals.example.org",
    # Never connected to: the deploy checks read settings only.
    "DATABASE_URL": "postgres://u:p@db.invalid:5432/referrals",
    "EMAIL_HOST": "smtp.example.org",
}


def _manage(*args, **env):
    # The test run's own settings (DEBUG, DATABASE_URL, EMAIL_*, ...) stay out.
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO", "EMAIL_", "SECURE_", "STATIC"))
        and k not in {"SECRET_KEY", "AUDIT_LOG_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DEBUG"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_good_production_environment_passes_the_deploy_checks():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_a_bad_production_environment_refuses_to_start():
    result = _manage(
        "check", "--deploy", **{**PRODUCTION_ENV, "ALLOWED_HOSTS": "*", "EMAIL_USE_TLS": "0"}
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_ENV=production refuses to start" in result.stderr
    assert "ALLOWED_HOSTS contains '*'" in result.stderr
    assert "SMTP email without encryption" in result.stderr


def test_an_unknown_environment_refuses_to_start():
    result = _manage("check", **{**PRODUCTION_ENV, "DJANGO_ENV": "prod"})
    assert result.returncode != 0
    assert "DJANGO_ENV must be 'development' or 'production', not 'prod'" in result.stderr


def test_development_keeps_the_demo_app_and_production_drops_it():
    show = [
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print('demo_data' in s.INSTALLED_APPS)",
    ]
    assert _manage(*show).stdout.strip() == "True"
    assert _manage(*show, **PRODUCTION_ENV).stdout.strip() == "False"


def test_collectstatic_builds_the_production_manifest(tmp_path):
    # CompressedManifestStaticFilesStorage refuses a stylesheet or script whose url() or
    # source map names a missing file: that must fail here, not on the day of deployment.
    result = _manage("collectstatic", "--noinput", **PRODUCTION_ENV, STATIC_ROOT=str(tmp_path))
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    # Every file a template names: the manifest storage fails a page naming a missing one.
    named = {
        match
        for folder in [ROOT / "templates", *ROOT.glob("*/templates")]
        for path in folder.rglob("*.html")
        for match in re.findall(r"{% static '([^']+)'", path.read_text())
    }
    assert "govuk/govuk-frontend.min.js" in named
    assert named <= manifest.keys(), named - manifest.keys()
    assert (tmp_path / "css" / "app.css.gz").exists()  # WhiteNoise serves it compressed
