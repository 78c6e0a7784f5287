"""Photos are decoded in full and re-encoded: caps, truncation, trailing bytes, EXIF."""

import io

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils.html import escape
from PIL import Image

from news.models import Attachment, ClipImage
from tests.helpers import clip_form_data, image_bytes, upload

from . import samples

pytestmark = pytest.mark.django_db

BROKEN = "The image is damaged or incomplete and cannot be used."
DJANGO_INVALID = "Upload a valid image. The file you uploaded was either not an image or a corrupted image."


def post_photo(admin_client, name, data):
    row = {"image": upload(name, data), "alt_text": "Gwangju City Hall", "caption": ""}
    return admin_client.post(reverse("admin:news_newsclip_add"), clip_form_data(images=[row]))


def post_image_attachment(admin_client, name, data):
    return admin_client.post(
        reverse("admin:news_newsclip_add"), clip_form_data(attachments=[{"file": upload(name, data)}])
    )


def stored_photo_bytes():
    photo = ClipImage.objects.get()
    with photo.image.open("rb") as handle:
        return handle.read()


def stored_attachment_bytes():
    attachment = Attachment.objects.get()
    with attachment.file.open("rb") as handle:
        return handle.read()


REFUSED = [
    pytest.param(
        "big.jpg",
        image_bytes(size=(64, 48)),
        {"UPLOAD_MAX_IMAGE_PIXELS": 1000},
        "The image is too large (64×48 pixels, 1 frame(s)).",
        id="megapixel-cap",
    ),
    pytest.param(
        "anim.gif",
        samples.animated_gif((20, 20), frames=5),
        {"UPLOAD_MAX_IMAGE_PIXELS": 1000},
        "The image is too large (20×20 pixels, 5 frame(s)).",
        id="frames-counted",
    ),
    pytest.param(
        "bomb.png",
        samples.png_claiming(30_000, 30_000),
        {},
        "The image has too many pixels to be processed safely.",
        id="decompression-bomb-header",
    ),
    pytest.param(
        "bomb.png",
        samples.png_claiming(7000, 7000),
        {},
        "The image is too large (7000×7000 pixels, 1 frame(s)).",
        id="over-default-40mp",
    ),
    pytest.param("cut.jpg", samples.truncated(samples.noisy_jpeg()), {}, BROKEN, id="truncated-jpeg"),
    pytest.param("cut.png", samples.truncated(image_bytes("PNG", size=(300, 300))), {}, BROKEN, id="truncated-png"),
    pytest.param("cut.gif", samples.truncated(samples.animated_gif((60, 60))), {}, BROKEN, id="truncated-gif"),
]


@pytest.mark.parametrize(("name", "data", "setting", "message"), REFUSED)
def test_bad_image_attachment_is_refused(admin_client, store_counts, name, data, setting, message):
    before = store_counts()
    with override_settings(**setting):
        response = post_image_attachment(admin_client, name, data)
    assert response.status_code == 200
    assert escape(message) in response.content.decode()
    assert store_counts() == before


@pytest.mark.parametrize(("name", "data", "setting", "message"), REFUSED)
def test_bad_gallery_photo_is_refused(admin_client, store_counts, name, data, setting, message):
    before = store_counts()
    with override_settings(**setting):
        response = post_photo(admin_client, name, data)
    assert response.status_code == 200
    html = response.content.decode()
    # Django's own image field may refuse first (it also opens the file with Pillow).
    assert escape(message) in html or escape(DJANGO_INVALID) in html
    assert store_counts() == before


def test_trailing_bytes_after_jpeg_end_are_not_stored(admin_client):
    assert post_photo(admin_client, "p.jpg", samples.jpeg_with_trailer()).status_code == 302
    data = stored_photo_bytes()
    assert b"<script>" not in data
    assert data.endswith(b"\xff\xd9")


def test_trailing_bytes_after_gif_trailer_are_not_stored_in_a_photo(admin_client):
    assert post_photo(admin_client, "p.gif", samples.gif_polyglot()).status_code == 302
    assert b"<script>" not in stored_photo_bytes()


def test_exif_gps_is_stripped_from_the_stored_photo(admin_client):
    original = samples.jpeg_with_exif(gps=True)
    assert 0x8825 in Image.open(io.BytesIO(original)).getexif()  # the fixture really carries GPS
    assert post_photo(admin_client, "gps.jpg", original).status_code == 302
    data = stored_photo_bytes()
    stored = Image.open(io.BytesIO(data))
    assert dict(stored.getexif()) == {}
    assert b"Exif" not in data and b"PhoneMaker" not in data


def test_exif_gps_is_stripped_from_an_image_attachment(admin_client):
    assert post_image_attachment(admin_client, "gps.jpg", samples.jpeg_with_exif(gps=True)).status_code == 302
    data = stored_attachment_bytes()
    assert dict(Image.open(io.BytesIO(data)).getexif()) == {}


def test_orientation_is_applied_before_metadata_is_dropped(admin_client):
    # Orientation 6: the camera was turned; the picture must be shown rotated 90° clockwise.
    assert (
        post_photo(admin_client, "turned.jpg", samples.jpeg_with_exif(orientation=6, size=(40, 20))).status_code == 302
    )
    photo = ClipImage.objects.get()
    assert (photo.width, photo.height) == (20, 40)
    stored = Image.open(io.BytesIO(stored_photo_bytes()))
    assert stored.size == (20, 40)
    assert 0x0112 not in stored.getexif()
    # The blue left half is now the top half.
    red, green, blue = stored.convert("RGB").getpixel((10, 5))
    assert blue > 150 and red < 100


def test_animated_gif_within_the_cap_keeps_its_frames(admin_client):
    assert post_photo(admin_client, "anim.gif", samples.animated_gif((20, 20), frames=5)).status_code == 302
    assert Image.open(io.BytesIO(stored_photo_bytes())).n_frames == 5


def test_truncated_image_is_refused_even_when_pillow_is_told_to_load_truncated_images(monkeypatch):
    """WeasyPrint switches this process-wide flag on when imported; uploads must not care."""
    from django.core.exceptions import ValidationError
    from PIL import ImageFile

    from news.files.checks import check_photo

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    with pytest.raises(ValidationError) as refused:
        check_photo(upload("cut.jpg", samples.truncated(samples.noisy_jpeg())))
    assert refused.value.code == "image_broken"
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # left as WeasyPrint wants it
