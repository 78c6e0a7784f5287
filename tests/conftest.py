"""Shared test helpers: plain factory functions over the real models and storage.

Each test gets folders of its own for protected files and cached PDFs (under pytest's
temporary folder, which pytest prunes), so no test sees another's files and no run leaves
files behind.
"""

import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from news.filetypes import KINDS
from news.models import Attachment, ClipImage, NewsClip
from news.uploads import check_attachment, check_photo
from policies.models import Achievement, Field, Objective
from projects.models import Project

SEED_SLUG = "gwangju-a-year-in-innovation"


def image_bytes(fmt="JPEG", size=(64, 48), color=(20, 90, 160), **save_options):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt, **save_options)
    return buffer.getvalue()


def pdf_bytes(text="Hello"):
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"% " + text.encode() + b"\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


_counter = {"n": 0}


def _next():
    _counter["n"] += 1
    return _counter["n"]


@pytest.fixture
def make_clip(db):
    def make(**overrides):
        n = _next()
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
        return ClipImage.objects.create(clip=clip, image=stored, alt_text=alt_text, caption=caption, position=position)

    return make


@pytest.fixture
def make_attachment(db):
    def make(clip, *, name="report.pdf", data=None, title="", position=0):
        original_name, kind, stored = check_attachment(upload(name, data if data is not None else pdf_bytes()))
        attachment = Attachment(clip=clip, title=title, position=position)
        attachment.set_checked_file(original_name, kind, stored)
        attachment.save()
        return attachment

    return make


@pytest.fixture
def make_project(db):
    def make(**overrides):
        n = _next()
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
    user.user_permissions.add(Permission.objects.get(codename="view_newsclip"))  # previews need it (news/visibility.py)
    client.force_login(user)
    return client


# --- helpers for the security corpus (tests/security) ---------------------------


def protected_files():
    """Every file under the protected media root, as paths relative to it."""
    from django.conf import settings

    root = settings.PROTECTED_MEDIA_ROOT
    if not root.exists():
        return set()
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def clip_form_data(*, images=(), attachments=(), **overrides):
    """POST data for the NewsClip admin add view, with the two inline formsets.

    `images` holds dicts of ClipImage inline fields (image, alt_text, caption);
    `attachments` holds dicts of Attachment inline fields (file, title).
    """
    n = _next()
    data = {
        "title": f"Admin clip {n}",
        "slug": f"admin-clip-{n}",
        "subtitle": "",
        "highlights": "",
        "body": "<p>Body.</p>",
        "author_name": "Press office",
        "status": NewsClip.Status.PUBLISHED,
        "publish_at_0": "2019-07-09",
        "publish_at_1": "10:00:00",
    }
    for prefix, rows in (("images", images), ("attachments", attachments)):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(len(rows)),
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
        for index, row in enumerate(rows):
            data[f"{prefix}-{index}-position"] = str(index)
            for field, value in row.items():
                data[f"{prefix}-{index}-{field}"] = value
    data.update(overrides)
    return data


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


__all__ = ["KINDS", "SEED_SLUG", "clip_form_data", "image_bytes", "pdf_bytes", "protected_files", "upload"]


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
