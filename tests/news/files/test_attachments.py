import logging
import os
import shutil
import subprocess
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils.http import http_date

from news.models import Attachment
from tests.helpers import attachment_url as url
from tests.helpers import body, disposition_filename, disposition_params

pytestmark = pytest.mark.django_db

KOREAN = "민선7기_1주년_성과.hwp"


@pytest.fixture
def attachment(make_clip, make_attachment):
    data = bytes(ord("a") + i % 26 for i in range(10_240))
    return make_attachment(make_clip(), name="report.txt", data=data)


def count(attachment):
    return Attachment.objects.get(pk=attachment.pk).download_count


# --- headers ----------------------------------------------------------------------


def test_ascii_name_headers(client, attachment):
    response = client.get(url(attachment))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="report.txt"'
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Length"] == str(attachment.size) == "10240"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Accept-Ranges"] == "bytes"
    assert response["ETag"] == f'"{attachment.sha256}"'
    assert response["Last-Modified"] == http_date(attachment.updated.timestamp())
    assert response["Cache-Control"] == "public, no-cache"
    assert body(response) == attachment.file.storage.open(attachment.file.name).read()


def test_korean_name_keeps_exact_name_with_ascii_fallback(client, make_clip, make_attachment):
    attachment = make_attachment(make_clip(), name=KOREAN.replace(".hwp", ".pdf"))
    header = client.get(url(attachment))["Content-Disposition"]
    header.encode("ascii")
    assert header == (
        f"attachment; filename=\"minseon7gi_1junyeon_seonggwa.pdf\"; filename*=UTF-8''{quote('민선7기_1주년_성과.pdf')}"
    )
    assert disposition_filename(header) == "민선7기_1주년_성과.pdf"


def test_hwp_name_from_the_issue(client, attachment):
    Attachment.objects.filter(pk=attachment.pk).update(original_name=KOREAN, content_type="application/x-hwp")
    response = client.get(url(attachment))
    assert response["Content-Type"] == "application/x-hwp"
    assert disposition_filename(response["Content-Disposition"]) == KOREAN


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ('a";\r\nX-Injected: 1.pdf', 'a";X-Injected: 1.pdf'),
        ("../../etc/passwd", "passwd"),
        ("dir/sub/name.pdf", "name.pdf"),
        ("C:\\Users\\x\\secret.pdf", "secret.pdf"),
        ("semi;colon=1.pdf", "semi;colon=1.pdf"),
        ('quote"and\\back.pdf', "back.pdf"),
        ("tab\there\x7f\u200b.pdf", "tabhere.pdf"),
        ("..", "download"),
    ],
)
def test_hostile_stored_names_cannot_break_the_header(client, attachment, stored, expected):
    Attachment.objects.filter(pk=attachment.pk).update(original_name=stored)
    response = client.get(url(attachment))
    assert response.status_code == 200
    header = response["Content-Disposition"]
    assert not any(ch in header for ch in "\r\n\t\x00")
    assert "X-Injected" not in response.headers
    assert header.startswith('attachment; filename="')
    disposition, params = disposition_params(header)
    assert disposition == "attachment"
    assert set(params) <= {"filename", "filename*"}
    assert disposition_filename(header) == expected


def test_hostile_content_type_falls_back(client, attachment):
    Attachment.objects.filter(pk=attachment.pk).update(content_type="text/html\r\nX-Injected: 1")
    response = client.get(url(attachment))
    assert response["Content-Type"] == "application/octet-stream"
    assert "X-Injected" not in response.headers


def test_head_sends_headers_only_and_is_not_counted(client, attachment):
    response = client.head(url(attachment))
    assert response.status_code == 200
    assert response["Content-Length"] == "10240"
    assert response["ETag"] == f'"{attachment.sha256}"'
    assert body(response) == b""
    assert count(attachment) == 0


def test_post_is_refused(client, attachment):
    assert client.post(url(attachment)).status_code == 405


def test_body_is_streamed_in_chunks(client, make_clip, make_attachment):
    data = b"0123456789abcdef\n" * 40_000  # 680 KB
    attachment = make_attachment(make_clip(), name="big.txt", data=data)
    response = client.get(url(attachment))
    assert response.streaming
    chunks = list(response.streaming_content)
    assert len(chunks) > 5 and max(map(len, chunks)) <= 64 * 1024
    assert b"".join(chunks) == data


# --- ranges -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=0-9", 0, 9),
        ("bytes=100-199", 100, 199),
        ("bytes=10230-", 10230, 10239),
        ("bytes=-10", 10230, 10239),
        ("bytes=10000-99999", 10000, 10239),
        ("bytes=-99999", 0, 10239),
    ],
)
def test_range_returns_the_slice(client, attachment, header, start, end):
    full = body(client.get(url(attachment)))
    response = client.get(url(attachment), HTTP_RANGE=header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {start}-{end}/10240"
    assert response["Content-Length"] == str(end - start + 1)
    assert body(response) == full[start : end + 1]


@pytest.mark.parametrize("header", ["bytes=10240-", "bytes=99999-100000", "bytes=-0"])
def test_unsatisfiable_range_is_416(client, attachment, header):
    response = client.get(url(attachment), HTTP_RANGE=header)
    assert response.status_code == 416
    assert response["Content-Range"] == "bytes */10240"
    assert count(attachment) == 0


@pytest.mark.parametrize(
    "header",
    [
        "bytes=abc",
        "bytes=9-2",
        "bytes=",
        "bytes=-",
        "lines=0-9",
        "0-9",
        "bytes=0-9,20-29",  # multiple ranges: we send the whole file (RFC 9110 allows ignoring Range)
        "bytes=0-" + "9" * 5000,
        "bytes=\u00bd-",
    ],
)
def test_malformed_or_multiple_range_sends_everything(client, attachment, header):
    response = client.get(url(attachment), HTTP_RANGE=header)
    assert response.status_code == 200
    assert len(body(response)) == 10240
    assert "Content-Range" not in response


def test_head_with_range(client, attachment):
    response = client.head(url(attachment), HTTP_RANGE="bytes=0-99")
    assert response.status_code == 206
    assert response["Content-Length"] == "100"
    assert response["Content-Range"] == "bytes 0-99/10240"


def test_if_range_with_old_etag_sends_everything(client, attachment):
    response = client.get(url(attachment), HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"stale"')
    assert response.status_code == 200
    assert len(body(response)) == 10240
    current = client.get(url(attachment), HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=f'"{attachment.sha256}"')
    assert current.status_code == 206


# --- conditional requests ---------------------------------------------------------


def test_if_none_match_gives_304(client, attachment):
    etag = client.get(url(attachment))["ETag"]
    response = client.get(url(attachment), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response["ETag"] == etag
    assert response["Cache-Control"] == "public, no-cache"
    assert body(response) == b""


def test_if_modified_since_gives_304(client, attachment):
    last_modified = client.get(url(attachment))["Last-Modified"]
    assert client.get(url(attachment), HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304


def test_other_etag_gives_200(client, attachment):
    assert client.get(url(attachment), HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


# --- counting ---------------------------------------------------------------------


def test_full_download_counts_once(client, attachment):
    body(client.get(url(attachment)))
    body(client.get(url(attachment)))
    assert count(attachment) == 2


def test_range_from_zero_counts_but_later_ranges_do_not(client, attachment):
    body(client.get(url(attachment), HTTP_RANGE="bytes=0-"))
    assert count(attachment) == 1
    body(client.get(url(attachment), HTTP_RANGE="bytes=5000-"))
    body(client.get(url(attachment), HTTP_RANGE="bytes=-10"))
    assert count(attachment) == 1


@pytest.mark.parametrize("header", ["bytes=0-0", "bytes=0-99", "bytes=0-10238"])
def test_a_range_from_zero_that_stops_short_is_not_a_download(client, attachment, header):
    """Download managers and link checkers probe with `bytes=0-0`: not a reader's download."""
    response = client.get(url(attachment), HTTP_RANGE=header)
    assert response.status_code == 206
    body(response)
    assert count(attachment) == 0


@pytest.mark.parametrize("header", ["bytes=0-10239", "bytes=0-999999"])
def test_a_range_from_zero_to_the_last_byte_is_a_download(client, attachment, header):
    body(client.get(url(attachment), HTTP_RANGE=header))
    assert count(attachment) == 1


def test_head_and_304_are_not_counted(client, attachment):
    client.head(url(attachment))
    client.get(url(attachment), HTTP_IF_NONE_MATCH=f'"{attachment.sha256}"')
    assert count(attachment) == 0


def test_counting_leaves_updated_alone(client, attachment):
    body(client.get(url(attachment)))
    assert Attachment.objects.get(pk=attachment.pk).updated == attachment.updated


# --- publication and bad input ----------------------------------------------------


def test_draft_attachment_is_404_for_the_public(client, draft_clip, make_attachment):
    attachment = make_attachment(draft_clip)
    assert client.get(url(attachment)).status_code == 404
    assert client.head(url(attachment)).status_code == 404
    # Publication is checked before any conditional or range handling.
    assert client.get(url(attachment), HTTP_IF_NONE_MATCH=f'"{attachment.sha256}"').status_code == 404
    assert client.get(url(attachment), HTTP_RANGE="bytes=0-1").status_code == 404


def test_scheduled_attachment_is_404_for_the_public(client, scheduled_clip, make_attachment):
    assert client.get(url(make_attachment(scheduled_clip))).status_code == 404


def test_staff_may_fetch_a_draft_privately(staff_client, draft_clip, make_attachment):
    attachment = make_attachment(draft_clip)
    response = staff_client.get(url(attachment))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    not_modified = staff_client.get(url(attachment), HTTP_IF_NONE_MATCH=response["ETag"])
    assert not_modified.status_code == 304
    assert not_modified["Cache-Control"] == "private, no-store"
    assert count(attachment) == 0  # previews are not downloads by the public


def test_unknown_slug_and_ids(client, attachment, make_clip, make_attachment):
    other = make_attachment(make_clip())
    slug = attachment.clip.slug
    assert client.get(reverse("news:attachment", args=["no-such-clip", attachment.pk])).status_code == 404
    assert client.get(reverse("news:attachment", args=[slug, 999_999])).status_code == 404
    assert client.get(reverse("news:attachment", args=[slug, other.pk])).status_code == 404
    assert client.get(reverse("news:attachment", args=[slug, 0])).status_code == 404
    assert client.get(f"/news/{slug}/attachments/{10**30}/").status_code == 404
    assert client.get(f"/news/{slug}/attachments/{2**63}/").status_code == 404
    assert client.get(f"/news/{slug}/attachments/-1/").status_code == 404
    assert client.get(f"/news/{slug}/attachments/abc/").status_code == 404


def test_missing_file_is_404_and_logged(client, attachment, caplog):
    os.remove(attachment.file.path)
    with caplog.at_level(logging.WARNING, logger="news"):
        response = client.get(url(attachment))
    assert response.status_code == 404
    assert any("missing" in record.getMessage() for record in caplog.records)
    assert count(attachment) == 0


# --- handing off to the web server ------------------------------------------------


def test_x_accel_redirect(client, attachment, settings):
    settings.DOWNLOAD_SENDFILE = "x-accel-redirect"
    response = client.get(url(attachment))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/_protected/" + attachment.file.name
    assert response["Content-Disposition"] == 'attachment; filename="report.txt"'
    assert response["ETag"] == f'"{attachment.sha256}"'
    assert body(response) == b""
    assert count(attachment) == 1


def test_x_sendfile(client, attachment, settings):
    settings.DOWNLOAD_SENDFILE = "x-sendfile"
    response = client.get(url(attachment))
    assert response["X-Sendfile"] == attachment.file.path
    assert body(response) == b""
    assert count(attachment) == 1


def test_sendfile_still_checks_publication_and_conditionals(client, draft_clip, attachment, settings, make_attachment):
    settings.DOWNLOAD_SENDFILE = "x-accel-redirect"
    assert client.get(url(make_attachment(draft_clip))).status_code == 404
    assert client.get(url(attachment), HTTP_IF_NONE_MATCH=f'"{attachment.sha256}"').status_code == 304


# --- a real HTTP client -----------------------------------------------------------


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
@pytest.mark.django_db(transaction=True)
def test_curl_remote_header_name(live_server, make_clip, make_attachment, tmp_path):
    """curl -OJ reads only `filename=` (it does not decode filename*): it gets the romanised name."""
    attachment = make_attachment(make_clip(), name="민선7기_1주년_성과.pdf")
    subprocess.run(
        ["curl", "--silent", "--fail", "-OJ", live_server.url + url(attachment)],
        cwd=tmp_path,
        check=True,
        timeout=30,
    )
    saved = list(tmp_path.iterdir())
    assert [path.name for path in saved] == ["minseon7gi_1junyeon_seonggwa.pdf"]
    assert saved[0].read_bytes() == attachment.file.storage.open(attachment.file.name).read()
