import io
import logging
import os

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from tests.helpers import body, image_bytes

pytestmark = pytest.mark.django_db


def url(photo, size):
    return reverse("news:photo", kwargs={"slug": photo.clip.slug, "pk": photo.pk, "size": size})


@pytest.fixture
def photo(make_clip, make_photo):
    return make_photo(make_clip(), data=image_bytes(size=(2000, 1000)))


@pytest.mark.parametrize(("size", "width"), [("thumb", 480), ("large", 1280), ("original", 2000)])
def test_sizes_are_served_inline(client, photo, size, width):
    response = client.get(url(photo, size))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == f'inline; filename="{photo.clip.slug}-photo-{photo.pk}-{size}.jpg"'
    assert response["Cache-Control"] == "public, max-age=3600"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["ETag"] and response["Last-Modified"]
    data = body(response)
    assert response["Content-Length"] == str(len(data))
    assert Image.open(io.BytesIO(data)).width == width


def test_304_on_etag_and_date(client, photo):
    first = client.get(url(photo, "thumb"))
    assert client.get(url(photo, "thumb"), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url(photo, "thumb"), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_head_and_range(client, photo):
    assert client.head(url(photo, "large")).status_code == 200
    response = client.get(url(photo, "original"), HTTP_RANGE="bytes=0-1")
    assert response.status_code == 206
    assert body(response) == b"\xff\xd8"  # JPEG start of image


def test_unknown_size_other_clip_and_bad_ids(client, photo, make_clip, make_photo):
    other = make_photo(make_clip())
    slug = photo.clip.slug
    assert client.get(url(photo, "huge")).status_code == 404
    assert client.get(url(photo, "THUMB")).status_code == 404
    assert client.get(reverse("news:photo", args=[slug, other.pk, "thumb"])).status_code == 404
    assert client.get(reverse("news:photo", args=["no-such-clip", photo.pk, "thumb"])).status_code == 404
    assert client.get(f"/news/{slug}/photos/{10**30}/thumb/").status_code == 404
    assert client.get(f"/news/{slug}/photos/-1/thumb/").status_code == 404


def test_draft_photos(staff_client, draft_clip, make_photo):
    photo = make_photo(draft_clip)
    anonymous = Client()  # `staff_client` is pytest-django's `client`, logged in
    for size in ("thumb", "large", "original"):
        assert anonymous.get(url(photo, size)).status_code == 404
    response = staff_client.get(url(photo, "original"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_missing_original_is_404_and_logged(client, photo, caplog):
    os.remove(photo.image.path)
    with caplog.at_level(logging.WARNING, logger="news"):
        assert client.get(url(photo, "original")).status_code == 404
        assert client.get(url(photo, "thumb")).status_code == 404
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) >= 2


def test_a_rendition_that_cannot_be_made_falls_back_to_the_original_not_a_broken_image(
    client, photo, monkeypatch, caplog
):
    from news.files import views

    def disk_full(item, size):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(views, "ensure_rendition", disk_full)
    with caplog.at_level(logging.WARNING, logger="news"):
        response = client.get(url(photo, "thumb"))

    assert response.status_code == 200
    assert Image.open(io.BytesIO(body(response))).width == 2000  # the photo as uploaded
    assert response["Cache-Control"] == "no-cache"  # the next request tries the rendition again
    assert any("No space left" in r.getMessage() for r in caplog.records)


def test_photo_for_img_tag_needs_few_queries(client, photo, django_assert_max_num_queries):
    client.get(url(photo, "thumb"))  # make the rendition
    with django_assert_max_num_queries(2):
        assert client.get(url(photo, "thumb")).status_code == 200


def test_concurrent_first_requests_make_the_rendition_once(photo, monkeypatch):
    """Six threads ask for a rendition nobody has made: one makes it under the lock, the others
    wait for it and reuse the file (flock locks also hold between threads: each opens the file)."""
    import threading
    import time

    from news.files.renditions import ensure_rendition

    saves = []
    real_save = Image.Image.save

    def slow_save(self, *args, **kwargs):
        saves.append(kwargs.get("format"))
        time.sleep(0.2)  # a wide window for the others to arrive while the file is being made
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(Image.Image, "save", slow_save)
    barrier = threading.Barrier(6, timeout=5)
    results, errors = [], []

    def make():
        try:
            barrier.wait()
            results.append(ensure_rendition(photo, "640.webp"))
        except Exception as error:  # noqa: BLE001 - the test reports any failure below
            errors.append(error)

    threads = [threading.Thread(target=make) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert saves == ["WEBP"]
    assert len(set(results)) == 1 and len(results) == 6
    with photo.image.storage.open(results[0], "rb") as handle, Image.open(handle) as image:
        assert (image.format, image.width) == ("WEBP", 640)
    folder = os.path.dirname(photo.image.storage.path(results[0]))
    assert [p for p in os.listdir(folder) if "rendition" in p] == []  # no temporary file left


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_through_the_view(make_clip, make_photo, monkeypatch):
    """Committed rows, so the request threads (each with its own connection) see the clip."""
    import threading

    from django.db import close_old_connections

    photo = make_photo(make_clip(), data=image_bytes(size=(2000, 1000)))
    made = []
    real_save = Image.Image.save
    monkeypatch.setattr(Image.Image, "save", lambda self, *a, **k: made.append(1) or real_save(self, *a, **k))
    statuses = []

    def fetch():
        try:
            response = Client().get(url(photo, "320"))
            statuses.append((response.status_code, len(body(response))))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=fetch) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [status for status, _ in statuses] == [200] * 4
    assert len({size for _, size in statuses}) == 1
    assert made == [1]


@pytest.mark.parametrize("size", ["320", "480", "640", "960", "1280", "thumb", "large"])
def test_every_width_in_both_formats(client, photo, size):
    width = {"thumb": 480, "large": 1280}.get(size) or int(size)
    plain = client.get(url(photo, size))
    webp = client.get(url(photo, f"{size}.webp"))
    assert plain["Content-Type"] == "image/jpeg"
    assert webp["Content-Type"] == "image/webp"
    assert webp["Content-Disposition"] == f'inline; filename="{photo.clip.slug}-photo-{photo.pk}-{size}.webp"'
    for response, fmt in ((plain, "JPEG"), (webp, "WEBP")):
        image = Image.open(io.BytesIO(body(response)))
        assert (image.format, image.size) == (fmt, (width, width // 2))


def test_renditions_are_never_upscaled(client, make_clip, make_photo):
    small = make_photo(make_clip(), data=image_bytes(size=(600, 300)))
    for size in ("640", "960", "1280", "large", "1280.webp"):
        assert Image.open(io.BytesIO(body(client.get(url(small, size))))).size == (600, 300)
    assert Image.open(io.BytesIO(body(client.get(url(small, "320.webp"))))).size == (320, 160)


@pytest.mark.parametrize(
    "size", ["huge", "THUMB", "0320", "321", "2000", "320.png", "320.WEBP", "original.webp", "320.webp.webp", "٣٢٠"]
)
def test_bad_size_names_are_404(client, photo, size):
    assert client.get(url(photo, size)).status_code == 404


def test_unpublished_clips_renditions_are_private(staff_client, draft_clip, make_photo):
    photo = make_photo(draft_clip)
    for size in ("320", "640.webp", "1280.webp"):
        assert Client().get(url(photo, size)).status_code == 404
        response = staff_client.get(url(photo, size))
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"
