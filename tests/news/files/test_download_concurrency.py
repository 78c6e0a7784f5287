"""Counters under concurrent downloads: only meaningful where the database has real concurrency."""

import http.client
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.urls import reverse

from news.models import Attachment

THREADS = 8
PER_THREAD = 25

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)"),
]


def download_many(address, path, times):
    host, port = address
    statuses = []
    for _ in range(times):
        conn = http.client.HTTPConnection(host, port, timeout=30)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            statuses.append(response.status)
        finally:
            conn.close()
    return statuses


def test_concurrent_downloads_lose_no_increment(live_server, make_clip, make_attachment):
    attachment = make_attachment(make_clip())
    parts = urlsplit(live_server.url)
    address = (parts.hostname, parts.port)
    with ThreadPoolExecutor(THREADS) as pool:
        results = list(
            pool.map(lambda _: download_many(address, attachment.get_absolute_url(), PER_THREAD), range(THREADS))
        )
    assert [status for statuses in results for status in statuses] == [200] * (THREADS * PER_THREAD)
    assert Attachment.objects.get(pk=attachment.pk).download_count == THREADS * PER_THREAD


def test_concurrent_zip_downloads_lose_no_increment(live_server, make_clip, make_attachment):
    clip = make_clip()
    first, second = make_attachment(clip, name="a.pdf"), make_attachment(clip, name="b.pdf")
    parts = urlsplit(live_server.url)
    address = (parts.hostname, parts.port)
    path = reverse("news:bundle", args=[clip.slug])
    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(lambda _: download_many(address, path, 10), range(THREADS)))
    assert all(status == 200 for statuses in results for status in statuses)
    counts = set(Attachment.objects.filter(pk__in=[first.pk, second.pk]).values_list("download_count", flat=True))
    assert counts == {THREADS * 10}
