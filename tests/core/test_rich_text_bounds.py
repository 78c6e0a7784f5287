"""Rich text too large or nested too deep is refused with a form message before the sanitiser sees
it (20,000 nested lists took 37 s to sanitise, and the clip's page PDF never finished)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core import rich_text
from news.models import NewsClip
from tests.helpers import clip_form_data

pytestmark = pytest.mark.django_db


def nested(depth):
    return "<ul><li>" * depth + "deep" + "</li></ul>" * depth


@pytest.fixture
def no_sanitiser(monkeypatch):
    def refuse(html):
        raise AssertionError("the sanitiser ran on text that should have been refused first")

    monkeypatch.setattr(rich_text, "sanitise", refuse)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param(nested(20_000), "more than 100 levels deep", id="20000-nested-lists"),
        pytest.param(nested(51), "more than 100 levels deep", id="102-elements-deep"),
        pytest.param("<p>" + "word " * 200_001 + "</p>", "too long to save", id="over-a-million-characters"),
    ],
)
def test_unbounded_rich_text_is_a_form_error_before_sanitising(admin_client, no_sanitiser, body, message):
    data = clip_form_data(body=body, _workflow="publish")
    response = admin_client.post(reverse("admin:news_newsclip_add"), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["body"]
    assert len(errors) == 1 and message in errors[0]
    assert not NewsClip.objects.filter(slug=data["slug"]).exists()


def test_rich_text_within_the_bounds_is_saved(admin_client):
    data = clip_form_data(body=nested(50), _workflow="publish")
    response = admin_client.post(reverse("admin:news_newsclip_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert NewsClip.objects.get(slug=data["slug"]).body.count("<ul>") == 50


def test_every_rich_text_field_has_the_same_bounds(admin_client, make_project):
    project = make_project()
    field = admin_client.get(reverse("admin:projects_project_change", args=[project.pk])).context["adminform"].form
    with pytest.raises(ValidationError, match="levels deep"):
        field.fields["body"].clean(nested(20_000))
