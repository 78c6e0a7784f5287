"""E-mail is configured by the environment: without EMAIL_HOST nothing is sent (development prints the
mail), with it Django's SMTP backend, on the port its encryption usually takes, within a time limit."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SHOW = (
    "import json, gwangju_site.settings as s; print(json.dumps({k: getattr(s, k) for k in "
    "['EMAIL_BACKEND', 'EMAIL_HOST', 'EMAIL_PORT', 'EMAIL_USE_TLS', 'EMAIL_USE_SSL', 'EMAIL_TIMEOUT', "
    "'EMAIL_HOST_USER', 'EMAIL_HOST_PASSWORD', 'DEFAULT_FROM_EMAIL']}))"
)


def email_settings(tmp_path, **env):
    base = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "SECRET_KEY": "s" * 60,
        "ALLOWED_HOSTS": "example.org",
        "SITE_URL": "https://example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "VAR_DIR": str(tmp_path / "var"),
    }
    result = subprocess.run(
        [sys.executable, "-c", SHOW], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=60
    )
    return result


def shown(tmp_path, **env):
    result = email_settings(tmp_path, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_without_a_mail_host_sends_nothing(tmp_path):
    assert shown(tmp_path)["EMAIL_BACKEND"] == "django.core.mail.backends.dummy.EmailBackend"


def test_development_without_a_mail_host_prints_the_mail(tmp_path):
    assert shown(tmp_path, DEBUG="1")["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


@pytest.mark.parametrize(
    ("encryption", "port"), [({}, 25), ({"EMAIL_USE_TLS": "1"}, 587), ({"EMAIL_USE_SSL": "1"}, 465)]
)
def test_a_mail_host_means_smtp_on_the_usual_port_of_its_encryption(tmp_path, encryption, port):
    found = shown(tmp_path, EMAIL_HOST="smtp.example.org", **encryption)
    assert found["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (found["EMAIL_HOST"], found["EMAIL_PORT"], found["EMAIL_TIMEOUT"]) == ("smtp.example.org", port, 5)


def test_every_mail_setting_comes_from_the_environment(tmp_path):
    found = shown(
        tmp_path,
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="2525",
        EMAIL_HOST_USER="newsroom",
        EMAIL_HOST_PASSWORD="secret",
        EMAIL_USE_TLS="1",
        EMAIL_TIMEOUT="2.5",
        DEFAULT_FROM_EMAIL="Newsroom <news@example.org>",
    )
    assert found == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.example.org",
        "EMAIL_PORT": 2525,
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 2.5,
        "EMAIL_HOST_USER": "newsroom",
        "EMAIL_HOST_PASSWORD": "secret",
        "DEFAULT_FROM_EMAIL": "Newsroom <news@example.org>",
    }


def test_tls_and_ssl_together_refuse_to_start(tmp_path):
    result = email_settings(tmp_path, EMAIL_HOST="smtp.example.org", EMAIL_USE_TLS="1", EMAIL_USE_SSL="1")
    assert result.returncode != 0 and "EMAIL_USE_TLS" in result.stderr
