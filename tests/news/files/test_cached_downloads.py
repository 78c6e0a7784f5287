"""A repeat download of a published clip's attachment is answered before the view runs
(core.page_cache keeps what the view looked up), and is the same answer, counted the same."""

import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from news.models import Attachment
from news.publishing import workflow
from tests.helpers import attachment_url as url
from tests.helpers import body, disposition_filename

KOREAN = "광주_보도자료.txt"

pytestmark = pytest.mark.django_db


@pytest.fixture
def attachment(make_clip, make_attachment):
    return make_attachment(make_clip(expires_at=timezone.now() + timedelta(days=1)), name=KOREAN, data=b"HWP " * 2000)


def count(attachment):
    return Attachment.objects.get(pk=attachment.pk).download_count


def test_a_repeat_download_is_the_same_answer_and_is_counted(client, attachment):
    first = client.get(url(attachment))
    first_body = body(first)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url(attachment))
        again_body = body(again)
    # The counter's UPDATE and nothing else (on PostgreSQL one statement whose commit does not
    # wait for the disk: core.counting).
    statements = [q["sql"] for q in queries.captured_queries]
    counted = [sql for sql in statements if not sql.startswith(("SAVEPOINT", "RELEASE"))]
    assert len(counted) == 1 and 'UPDATE "news_attachment"' in counted[0]
    assert again_body == first_body == b"HWP " * 2000
    assert disposition_filename(again["Content-Disposition"]) == KOREAN
    for header in (
        "Content-Type",
        "ETag",
        "Last-Modified",
        "Cache-Control",
        "Content-Security-Policy",
        "X-Frame-Options",
    ):
        assert again[header] == first[header]
    for _ in range(5):
        body(client.get(url(attachment)))
    assert count(attachment) == 7


def test_a_repeat_head_range_or_304_is_not_counted(client, attachment):
    first = client.get(url(attachment))
    body(first)
    assert client.head(url(attachment)).status_code == 200
    partial = client.get(url(attachment), HTTP_RANGE="bytes=10-19")
    assert partial.status_code == 206 and body(partial) == (b"HWP " * 2000)[10:20]
    assert client.get(url(attachment), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert count(attachment) == 1


def test_withdrawing_the_clip_or_the_file_stops_it_at_once(client, attachment, admin_user, make_attachment):
    body(client.get(url(attachment)))
    workflow.unpublish(attachment.clip, admin_user)
    assert client.get(url(attachment)).status_code == 404
    other = make_attachment(attachment.clip.__class__.objects.get(pk=attachment.clip.pk), name="other.txt", data=b"x")
    assert other  # the clip is unpublished: its new file is private too
    assert Client().get(url(other)).status_code == 404


def test_a_deleted_attachment_is_gone_at_once(client, attachment):
    body(client.get(url(attachment)))
    Attachment.objects.get(pk=attachment.pk).delete()
    assert client.get(url(attachment)).status_code == 404


def test_not_served_past_the_clips_expiry(client, attachment, monkeypatch):
    body(client.get(url(attachment)))
    body(client.get(url(attachment)))
    later = timezone.now() + timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    monkeypatch.setattr(time, "time", lambda: later.timestamp())
    assert client.get(url(attachment)).status_code == 404


def test_staff_are_never_answered_from_the_cache(staff_client, attachment, django_assert_max_num_queries):
    body(staff_client.get(url(attachment)))
    response = staff_client.get(url(attachment))
    body(response)
    assert response.wsgi_request.resolver_match is not None  # the view ran
