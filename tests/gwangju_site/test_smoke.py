import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_seed_clip_page_renders(client, seeded):
    response = client.get(seeded.get_absolute_url())
    assert response.status_code == 200
    assert "Gwangju! A year in innovation" in response.content.decode()


def test_factories_make_files(make_clip, make_photo, make_attachment, client):
    clip = make_clip()
    photo = make_photo(clip)
    attachment = make_attachment(clip, name="민선7기_1주년_성과.pdf")
    assert photo.width == 64 and photo.height == 48
    assert attachment.original_name == "민선7기_1주년_성과.pdf"
    assert attachment.size > 0 and len(attachment.sha256) == 64
    assert client.get(reverse("news:detail", args=[clip.slug])).status_code == 200
