"""Counts stay exact while an instance restarts; with one instance dead the site still answers."""

import random
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.helpers import SEED_SLUG, pdf_bytes

from .conftest import publish_clip

pytestmark = pytest.mark.integration

REQUESTS = 400


def test_counts_are_exact_after_400_concurrent_requests_with_a_restart_in_the_middle(site, admin_a):
    clip = publish_clip(site, admin_a, site.url_a, [("counted.pdf", pdf_bytes("counted"))])
    pk = clip.attachments[0][0]
    urls = [f"{site.url}/news/{clip.slug}/"] * (REQUESTS // 2) + [f"{site.url}/news/{clip.slug}/attachments/{pk}/"] * (
        REQUESTS // 2
    )
    random.Random(4).shuffle(urls)
    done = threading.Semaphore(0)
    local = threading.local()

    def fetch(url):
        if not hasattr(local, "session"):
            local.session = site.session()
        try:
            return local.session.get(url, timeout=60).status_code
        finally:
            done.release()

    def restart_b_midway():
        for _ in range(REQUESTS // 4):
            done.acquire()
        site.prod("stop-instance", site.app_port_b)
        site.prod("start-instance", site.app_port_b)

    restarter = threading.Thread(target=restart_b_midway)
    restarter.start()
    with ThreadPoolExecutor(max_workers=24) as pool:
        statuses = list(pool.map(fetch, urls))
    restarter.join(timeout=90)

    assert statuses == [200] * REQUESTS
    assert site.views(clip.slug) == REQUESTS // 2
    assert site.downloads(pk) == REQUESTS // 2


PAGES = [
    "/",
    "/news/",
    f"/news/{SEED_SLUG}/",
    f"/news/{SEED_SLUG}/attachments.zip",
    f"/news/{SEED_SLUG}/page.pdf",
    "/news/feed/",
    "/policies/",
    "/policies/achievements/",
    "/policies/objectives/1/",
    "/projects/",
    "/search/?q=hydrogen",
    "/sitemap.xml",
    "/robots.txt",
    "/healthz",
    "/admin/login/",
]


@pytest.fixture
def instance_b_killed(site):
    site.prod("kill-instance", site.app_port_b)
    yield
    site.prod("start-instance", site.app_port_b)


def test_with_one_instance_killed_every_page_still_answers(site, instance_b_killed):
    session = site.session()
    # Several rounds: nginx's round robin would send every other request to B.
    statuses = {path: {session.get(site.url + path, timeout=60).status_code for _ in range(3)} for path in PAGES}

    assert statuses == {path: {200} for path in PAGES}
    # nginx reports the dead instance: its pinned port answers nginx's own page (503, never a bare 502).
    dead = session.get(site.url_b + "/healthz", timeout=10)
    assert dead.status_code == 503 and "Back in a moment" in dead.text
    assert session.get(site.url_a + "/healthz", timeout=10).status_code == 200
