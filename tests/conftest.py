"""Fixtures every test may use: plain factory functions over the real models and storage
(helpers that test modules import are in tests/helpers.py).

Each test gets folders of its own for protected files and cached PDFs (under pytest's
temporary folder, which pytest prunes), so no test sees another's files and no run leaves
files behind.
"""

import io
import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import caches
from django.core.management import call_command
from django.utils import timezone

from core import cache as core_cache
from core import outage
from news.files.checks import check_attachment, check_photo
from news.files.library import store_document, store_photo
from news.models import Attachment, ClipImage, NewsClip
from policies.models import Achievement, Field, Objective
from projects.models import Project
from tests.helpers import SEED_SLUG, image_bytes, next_number, pdf_bytes, protected_files, upload


@pytest.fixture
def make_clip(db):
    def make(**overrides):
        n = next_number()
        fields = {
            "title": f"Test clip {n}",
            "slug": f"test-clip-{n}",
            "subtitle": f"Subtitle {n}",
            "highlights": "First highlight\nSecond highlight",
            "body": f"<p>Body of clip {n}.</p>",
            "status": NewsClip.Status.PUBLISHED,
            "publish_at": timezone.now() - timedelta(hours=n),
        }
        fields.update(overrides)
        return NewsClip.objects.create(**fields)

    return make


@pytest.fixture
def make_photo(db):
    def make(clip, *, name="photo.jpg", data=None, alt_text="A photo", caption="A caption", position=0):
        stored = check_photo(upload(name, data or image_bytes()))
        photo, _created = store_photo(stored, original_name=name, alt_text=alt_text, caption=caption)
        row = ClipImage(clip=clip, alt_text=alt_text, caption=caption, position=position)
        row.use_photo(photo)
        row.save()
        return row

    return make


@pytest.fixture
def make_attachment(db):
    def make(clip, *, name="report.pdf", data=None, title="", position=0):
        original_name, kind, stored = check_attachment(upload(name, data if data is not None else pdf_bytes()))
        document, _created = store_document(original_name, kind, stored)
        attachment = Attachment(clip=clip, title=title, position=position)
        attachment.use_document(document)
        attachment.save()
        return attachment

    return make


@pytest.fixture
def make_project(db):
    def make(**overrides):
        n = next_number()
        fields = {"name": f"Project {n}", "slug": f"project-{n}", "summary": f"Summary {n}"}
        fields.update(overrides)
        return Project.objects.create(**fields)

    return make


@pytest.fixture
def make_objective(db):
    def make(number, **overrides):
        fields = {"number": number, "title": f"Objective {number}", "body": f"Body {number}"}
        fields.update(overrides)
        return Objective.objects.create(**fields)

    return make


@pytest.fixture
def make_achievement(db):
    def make(number, **overrides):
        field = (
            overrides.pop("field", None)
            or Field.objects.get_or_create(number=1, defaults={"name": "Jobs", "slug": "jobs"})[0]
        )
        fields = {"field": field, "number": number, "title": f"Achievement {number}", "summary": "Summary"}
        fields.update(overrides)
        return Achievement.objects.create(**fields)

    return make


@pytest.fixture
def seeded(db):
    call_command("load_seed", stdout=io.StringIO())
    return NewsClip.objects.get(slug=SEED_SLUG)


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_user("editor", password="pw-editor-123", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_newsclip"))  # previews need it
    client.force_login(user)
    return client


@pytest.fixture
def store_counts(db):
    """A snapshot of what is stored: row counts and the protected files."""

    def snapshot():
        return {
            "clips": NewsClip.objects.count(),
            "photos": ClipImage.objects.count(),
            "attachments": Attachment.objects.count(),
            "files": protected_files(),
        }

    return snapshot


@pytest.fixture(autouse=True)
def _own_file_folders(settings, tmp_path_factory):
    folder = tmp_path_factory.mktemp("media")
    settings.PROTECTED_MEDIA_ROOT = folder / "protected"
    settings.PDF_CACHE_ROOT = folder / "pdf-cache"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The database is rolled back after each test; the cache must be too."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def dead_redis(settings):
    """The cache is a Redis nobody listens on (port 1): every call is refused, and core.cache's
    breaker answers misses. Its outage bookkeeping starts and ends clean."""
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
    outage._failing.clear()
    core_cache._down_until.clear()
    yield caches["default"]
    outage._failing.clear()
    core_cache._down_until.clear()
