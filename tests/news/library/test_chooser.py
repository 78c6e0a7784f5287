"""Choosing from the library on the clip form: a photo or document already in the library is reused,
with its defaults, its one file and its renditions; the form costs no more queries with 20 photos than 1."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from news.files.renditions import ensure_rendition
from news.models import NewsClip, Photo
from tests.helpers import clip_form_data, image_bytes, protected_files

pytestmark = pytest.mark.django_db


def test_a_photo_from_another_clip_is_reused_with_the_librarys_words(admin_client, make_clip, make_photo):
    first = make_photo(make_clip(), alt_text="The mayor at City Hall", caption="Mayor Lee Yong-seop")
    Photo.objects.filter(pk=first.photo_id).update(credit="Gwangju City / Kim")
    ensure_rendition(first, "480")
    files = protected_files()
    data = clip_form_data(images=[{"photo": str(first.photo_id), "alt_text": "", "caption": ""}])
    response = admin_client.post(reverse("admin:news_newsclip_add"), data)
    assert response.status_code == 302, response.context and response.context["inline_admin_formsets"][0].formset.errors
    clip = NewsClip.objects.get(slug=data["slug"])
    use = clip.images.get()
    assert use.photo_id == first.photo_id and use.image.name == first.image.name
    assert (use.alt_text, use.caption) == ("The mayor at City Hall", "Mayor Lee Yong-seop")
    assert protected_files() == files, "no file stored again"
    # Renditions are made once per photo: the new use's 480 px copy is the one made for the first.
    assert ensure_rendition(use, "480") == ensure_rendition(first, "480")
    clip.status = NewsClip.Status.PUBLISHED
    clip.save()
    page = admin_client.get(clip.get_absolute_url()).content.decode()
    assert "Photo: Gwangju City / Kim" in page


def test_the_clip_may_say_it_its_own_way(admin_client, make_clip, make_photo):
    first = make_photo(make_clip(), alt_text="Library alt", caption="Library caption")
    data = clip_form_data(images=[{"photo": str(first.photo_id), "alt_text": "Own alt", "caption": "Own caption"}])
    assert admin_client.post(reverse("admin:news_newsclip_add"), data).status_code == 302
    use = NewsClip.objects.get(slug=data["slug"]).images.get()
    assert (use.alt_text, use.caption) == ("Own alt", "Own caption")
    assert Photo.objects.get().alt_text == "Library alt"


def test_a_chosen_photo_without_alt_text_anywhere_is_a_form_error(admin_client, make_clip, make_photo):
    first = make_photo(make_clip())
    Photo.objects.filter(pk=first.photo_id).update(alt_text="")
    data = clip_form_data(images=[{"photo": str(first.photo_id), "alt_text": ""}])
    response = admin_client.post(reverse("admin:news_newsclip_add"), data)
    assert response.status_code == 200
    assert "Describe the photo for people who cannot see it." in response.content.decode()


def test_a_document_from_the_library_is_attached(admin_client, make_clip, make_attachment):
    first = make_attachment(make_clip(), name="budget.pdf", title="Budget")
    data = clip_form_data(attachments=[{"document": str(first.document_id), "title": "The 2019 budget"}])
    assert admin_client.post(reverse("admin:news_newsclip_add"), data).status_code == 302
    use = NewsClip.objects.get(slug=data["slug"]).attachments.get()
    assert use.document_id == first.document_id and use.file.name == first.file.name
    assert (use.original_name, use.title, use.download_count) == ("budget.pdf", "The 2019 budget", 0)


def test_an_unknown_library_id_is_a_form_error_not_a_500(admin_client):
    data = clip_form_data(images=[{"photo": "999999", "alt_text": "x"}], attachments=[{"document": "abc"}])
    response = admin_client.post(reverse("admin:news_newsclip_add"), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_uploading_and_choosing_at_once_is_a_form_error(admin_client, make_clip, make_photo):
    from tests.helpers import upload

    first = make_photo(make_clip())
    data = clip_form_data(
        images=[{"photo": str(first.photo_id), "image": upload("b.jpg", image_bytes(color=(5, 5, 5))), "alt_text": "x"}]
    )
    response = admin_client.post(reverse("admin:news_newsclip_add"), data)
    assert response.status_code == 200
    assert "not both" in response.content.decode()


def _change_page_queries(client, clip):
    url = reverse("admin:news_newsclip_change", args=[clip.pk])
    client.get(url)  # warm per-process caches (content types, permissions)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_change_page_costs_no_more_queries_with_20_library_photos_than_with_1(
    admin_client, make_clip, make_photo, make_attachment
):
    one = make_clip()
    make_photo(one, data=image_bytes(color=(0, 0, 0)))
    make_attachment(one)
    twenty = make_clip()
    for n in range(20):
        make_photo(twenty, data=image_bytes(color=(n, n, n)), position=n)
    make_attachment(twenty)
    assert Photo.objects.count() == 20
    assert _change_page_queries(admin_client, twenty) <= _change_page_queries(admin_client, one)


def test_another_library_photo_chosen_for_a_live_clips_row_is_published_in_its_place(
    admin_client, make_clip, make_photo
):
    from tests.helpers import change_url, form_data

    live = make_clip()
    row = make_photo(live, alt_text="First", data=image_bytes(color=(1, 1, 1)))
    other = make_photo(make_clip(), alt_text="Second", data=image_bytes(color=(2, 2, 2)))
    data = form_data(admin_client, live)
    data["images-0-photo"] = str(other.photo_id)
    assert admin_client.post(change_url(live), {**data, "_workflow": "save"}).status_code == 302
    row.refresh_from_db()
    assert row.photo_id != other.photo_id, "a draft: the public still sees the first photo"
    publish = {**form_data(admin_client, live), "_workflow": "publish"}
    assert admin_client.post(change_url(live), publish).status_code == 302
    assert list(live.images.values_list("pk", "photo_id")) == [(row.pk, other.photo_id)]
    row.refresh_from_db()
    assert row.image.name == other.image.name
