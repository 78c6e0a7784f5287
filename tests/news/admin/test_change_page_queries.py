"""The clip's change page costs the same number of queries however many photos and attachments
the clip has (it was two more per photo), with a draft or without."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.helpers import post_change

pytestmark = pytest.mark.django_db


def change_page_queries(client, clip):
    url = reverse("admin:news_newsclip_change", args=[clip.pk])
    client.get(url)  # sessions, permissions and content types cached as on any later visit
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


def assert_same_cost(client, one, six, django_assert_num_queries):
    few = change_page_queries(client, one)
    client.get(reverse("admin:news_newsclip_change", args=[six.pk]))
    with django_assert_num_queries(few):
        assert client.get(reverse("admin:news_newsclip_change", args=[six.pk])).status_code == 200


@pytest.fixture
def clips(make_clip, make_photo, make_attachment):
    def make(status, files):
        clip = make_clip(status=status)
        for n in range(files):
            make_photo(clip, caption=f"Photo {n}", position=n)
            make_attachment(clip, name=f"file-{n}.pdf", position=n)
        return clip

    return make


@pytest.mark.parametrize("status", ["draft", "published"])
def test_the_change_page_costs_the_same_for_one_photo_or_six(admin_client, clips, status, django_assert_num_queries):
    assert_same_cost(admin_client, clips(status, 1), clips(status, 6), django_assert_num_queries)


def test_the_change_page_of_a_live_clip_with_a_draft_costs_the_same_for_one_photo_or_six(
    admin_client, clips, django_assert_num_queries
):
    one, six = clips("published", 1), clips("published", 6)
    for clip in (one, six):
        assert post_change(admin_client, clip, "save", title="Draft title").status_code == 302
    assert_same_cost(admin_client, one, six, django_assert_num_queries)


def test_the_first_photo_is_marked_as_the_lead(admin_client, clips):
    clip = clips("published", 3)
    page = admin_client.get(reverse("admin:news_newsclip_change", args=[clip.pk])).content.decode()
    assert page.count('class="lead-photo"') == 1
    first = clip.images.order_by("position", "id").first()
    assert page.index(first.thumb_url) < page.index('class="lead-photo"')
