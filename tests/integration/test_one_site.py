"""Two app instances behind nginx behave as one site: files, caches, sessions, throttling."""

import io
import re
import uuid

import pytest
from pypdf import PdfReader

from tests.helpers import clip_form_data, pdf_bytes

from .conftest import admin_post, lock_token, login, publish_clip, sha256

pytestmark = pytest.mark.integration


def test_an_upload_through_instance_a_downloads_through_instance_b(site, admin_a):
    content = pdf_bytes(f"upload {uuid.uuid4()}")
    clip = publish_clip(site, admin_a, site.url_a, [("광주_보도자료.pdf", content)])
    (pk, name, _), reader = clip.attachments[0], site.session()

    response = reader.get(f"{site.url_b}/news/{clip.slug}/attachments/{pk}/", timeout=10)

    assert response.status_code == 200
    assert sha256(response.content) == sha256(content)
    assert name == "광주_보도자료.pdf"
    assert "filename*=UTF-8''%EA%B4%91%EC%A3%BC_" in response.headers["Content-Disposition"]


def test_a_page_edited_on_a_is_never_stale_on_b(site, admin_a):
    clip = publish_clip(site, admin_a, site.url_a, [], title="Before the edit")
    reader = site.session()
    page, pdf = f"{site.url_b}/news/{clip.slug}/", f"{site.url_b}/news/{clip.slug}/page.pdf"
    # Both are now in the shared cache (page) and the shared folder (PDF), seen from B.
    assert "Before the edit" in reader.get(page, timeout=10).text
    assert "Before the edit" in PdfReader(io.BytesIO(reader.get(pdf, timeout=60).content)).pages[0].extract_text()
    clip_id = site.scalar("SELECT id FROM news_newsclip WHERE slug = %s", clip.slug)

    edit = admin_post(
        admin_a,
        site.url_a,
        f"/admin/news/newsclip/{clip_id}/change/",
        clip_form_data(
            slug=clip.slug,
            title="After the edit",
            lock_token=lock_token(admin_a, site.url_a, clip_id),
            _workflow="publish",  # the clip is live: an edit is a draft until published
        ),
    )
    assert edit.status_code == 302

    html = reader.get(page, timeout=10).text
    assert "After the edit" in html and "Before the edit" not in html
    text = PdfReader(io.BytesIO(reader.get(pdf, timeout=60).content)).pages[0].extract_text()
    assert "After the edit" in text and "Before the edit" not in text


def test_an_admin_session_from_a_is_valid_on_b(site):
    session, _ = login(site, site.url_a)

    response = session.get(site.url_b + "/admin/", timeout=10, allow_redirects=False)

    assert response.status_code == 200
    assert "Log out" in response.text


def test_login_failures_count_across_both_instances_whatever_the_client_claims(site):
    username = f"intruder-{uuid.uuid4().hex[:8]}"
    limit = int(site.env.get("AXES_FAILURE_LIMIT", 5))
    statuses = []
    for attempt in range(limit):
        base = (site.url_a, site.url_b)[attempt % 2]
        session = site.session()
        # A forged X-Forwarded-For must not make each attempt look like a new client.
        session.headers["X-Forwarded-For"] = f"198.51.100.{attempt + 1}"
        _, response = login(site, base, username=username, password="wrong-password", session=session)
        statuses.append(response.status_code)

    assert statuses[:-1] == [200] * (limit - 1)
    assert statuses[-1] == 429
    for base in (site.url_a, site.url_b):
        _, response = login(site, base, username=username, password="wrong-password")
        assert response.status_code == 429
        assert re.search("Too many failed logins", response.text)
