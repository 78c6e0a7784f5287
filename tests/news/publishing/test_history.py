"""The admin's History button leads to the clip's revisions, where versions are compared and restored."""

import pytest
from django.urls import reverse

from tests.helpers import change_url, post_change

pytestmark = pytest.mark.django_db


def test_history_is_the_revisions_with_compare_and_restore(editor, make_clip):
    clip = make_clip(title="Live title")
    assert post_change(editor, clip, "save", title="Draft title").status_code == 302
    revisions = reverse("admin:news_newsclip_revisions", args=[clip.pk])

    page = editor.get(change_url(clip)).content.decode()
    assert f'<a href="{revisions}" class="historylink">History</a>' in page

    response = editor.get(reverse("admin:news_newsclip_history", args=[clip.pk]), follow=True)
    assert response.redirect_chain == [(revisions, 302)]
    history = response.content.decode()
    assert "Compare" in history and "Restore as draft" in history and "(current draft)" in history


def test_history_of_a_missing_clip_is_404(editor):
    assert editor.get("/admin/news/newsclip/abc/history/").status_code == 404
    assert editor.get(reverse("admin:news_newsclip_history", args=[999999]), follow=True).status_code == 404
