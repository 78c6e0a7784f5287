"""Data migrations of news, run against today's rows."""

import importlib

import pytest
from django.apps import apps

pytestmark = pytest.mark.django_db


def test_excerpts_made_with_the_entities_left_in_are_remade_as_text(make_clip):
    clip = make_clip(body="<p>R&amp;D labs &lt;open&gt;</p>")
    type(clip).objects.filter(pk=clip.pk).update(excerpt="R&amp;D labs &lt;open&gt;")  # as the old rule made it
    migration = importlib.import_module("news.migrations.0015_remove_clip_search_row_remake_excerpts")
    migration.remake_excerpts(apps, None)
    clip.refresh_from_db()
    assert clip.excerpt == "R&D labs <open>"
