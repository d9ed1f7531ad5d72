"""Settings come from the environment and refuse unsafe production configurations."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

BASE_DIR = Path(__file__).resolve().parent.parent

# Variables the settings read; none may leak from the test run into the subprocess.
SETTINGS_VARIABLES = {
    "SECRET_KEY", "DEBUG", "NEWSROOM_TESTING", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS",
    "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "USE_X_FORWARDED_PROTO",
    "DJANGO_SETTINGS_MODULE", "REDIS_URL",
}  # fmt: skip


def clean_env(**overrides: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    env["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    env.update(overrides)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 -- our own interpreter, fixed arguments
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.skipif((BASE_DIR / ".env").exists(), reason="a local .env file sets the environment")
def test_production_without_secret_key_refuses_to_start():
    result = run(["-c", "import newsroom.settings"], clean_env(DEBUG="false"))
    assert result.returncode != 0
    assert "django.core.exceptions.ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr
    assert "SECRET_KEY environment variable" in result.stderr


@pytest.mark.skipif((BASE_DIR / ".env").exists(), reason="a local .env file sets the environment")
def test_development_without_secret_key_starts():
    """DEBUG on is the one case where a built-in key is acceptable."""
    result = run(
        ["-c", "import newsroom.settings as s; print(s.DEBUG, len(s.SECRET_KEY) > 20)"],
        clean_env(DEBUG="true"),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True True"


def test_production_settings_pass_the_deployment_checklist():
    env = clean_env(
        SECRET_KEY=secrets.token_urlsafe(64),
        DEBUG="false",
        ALLOWED_HOSTS="news.example.org",
    )
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_defaults_are_secure():
    env = clean_env(SECRET_KEY=secrets.token_urlsafe(64), DEBUG="false")
    code = (
        "import newsroom.settings as s; "
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS >= 31536000, s.X_FRAME_OPTIONS)"
    )
    result = run(["-c", code], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True", "True", "True", "DENY"]


def test_debug_settings_fail_the_deployment_checklist():
    """Guard: the checklist test above can fail (DEBUG on is flagged)."""
    env = clean_env(SECRET_KEY=secrets.token_urlsafe(64), DEBUG="true")
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr


@pytest.mark.django_db
def test_no_model_changes_without_migrations():
    """Every model change has its migration (exits non-zero otherwise)."""
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_the_icon_browsers_ask_for_is_found(client):
    from django.contrib.staticfiles import finders

    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("/img/favicon.svg")
    assert finders.find("img/favicon.svg")
