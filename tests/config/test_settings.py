"""Production refuses to start without real secrets; development has safe defaults."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _load_settings(**env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DEBUG", "DJANGO_ENV"}
        and not k.startswith("EMAIL_")
    }
    return subprocess.run(
        [sys.executable, "-c", "import config.settings as s; print(s.DEBUG, s.ALLOWED_HOSTS)"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_secret_hosts_and_database():
    result = _load_settings(DJANGO_ENV="production")
    assert result.returncode != 0
    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"):
        assert name in result.stderr


def test_production_refuses_the_development_key():
    result = _load_settings(
        DJANGO_ENV="production",
        SECRET_KEY="dev-only-insecure-key-do-not-use-in-production",
        ALLOWED_HOSTS="referrals.example.org",
        DATABASE_URL="postgres://u:p@db:5432/referrals",
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_production_starts_with_everything_it_needs():
    result = _load_settings(
        DJANGO_ENV="production",
        SECRET_KEY="a-real-key-of-fifty-characters-or-more-0123456789-xyz",
        AUDIT_LOG_KEY="the-audit-chain-has-its-own-key-of-fifty-or-more-987654",
        ALLOWED_HOSTS="referrals.example.org",
        DATABASE_URL="postgres://u:p@db:5432/referrals",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False ['referrals.example.org']"


def test_development_defaults_are_safe_to_run_locally():
    result = _load_settings()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith("True ['127.0.0.1', 'localhost'")
