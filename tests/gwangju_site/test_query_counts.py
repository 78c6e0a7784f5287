"""Query counts are constant in the number of rows, photos and attachments."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


# Transaction control is not a query (savepoints: a test runs inside a transaction).
TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


def count_queries(client, url):
    """Queries of an uncached render (the page cache would hide them)."""
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return sum(1 for query in ctx.captured_queries if not query["sql"].startswith(TRANSACTION_CONTROL))


def test_news_list_queries_constant_from_1_to_50_rows(client, make_clip, make_photo, make_attachment, make_project):
    project = make_project()
    first = make_clip()
    make_photo(first)
    make_attachment(first)
    first.projects.add(project)
    url = reverse("news:list") + "?page=1"
    one = count_queries(client, url)
    for _ in range(49):
        clip = make_clip()
        make_photo(clip)
        make_attachment(clip)
    fifty = count_queries(client, url)
    assert one == fifty
    # With an empty cache: the count and the next moment the list changes by the clock
    # (two index lookups) are kept for the next reader.
    assert one <= 8


@pytest.mark.parametrize("url_name", ["home", "projects:list", "policies:achievements", "policies:index"])
def test_other_lists_constant(client, seeded, make_clip, make_photo, make_project, url_name):
    before = count_queries(client, reverse(url_name))
    for _ in range(10):
        make_photo(make_clip())
        make_project(featured=True)
    assert count_queries(client, reverse(url_name)) == before


def test_clip_detail_queries_constant_from_1_to_20_photos_and_attachments(
    client, make_clip, make_photo, make_attachment, make_project, make_objective
):
    clip = make_clip()
    clip.projects.add(make_project())
    clip.objectives.add(make_objective(1))
    make_photo(clip)
    make_attachment(clip)
    one = count_queries(client, clip.get_absolute_url())
    for i in range(19):
        make_photo(clip, position=i + 1)
        make_attachment(clip, name=f"file-{i}.pdf", position=i + 1)
        clip.projects.add(make_project())
    twenty = count_queries(client, clip.get_absolute_url())
    assert one == twenty
    # The clip, its view count, photos, attachments, achievements, projects, objectives,
    # the links among them, the previous and the next clip, and the download counts; with an
    # empty cache also the next moment the clock changes the published clips (how long the
    # rendered parts may be kept, core.fragments), kept for the next reader as the list's is.
    assert one <= 12


def test_project_detail_constant_in_milestones_and_clips(client, seeded, make_clip):
    from projects.models import Milestone, Project

    project = Project.objects.get(slug="second-subway-line")
    before = count_queries(client, project.get_absolute_url())
    for i in range(10):
        Milestone.objects.create(project=project, date="2024-01-01", title=f"Step {i}", position=10 + i)
        make_clip().projects.add(project)
    assert count_queries(client, project.get_absolute_url()) == before
