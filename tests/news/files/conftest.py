"""Fixtures for the file tests: drafts, and a private PDF cache per test."""

from datetime import timedelta

import pytest
from django.utils import timezone

from news.models import NewsClip


@pytest.fixture(autouse=True)
def pdf_cache(settings, tmp_path):
    settings.PDF_CACHE_ROOT = tmp_path / "pdf-cache"
    return settings.PDF_CACHE_ROOT


@pytest.fixture
def draft_clip(make_clip):
    return make_clip(status=NewsClip.Status.DRAFT)


@pytest.fixture
def scheduled_clip(make_clip):
    return make_clip(publish_at=timezone.now() + timedelta(days=1))
