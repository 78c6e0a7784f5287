"""The publication rule is written once for SQL (`NewsClipQuerySet.in_state`, `published`) and
once for a row in hand (`NewsClip.state`, `is_published`): every place that asks either way
must get the same answer, at every combination of status, publish time and expiry."""

import itertools
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from news.models import NewsClip
from news.publishing.state import published_state

pytestmark = pytest.mark.django_db
Status = NewsClip.Status

HOUR = timedelta(hours=1)
# (publish_at, expires_at) relative to now; the constraint wants expiry after publication.
TIMES = [(-2 * HOUR, None), (-2 * HOUR, -HOUR), (-2 * HOUR, HOUR), (HOUR, None), (HOUR, 2 * HOUR)]


@pytest.fixture
def every_kind_of_clip(make_clip):
    now = timezone.now().replace(microsecond=0)
    clips = []
    for status, (publish, expires) in itertools.product(Status.values, TIMES):
        clip = make_clip(status=status, publish_at=now + publish, expires_at=expires and now + expires)
        clips.append(clip)
    return now, clips


def test_the_sql_rule_and_the_row_rule_agree_on_every_clip(every_kind_of_clip):
    now, clips = every_kind_of_clip
    for state in Status.values:
        in_sql = set(NewsClip.objects.in_state(state, now).values_list("pk", flat=True))
        in_python = {clip.pk for clip in clips if clip.state(now) == state}
        assert in_sql == in_python, state
    published = set(NewsClip.objects.published(now).values_list("pk", flat=True))
    assert published == {clip.pk for clip in clips if clip.is_published(now)}
    assert published, "the grid has live clips"


def test_the_published_count_is_the_published_rule(every_kind_of_clip):
    now, clips = every_kind_of_clip
    count, newest = published_state(now)
    live = [clip for clip in clips if clip.is_published(now)]
    assert count == len(live)
    assert newest == max(clip.publish_at for clip in live)


def test_the_admin_state_filter_lists_each_clip_under_its_state(every_kind_of_clip, admin_client):
    now, clips = every_kind_of_clip
    for state in Status.values:
        response = admin_client.get(reverse("admin:news_newsclip_changelist"), {"state": state, "all": ""})
        listed = {clip.pk for clip in response.context["cl"].result_list}
        assert listed == {clip.pk for clip in clips if clip.state() == state}, state


def test_an_unknown_state_in_the_admin_filter_lists_everything_rather_than_failing(every_kind_of_clip, admin_client):
    _now, clips = every_kind_of_clip
    response = admin_client.get(reverse("admin:news_newsclip_changelist"), {"state": "nonsense", "all": ""})
    assert response.status_code == 200
    assert {clip.pk for clip in response.context["cl"].result_list} == {clip.pk for clip in clips}
