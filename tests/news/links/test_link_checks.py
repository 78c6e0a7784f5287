"""Links in clip bodies that lead nowhere: clips readers cannot see, found at once; outbound links found
by `check_links` in the background (against a local HTTP server the test starts), shown in the admin."""

import io
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from news.links.checks import check_url, link_status
from news.models import LinkCheck, NewsClip

pytestmark = pytest.mark.django_db


class Handler(BaseHTTPRequestHandler):
    requests = []

    def _answer(self):
        Handler.requests.append((self.command, self.path))
        if self.path == "/slow":
            time.sleep(3)
        if self.path == "/no-head" and self.command == "HEAD":
            self.send_response(405)
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
        elif self.path in {"/ok", "/no-head", "/slow"}:
            self.send_response(200)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_HEAD = _answer

    def log_message(self, *args):
        pass


@pytest.fixture
def web(settings):
    """A real HTTP server on 127.0.0.1 with /ok, /moved, /no-head, /slow and 404 for the rest."""
    settings.LINK_CHECK_PRIVATE_NETWORKS = True  # the test's server is on the loopback address
    Handler.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def body_linking(*hrefs):
    return "".join(f'<p><a href="{href}">Link {n}</a></p>' for n, href in enumerate(hrefs))


def run_check(**options):
    out = io.StringIO()
    call_command("check_links", stdout=out, **options)
    return out.getvalue()


def test_check_links_records_what_each_outbound_link_answers(web, make_clip):
    make_clip(body=body_linking(f"{web}/ok", f"{web}/gone", f"{web}/moved", f"{web}/no-head"))
    report = run_check(timeout=2)
    assert "4 new address(es); 4 checked, 1 not working" in report
    checks = {check.url.removeprefix(web): check for check in LinkCheck.objects.all()}
    assert checks["/ok"].ok and checks["/ok"].status == 200
    assert checks["/moved"].ok, "redirects are followed"
    assert checks["/no-head"].ok, "a server refusing HEAD is asked with GET"
    assert checks["/gone"].ok is False and checks["/gone"].problem.startswith("HTTP 404")


def test_a_link_that_does_not_answer_in_time_is_reported_not_waited_for(web, make_clip):
    make_clip(body=body_linking(f"{web}/slow"))
    run_check(timeout=0.5)
    check = LinkCheck.objects.get()
    assert check.ok is False and "no answer within 0.5 seconds" in check.problem


def test_each_run_is_bounded_and_recent_checks_are_not_repeated(web, make_clip):
    make_clip(body=body_linking(*(f"{web}/ok?{n}" for n in range(5))))
    assert "5 new address(es); 2 checked" in run_check(limit=2, timeout=2)
    assert "0 new address(es); 2 checked" in run_check(limit=2, timeout=2)
    assert "1 checked" in run_check(limit=2, timeout=2)
    assert "0 checked" in run_check(limit=2, timeout=2), "checked within a day: not again"
    LinkCheck.objects.update(checked_at=timezone.now() - timedelta(days=2))
    assert "2 checked" in run_check(limit=2, timeout=2)


def test_links_to_this_site_and_to_private_networks_are_not_fetched(settings, make_clip):
    settings.LINK_CHECK_PRIVATE_NETWORKS = False
    make_clip(body=body_linking(f"{settings.SITE_URL}/news/", "/news/other/", "mailto:press@gwangju.go.kr"))
    assert "0 new address(es)" in run_check()
    assert check_url("http://127.0.0.1:9/", timeout=1) == (
        None,
        None,
        "not checked: the address is on a private network",
    )


def test_draft_bodies_are_checked_too(web, make_clip, admin_user):
    from news.publishing import workflow

    clip = make_clip()
    workflow.save_draft(clip, admin_user, {**workflow.snapshot(clip), "body": body_linking(f"{web}/gone")})
    run_check(timeout=2)
    assert LinkCheck.objects.get().ok is False


def test_the_clip_form_hears_at_once_of_links_to_clips_readers_cannot_see(admin_client, make_clip, settings):
    make_clip(slug="live-clip")
    make_clip(slug="draft-clip", status=NewsClip.Status.DRAFT)
    make_clip(slug="later-clip", publish_at=timezone.now() + timedelta(days=1))
    hrefs = ["/news/live-clip/", f"{settings.SITE_URL}/news/draft-clip/", "/news/later-clip/", "/news/no-such-clip/"]
    hrefs.append("/not/a/page/")
    response = admin_client.get(reverse("admin:news_newsclip_link_status"), {"href": hrefs})
    assert response.status_code == 200
    assert response.json()["links"] == {
        f"{settings.SITE_URL}/news/draft-clip/": {"kind": "unpublished", "state": "draft"},
        "/news/later-clip/": {"kind": "unpublished", "state": "scheduled"},
        "/news/no-such-clip/": {"kind": "missing"},
        "/not/a/page/": {"kind": "missing"},
    }


def test_the_clip_form_hears_of_outbound_links_found_broken(admin_client, web, make_clip):
    make_clip(body=body_linking(f"{web}/gone", f"{web}/ok"))
    run_check(timeout=2)
    answer = link_status([f"{web}/gone", f"{web}/ok"])
    assert list(answer) == [f"{web}/gone"]
    assert answer[f"{web}/gone"]["kind"] == "broken" and answer[f"{web}/gone"]["problem"].startswith("HTTP 404")


def test_the_link_status_needs_clip_permission(client, django_user_model):
    user = django_user_model.objects.create_user("visitor", password="pw-visitor-123", is_staff=True)
    client.force_login(user)
    assert client.get(reverse("admin:news_newsclip_link_status"), {"href": "/x/"}).status_code == 403


def test_the_admin_lists_broken_links_with_their_clips(admin_client, web, make_clip):
    clip = make_clip(title="Clip with a dead link", body=body_linking(f"{web}/gone"))
    run_check(timeout=2)
    page = admin_client.get(reverse("admin:news_linkcheck_changelist"), {"result": "broken"}).content.decode()
    assert f"{web}/gone" in page and "HTTP 404" in page and "Clip with a dead link" in page
    assert reverse("admin:news_newsclip_change", args=[clip.pk]) in page
    assert admin_client.get(reverse("admin:news_linkcheck_add")).status_code == 403
