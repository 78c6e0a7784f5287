"""A clip's constraints and validation, and the publication rule in its simplest cases
(test_publication_rule.py walks every case)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from news.models import NewsClip

pytestmark = pytest.mark.django_db


def test_published_includes_past_and_excludes_future_and_drafts(make_clip):
    past = make_clip(publish_at=timezone.now() - timedelta(minutes=1))
    make_clip(publish_at=timezone.now() + timedelta(minutes=5))
    make_clip(status=NewsClip.Status.DRAFT, publish_at=timezone.now() - timedelta(days=1))
    assert list(NewsClip.objects.published()) == [past]


def test_scheduled_clip_is_neither_published_nor_draft(make_clip):
    clip = make_clip(publish_at=timezone.now() + timedelta(days=1))
    assert clip.is_scheduled() and not clip.is_published()


def test_duplicate_clip_slug_gets_a_clear_message(make_clip):
    make_clip(slug="same")
    clip = NewsClip(title="x", slug="same", body="<p>b</p>")
    with pytest.raises(ValidationError) as excinfo:
        clip.full_clean()
    assert excinfo.value.message_dict["slug"] == ["Another news clip already uses this slug."]


def test_body_is_sanitised_on_save(make_clip):
    clip = make_clip(body='<p onclick="x()">Hi<script>alert(1)</script></p>')
    clip.refresh_from_db()
    assert clip.body == "<p>Hi</p>"
