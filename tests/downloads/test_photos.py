import io
import logging
import os

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from tests.conftest import image_bytes

from .conftest import body

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


def test_photo_for_img_tag_needs_few_queries(client, photo, django_assert_max_num_queries):
    client.get(url(photo, "thumb"))  # make the rendition
    with django_assert_max_num_queries(2):
        assert client.get(url(photo, "thumb")).status_code == 200


def test_two_threads_making_one_rendition_both_succeed(photo, monkeypatch):
    """Threads of one worker share a process id: their temporary files must not collide."""
    import threading

    from news.renditions import ensure_rendition

    barrier = threading.Barrier(2, timeout=5)
    real_replace = os.replace

    def replace_together(source, target):
        try:
            barrier.wait()  # both threads have written their temporary file
        except threading.BrokenBarrierError:
            pass
        return real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace_together)
    results, errors = [], []

    def make():
        try:
            results.append(ensure_rendition(photo, "thumb"))
        except Exception as error:  # noqa: BLE001 - the test reports any failure below
            errors.append(error)

    threads = [threading.Thread(target=make) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(results) == 2
    with photo.image.storage.open(results[0], "rb") as handle, Image.open(handle) as image:
        image.load()
        assert image.width == 480
    leftovers = [
        p for p in os.listdir(os.path.dirname(photo.image.storage.path(results[0]))) if "tmp" in p or p.startswith(".")
    ]
    assert leftovers == []
