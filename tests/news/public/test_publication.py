"""Drafts and scheduled clips stay off every public surface; staff can preview them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from news.models import NewsClip

pytestmark = pytest.mark.django_db

HIDDEN = {
    "draft": {"status": NewsClip.Status.DRAFT},
    "scheduled": {"publish_at": timezone.now() + timedelta(days=2)},
}


@pytest.fixture(params=list(HIDDEN))
def hidden_clip(request, make_clip):
    overrides = dict(HIDDEN[request.param])
    if "publish_at" in overrides:
        overrides["publish_at"] = timezone.now() + timedelta(days=2)
    return make_clip(title="Secret plan", slug="secret-plan", **overrides)


@pytest.fixture
def visible_clip(make_clip):
    return make_clip(title="Public notice", slug="public-notice")


def test_public_gets_404_for_hidden_clip(client, hidden_clip):
    assert client.get(hidden_clip.get_absolute_url()).status_code == 404


def test_logged_in_non_staff_gets_404(client, hidden_clip, django_user_model):
    client.force_login(django_user_model.objects.create_user("citizen", password="x"))
    assert client.get(hidden_clip.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("url_name", "params"),
    [
        ("home", {}),
        ("news:list", {}),
        ("news:list", {"q": "Secret"}),
        ("search", {"q": "Secret"}),
        ("news:feed", {}),
        ("sitemap", {}),
    ],
)
def test_hidden_clip_is_on_no_public_surface(client, hidden_clip, visible_clip, url_name, params):
    response = client.get(reverse(url_name), params)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Secret plan" not in content and "secret-plan" not in content


def test_hidden_clip_is_not_previous_or_next(client, make_clip):
    older = make_clip(title="Older", publish_at=timezone.now() - timedelta(days=3))
    make_clip(title="Secret plan", status=NewsClip.Status.DRAFT, publish_at=timezone.now() - timedelta(days=2))
    newer = make_clip(title="Newer", publish_at=timezone.now() - timedelta(days=1))
    html = client.get(older.get_absolute_url()).content.decode()
    assert "Secret plan" not in html and "Newer" in html
    assert "Secret plan" not in client.get(newer.get_absolute_url()).content.decode()


def test_hidden_clip_is_not_on_project_or_objective_pages(client, hidden_clip, make_project, make_objective):
    project, objective = make_project(), make_objective(4)
    hidden_clip.projects.add(project)
    hidden_clip.objectives.add(objective)
    assert "Secret plan" not in client.get(project.get_absolute_url()).content.decode()
    assert "Secret plan" not in client.get(objective.get_absolute_url()).content.decode()


def test_staff_preview_shows_banner_and_is_private(staff_client, hidden_clip):
    response = staff_client.get(hidden_clip.get_absolute_url())
    assert response.status_code == 200
    # A scheduled clip's preview says when it goes live, not that it is a draft.
    expected = "Scheduled — not published yet." if hidden_clip.is_scheduled() else "Draft — not published."
    assert expected in response.content.decode()
    assert "private" in response["Cache-Control"]
    hidden_clip.refresh_from_db()
    assert hidden_clip.view_count == 0  # previews are not counted


def test_published_page_has_no_banner(staff_client, visible_clip):
    assert "not published" not in staff_client.get(visible_clip.get_absolute_url()).content.decode()


def test_anonymous_responses_do_not_vary_on_cookie(client, visible_clip, make_photo):
    # Shared caches may keep public pages and photos only if they do not vary per visitor.
    photo = make_photo(visible_clip)
    for url in [visible_clip.get_absolute_url(), photo.thumb_url]:
        response = client.get(url)
        assert response.status_code == 200
        assert "Cookie" not in response.get("Vary", ""), url
