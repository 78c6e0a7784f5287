"""The edge cache (deploy/nginx/gwangju-edge*.conf) through the arrangement's main HTTPS port:
what it keeps and for whom, how soon an editor's change shows, and that every view and
download it serves is counted once in the database (ingest_edge_counts, started by prod.sh).

The per-instance ports (URL_A, URL_B) bypass the edge; these tests use the main one.
"""

import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.helpers import clip_form_data, pdf_bytes

from .conftest import admin_post, lock_token, publish_clip

pytestmark = pytest.mark.integration

CHANGE_SHOWS_WITHIN = 2.0  # seconds after the editor's click (issue 23)
COUNTED_WITHIN = 10.0


@pytest.fixture(scope="module")
def clip(site, admin_a):
    return publish_clip(site, admin_a, site.url_a, [("edge_자료.pdf", pdf_bytes(f"edge {uuid.uuid4()}"))])


def edge(response):
    return response.headers.get("X-Edge-Cache")


def until(deadline, check, pause=0.1):
    """check() until it is true or `deadline` (time.monotonic()) passes; its last value."""
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(pause)


def test_anonymous_readers_get_pages_and_files_from_the_edge(site, clip):
    reader = site.session()
    for path in (f"/news/{clip.slug}/", f"/news/{clip.slug}/attachments/{clip.attachments[0][0]}/", "/news/", "/"):
        first = reader.get(site.url + path, timeout=10)
        second = reader.get(site.url + path, timeout=10)
        assert first.status_code == second.status_code == 200
        assert edge(second) == "HIT", path
        assert first.content == second.content or path == f"/news/{clip.slug}/"  # the page's view count moves
        assert "X-Edge-Count" not in second.headers
        assert second.headers["X-Content-Type-Options"] == "nosniff"


def test_staff_head_and_ranges_never_use_the_edge(site, clip, admin_a):
    page = f"{site.url}/news/{clip.slug}/"
    attachment = f"{site.url}/news/{clip.slug}/attachments/{clip.attachments[0][0]}/"
    site.session().get(page, timeout=10)
    site.session().get(attachment, timeout=10)
    assert edge(admin_a.get(page, timeout=10)) == "BYPASS"
    assert edge(site.session().head(page, timeout=10)) == "BYPASS"
    ranged = site.session().get(attachment, headers={"Range": "bytes=0-9"}, timeout=10)
    # (sent by the protected-files location after the hand-off, which adds no X-Edge-Cache)
    assert ranged.status_code == 206 and len(ranged.content) == 10 and edge(ranged) != "HIT"


def test_only_the_parameters_a_page_reads_make_a_new_entry(site):
    reader = site.session()
    marker = uuid.uuid4().hex  # a search nobody made yet: a fresh entry
    first = reader.get(f"{site.url}/news/?q={marker}&utm_source=mail", timeout=10)
    again = reader.get(f"{site.url}/news/?utm_campaign=x&q={marker}", timeout=10)
    assert edge(first) in {"MISS", "EXPIRED"} and edge(again) == "HIT"
    assert again.content == first.content
    # A repeated parameter: the page and the key both take the first value.
    twice = reader.get(f"{site.url}/news/?q={marker}&q=other", timeout=10)
    assert edge(twice) == "HIT" and twice.content == first.content


def test_an_edit_published_in_the_admin_shows_through_the_edge_within_2_s(site, admin_a):
    clip = publish_clip(site, admin_a, site.url_a, [], title="Edge before the edit")
    reader, page = site.session(), f"{site.url}/news/{clip.slug}/"
    assert "Edge before the edit" in reader.get(page, timeout=10).text
    assert edge(reader.get(page, timeout=10)) == "HIT"
    clip_id = site.scalar("SELECT id FROM news_newsclip WHERE slug = %s", clip.slug)
    data = clip_form_data(
        slug=clip.slug,
        title="Edge after the edit",
        lock_token=lock_token(admin_a, site.url_a, clip_id),
        _workflow="publish",
    )
    edit = admin_post(admin_a, site.url_a, f"/admin/news/newsclip/{clip_id}/change/", data)
    clicked = time.monotonic()  # the admin has answered: the edit is committed
    assert edit.status_code == 302

    shown = until(clicked + CHANGE_SHOWS_WITHIN, lambda: "Edge after the edit" in reader.get(page, timeout=5).text)

    assert shown
    for path in ("/news/", "/"):
        assert "Edge before the edit" not in reader.get(site.url + path, timeout=10).text


def test_a_clip_unpublished_in_the_admin_is_gone_from_the_edge_within_2_s(site, admin_a):
    clip = publish_clip(site, admin_a, site.url_a, [("withdrawn.pdf", pdf_bytes("withdrawn"))], title="Edge takedown")
    reader = site.session()
    urls = [f"{site.url}/news/{clip.slug}/", f"{site.url}/news/{clip.slug}/attachments/{clip.attachments[0][0]}/"]
    for url in urls:
        reader.get(url, timeout=10)
        assert edge(reader.get(url, timeout=10)) == "HIT"
    clip_id = site.scalar("SELECT id FROM news_newsclip WHERE slug = %s", clip.slug)
    data = clip_form_data(
        slug=clip.slug,
        title="Edge takedown",
        lock_token=lock_token(admin_a, site.url_a, clip_id),
        _workflow="confirm_unpublish",  # the editor answered the "take it down?" question
    )
    response = admin_post(admin_a, site.url_a, f"/admin/news/newsclip/{clip_id}/change/", data)
    clicked = time.monotonic()
    assert response.status_code == 302

    gone = until(clicked + CHANGE_SHOWS_WITHIN, lambda: all(reader.get(u, timeout=5).status_code == 404 for u in urls))
    assert gone
    time.sleep(0.5)  # and it stays gone: no stale copy comes back
    assert [reader.get(u, timeout=5).status_code for u in urls] == [404, 404]


def test_every_view_and_download_the_edge_serves_is_counted_once(site, clip):
    pk = clip.attachments[0][0]
    page, attachment = f"{site.url}/news/{clip.slug}/", f"{site.url}/news/{clip.slug}/attachments/{pk}/"
    views, downloads = site.views(clip.slug), site.downloads(pk)
    reader = site.session()

    def fetch(url):
        response = reader.get(url, timeout=30)
        assert response.status_code == 200
        return edge(response)

    with ThreadPoolExecutor(16) as pool:
        served = list(pool.map(fetch, [page, attachment] * 200))

    assert served.count("HIT") > 300  # most came from the edge, not the app
    deadline = time.monotonic() + COUNTED_WITHIN
    counted = until(deadline, lambda: (site.views(clip.slug) - views, site.downloads(pk) - downloads) == (200, 200))
    assert counted, (site.views(clip.slug) - views, site.downloads(pk) - downloads)
    time.sleep(1)  # and not once more
    assert (site.views(clip.slug) - views, site.downloads(pk) - downloads) == (200, 200)
