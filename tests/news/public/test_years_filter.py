"""The list's year filter offers the years that have published clips, as they are now: an edit
shows at once (the filter's choices are cached until content changes, not for a while)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from news.publishing import workflow

pytestmark = pytest.mark.django_db


def offered_years(client):
    filterset = client.get(reverse("news:list")).context["filter"]
    return [value for value, _label in filterset.form.fields["year"].widget.choices if value]


def test_a_newly_published_year_is_offered_at_once(client, make_clip, admin_user):
    make_clip(publish_at=timezone.now().replace(year=2019))
    assert offered_years(client) == ["2019"]
    old = make_clip(status="draft", publish_at=timezone.now().replace(year=2015))
    assert offered_years(client) == ["2019"], "a draft's year is not offered"
    workflow.publish(old, admin_user)
    assert offered_years(client) == ["2019", "2015"]
    workflow.unpublish(old, admin_user)
    assert offered_years(client) == ["2019"]
