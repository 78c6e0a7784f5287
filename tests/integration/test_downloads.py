"""Files sent by nginx (X-Accel-Redirect) keep the app's names, validators, ranges and counts."""

import io
import re
import time
import zipfile

import pytest

from tests.helpers import pdf_bytes

from .conftest import PROD_DIR, publish_clip, sha256

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def clip(site, admin_a):
    return publish_clip(
        site,
        admin_a,
        site.url_a,
        [("광주_혁신_1년.pdf", pdf_bytes("x" * 5000)), ("report.pdf", pdf_bytes("report"))],
    )


def _app_logged_body_size(site, path, request_id):
    """The body size the app itself sent for the request `request_id` (nginx's id, which
    gunicorn logs), from the instances' access logs. gunicorn writes the line once the
    response is finished, which may be after the reader has it: waited for, 10 s at most."""
    deadline = time.monotonic() + 10
    while True:
        for port in (site.app_port_a, site.app_port_b):
            for line in (PROD_DIR / "log" / f"gunicorn-{port}.log").read_text().splitlines():
                match = re.search(r'"GET (\S+) HTTP/1.1" (\d+) (\S+) .*req=' + request_id, line)
                if match and match.group(1) == path:
                    return match.group(3)
        if time.monotonic() > deadline:
            return None
        time.sleep(0.1)


def test_an_attachment_is_sent_by_nginx_with_the_apps_name_validators_and_count(site, clip):
    pk, name, content = clip.attachments[0]
    path = f"/news/{clip.slug}/attachments/{pk}/"
    session = site.session()

    response = session.get(site.url + path, timeout=10)

    assert response.status_code == 200
    assert response.content == content
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"gwangju_hyeoksin_1nyeon.pdf\"; filename*=UTF-8''"
        "%EA%B4%91%EC%A3%BC_%ED%98%81%EC%8B%A0_1%EB%85%84.pdf"
    )
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["ETag"] == f'"{sha256(content)}"'  # the app's validator, not nginx's
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert _app_logged_body_size(site, path, response.headers["X-Request-ID"]) in {"0", "-"}  # sent by nginx
    assert site.downloads(pk) == 1


def test_ranges_and_conditional_requests_through_nginx_count_only_whole_files(site, clip):
    pk, _, content = clip.attachments[0]
    url = f"{site.url}/news/{clip.slug}/attachments/{pk}/"
    session = site.session()
    etag = session.head(url, timeout=10).headers["ETag"]
    before = site.downloads(pk)

    middle = session.get(url, headers={"Range": "bytes=100-199"}, timeout=10)
    resumed = session.get(url, headers={"Range": "bytes=100-", "If-Range": etag}, timeout=10)
    stale = session.get(url, headers={"Range": "bytes=100-", "If-Range": '"an-old-version"'}, timeout=10)
    unchanged = session.get(url, headers={"If-None-Match": etag}, timeout=10)
    beyond = session.get(url, headers={"Range": f"bytes={len(content) + 10}-"}, timeout=10)
    absurd = session.get(url, headers={"Range": "bytes=99999999999999999999999999-"}, timeout=10)

    assert (middle.status_code, middle.content) == (206, content[100:200])
    assert middle.headers["Content-Range"] == f"bytes 100-199/{len(content)}"
    assert (resumed.status_code, resumed.content) == (206, content[100:])
    assert (stale.status_code, stale.content) == (200, content)  # a changed file: the whole of it
    assert unchanged.status_code == 304
    assert beyond.status_code == 416 and beyond.headers["Content-Range"] == f"bytes */{len(content)}"
    assert absurd.status_code in {200, 416}
    # Counted: the whole file sent for the stale If-Range, and the absurd range if it got the whole file.
    assert site.downloads(pk) == before + 1 + (absurd.status_code == 200)


def test_the_zip_streams_through_nginx_with_korean_names_and_counts(site, clip):
    before = [site.downloads(pk) for pk, _, _ in clip.attachments]

    response = site.session().get(f"{site.url}/news/{clip.slug}/attachments.zip", timeout=30)

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/zip"
    assert f"{clip.slug}-attachments.zip" in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.testzip() is None
    assert sorted(archive.namelist()) == sorted(name for _, name, _ in clip.attachments)
    assert {archive.read(name) for _, name, _ in clip.attachments} == {data for _, _, data in clip.attachments}
    assert [site.downloads(pk) for pk, _, _ in clip.attachments] == [count + 1 for count in before]


def test_a_protected_files_internal_path_is_404_from_outside(site, clip):
    pk, _, _ = clip.attachments[0]
    stored = site.scalar("SELECT file FROM news_attachment WHERE id = %s", pk)
    prefix = site.env["PROTECTED_MEDIA_INTERNAL_URL"].rstrip("/")

    for base in (site.url, site.url_a):
        response = site.session().get(f"{base}{prefix}/{stored}", timeout=10)
        assert response.status_code == 404
        assert b"%PDF" not in response.content


def test_a_dropped_zip_download_resumes_through_nginx(site, clip):
    session = site.session()
    # The port pinned to one instance, which has no edge cache: a whole download served by the
    # edge is counted a moment later (tests/integration/test_edge_cache.py), not before `before`.
    url = f"{site.url_a}/news/{clip.slug}/attachments.zip"
    full = session.get(url, timeout=30)
    size = int(full.headers["Content-Length"])
    assert size == len(full.content) and full.headers["Accept-Ranges"] == "bytes"
    before = [site.downloads(pk) for pk, _, _ in clip.attachments]

    first = session.get(url, headers={"Range": f"bytes=0-{size // 2 - 1}"}, timeout=30)
    rest = session.get(url, headers={"Range": f"bytes={size // 2}-", "If-Range": first.headers["ETag"]}, timeout=30)

    assert (first.status_code, rest.status_code) == (206, 206)
    resumed = first.content + rest.content
    assert sha256(resumed) == sha256(full.content)
    assert [site.downloads(pk) for pk, _, _ in clip.attachments] == before  # ranges are not downloads
