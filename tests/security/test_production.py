"""Production settings: `check --deploy` is clean, bad configuration refuses to start,
every response carries the security headers, and trouble never shows a traceback."""

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)


def production_env(tmp_path, **changes):
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(60)),
        "ALLOWED_HOSTS": "example.org",
        "SITE_URL": "https://example.org",
        "DJANGO_SETTINGS_MODULE": "gwangju_site.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "VAR_DIR": str(tmp_path / "var"),
        "LOG_LEVEL": "WARNING",
    }
    env.update(changes)
    return {key: value for key, value in env.items() if value is not None}


def manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_in_production(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_is_clean_with_preload_opted_in(tmp_path):
    """Opting in to HSTS preload keeps the deploy check clean too."""
    env = production_env(tmp_path)
    env["SECURE_HSTS_PRELOAD"] = "1"
    result = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param({"SECRET_KEY": None}, "SECRET_KEY must be set", id="no-secret-key"),
        pytest.param({"SECRET_KEY": ""}, "SECRET_KEY must be set", id="empty-secret-key"),
        pytest.param({"SECRET_KEY": "short-key"}, "SECRET_KEY must be set", id="short-secret-key"),
        pytest.param(
            {"SECRET_KEY": "django-insecure-local-development-only"}, "SECRET_KEY must be set", id="development-key"
        ),
        pytest.param({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS must be set", id="no-allowed-hosts"),
        pytest.param({"ALLOWED_HOSTS": " , "}, "ALLOWED_HOSTS must be set", id="blank-allowed-hosts"),
        pytest.param({"DEBUG": "0", "SECRET_KEY": None}, "SECRET_KEY must be set", id="debug-0-no-key"),
        pytest.param({"DEBUG": "off", "ALLOWED_HOSTS": None}, "ALLOWED_HOSTS must be set", id="debug-off-no-hosts"),
        pytest.param({"DOWNLOAD_SENDFILE": "x-evil"}, "DOWNLOAD_SENDFILE must be", id="bad-sendfile"),
        pytest.param({"SITE_URL": None}, "SITE_URL must be set", id="no-site-url"),
        pytest.param({"SITE_URL": "example.org"}, "SITE_URL must be an absolute", id="site-url-no-scheme"),
        pytest.param({"SITE_URL": "ftp://example.org"}, "SITE_URL must be an absolute", id="site-url-ftp"),
        pytest.param({"SITE_URL": "https://"}, "SITE_URL must be an absolute", id="site-url-no-host"),
        pytest.param({"SITE_URL": "https://example.org/en"}, "SITE_URL must be an absolute", id="site-url-path"),
        pytest.param({"SITE_URL": "https://example.org:http"}, "SITE_URL has an invalid port", id="site-url-port"),
    ],
)
def test_production_refuses_to_start_when_misconfigured(tmp_path, changes, message):
    result = manage(production_env(tmp_path, **changes), "check")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


def test_debug_mode_starts_without_secrets(tmp_path):
    """The control: only production insists."""
    result = manage(production_env(tmp_path, DEBUG="1", SECRET_KEY=None, ALLOWED_HOSTS=None, SITE_URL=None), "check")
    assert result.returncode == 0, result.stderr


# --- headers on every kind of response ----------------------------------------------


def csp_directives(response):
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def assert_security_headers(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    features = dict(item.strip().split("=", 1) for item in response["Permissions-Policy"].split(","))
    assert {"camera", "microphone", "geolocation", "payment", "usb"} <= set(features)
    assert set(features.values()) == {"()"}
    directives = csp_directives(response)
    script_src = directives.get("script-src", directives.get("default-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]


@pytest.fixture
def published(make_clip, make_photo, make_attachment):
    clip = make_clip(slug="published")
    return clip, make_photo(clip), make_attachment(clip)


RESPONSES = {
    "home": (lambda c, p, a: reverse("home"), 200),
    "detail": (lambda c, p, a: c.get_absolute_url(), 200),
    "list": (lambda c, p, a: reverse("news:list"), 200),
    "search": (lambda c, p, a: reverse("search") + "?q=x", 200),
    "feed": (lambda c, p, a: reverse("news:feed"), 200),
    "sitemap": (lambda c, p, a: reverse("sitemap"), 200),
    "robots": (lambda c, p, a: reverse("robots"), 200),
    "healthz": (lambda c, p, a: reverse("healthz"), 200),
    "not-found-path": (lambda c, p, a: "/no/such/page/", 404),
    "not-found-clip": (lambda c, p, a: reverse("news:detail", args=["no-such-clip"]), 404),
    "attachment": (lambda c, p, a: a.get_absolute_url(), 200),
    "photo": (lambda c, p, a: p.large_url, 200),
    "bundle": (lambda c, p, a: reverse("news:bundle", args=[c.slug]), 200),
    "pdf": (lambda c, p, a: reverse("news:pdf", args=[c.slug]), 200),
    "admin-login": (lambda c, p, a: reverse("admin:login"), 200),
    "method-not-allowed": (lambda c, p, a: None, 405),
}


@pytest.mark.parametrize("kind", list(RESPONSES))
def test_security_headers_on_every_response_type(client, published, kind):
    url, status = RESPONSES[kind]
    clip, photo, attachment = published
    if kind == "method-not-allowed":
        response = client.post(reverse("healthz"))
    else:
        response = client.get(url(clip, photo, attachment))
    assert response.status_code == status
    assert_security_headers(response)


def test_security_headers_on_the_503_page(client, db):
    with mock.patch("news.models.NewsClipQuerySet.cards", side_effect=OperationalError("connection refused")):
        response = client.get(reverse("home"))
    assert response.status_code == 503
    assert_security_headers(response)


# --- trouble ---------------------------------------------------------------------------


def test_database_trouble_gives_a_plain_503_with_retry_after(client, db, caplog):
    with mock.patch(
        "news.models.NewsClipQuerySet.cards", side_effect=OperationalError("could not connect: secret-dsn")
    ):
        response = client.get(reverse("home"))
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "Temporarily unavailable" in html
    assert "Traceback" not in html and "secret-dsn" not in html and "OperationalError" not in html


def test_health_check_reports_a_database_outage_as_503(client, db):
    with mock.patch("gwangju_site.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "down"}


def test_unexpected_error_gives_the_plain_500_page(db, make_clip):
    from django.test import Client

    client = Client(raise_request_exception=False)
    with mock.patch("news.models.NewsClipQuerySet.cards", side_effect=RuntimeError("secret-internals")):
        response = client.get(reverse("home"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Traceback" not in html and "secret-internals" not in html


def test_404_page_renders_without_touching_the_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_404_page_does_not_reflect_the_path(client, db):
    response = client.get("/%3Cscript%3Ealert(1)%3C/script%3E/")
    assert response.status_code == 404
    assert "<script>alert(1)" not in response.content.decode()


def test_makemigrations_check_runs_on_a_fresh_clone_without_settings(tmp_path):
    """Comparing models with migrations needs no secret; production commands still do (above)."""
    env = {"PATH": os.environ["PATH"], "VAR_DIR": str(tmp_path / "var")}
    result = manage(env, "makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout
    assert manage(env, "check").returncode != 0
