"""The library in the admin: upload several at once (checked, never stored twice), search, filters, the
thumbnail grid, and each item's uses with their states and links."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from news.models import Document, NewsClip, Photo
from projects.models import Department
from tests.helpers import image_bytes, pdf_bytes, protected_files, upload

pytestmark = pytest.mark.django_db


def test_an_editor_uploads_several_files_at_once(editor):
    department = Department.objects.create(name="Culture Bureau")
    response = editor.post(
        reverse("admin:news_photo_upload"),
        {
            "files": [
                upload("mayor.jpg", image_bytes(color=(1, 1, 1))),
                upload("city-hall.png", image_bytes("PNG", color=(2, 2, 2))),
                upload("evil.svg", b"<svg onload=alert(1)></svg>"),
            ],
            "department": department.pk,
            "credit": "Gwangju City",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "2 file(s) added to the library" in page
    assert "Refused:" in page and "evil.svg" in page and "SVG" in page
    photos = Photo.objects.order_by("original_name")
    assert [p.original_name for p in photos] == ["city-hall.png", "mayor.jpg"]
    assert all(p.credit == "Gwangju City" and p.department == department for p in photos)
    assert all(p.uploaded_by == editor.user for p in photos)


def test_uploading_bytes_the_library_holds_reuses_the_item_and_says_so(editor):
    url = reverse("admin:news_document_upload")
    editor.post(url, {"files": [upload("report.pdf", pdf_bytes())]})
    files = protected_files()
    response = editor.post(url, {"files": [upload("report-copy.pdf", pdf_bytes())]})
    page = response.content.decode()
    assert "Already in the library:" in page and "not a second copy" in page
    assert Document.objects.count() == 1 and protected_files() == files


def test_uploading_a_known_file_on_the_clip_form_reuses_it_and_says_so(admin_client, make_clip, make_photo):
    from tests.helpers import clip_form_data

    known = make_photo(make_clip(), alt_text="Known photo")
    files = protected_files()
    data = clip_form_data(images=[{"image": upload("same.jpg", image_bytes()), "alt_text": "Same bytes"}])
    response = admin_client.post(reverse("admin:news_newsclip_add"), data, follow=True)
    assert response.status_code == 200
    assert "is already in the library" in response.content.decode()
    clip = NewsClip.objects.get(slug=data["slug"])
    use = clip.images.get()
    assert use.photo_id == known.photo_id and use.image.name == known.image.name
    assert use.alt_text == "Same bytes", "the clip's own words"
    assert Photo.objects.count() == 1 and protected_files() == files


def test_search_by_title_alt_text_and_file_name(admin_client, make_clip, make_photo):
    clip = make_clip()
    make_photo(clip, name="dawn-river.jpg", alt_text="Yeongsan river at dawn", data=image_bytes(color=(9, 9, 9)))
    make_photo(clip, name="subway.jpg", alt_text="Line 2 works", data=image_bytes(color=(8, 8, 8)))
    Photo.objects.filter(original_name="subway.jpg").update(title="Second subway line")
    url = reverse("admin:news_photo_changelist")
    for query, expected in (("Yeongsan", "dawn-river.jpg"), ("subway line", "subway.jpg"), ("dawn-river", "dawn")):
        response = admin_client.get(url, {"q": query})
        results = list(response.context["cl"].result_list)
        assert len(results) == 1 and expected in results[0].original_name, query


def test_filters_by_kind_department_date_and_use(admin_client, make_clip, make_attachment):
    clip = make_clip()
    make_attachment(clip, name="a.pdf")
    make_attachment(clip, name="b.txt", data=b"Plain text")
    old = Document.objects.get(original_name="b.txt")
    department = Department.objects.create(name="Transport Bureau")
    Document.objects.filter(pk=old.pk).update(department=department, created=timezone.now() - timedelta(days=400))
    url = reverse("admin:news_document_changelist")

    def names(**params):
        return sorted(d.original_name for d in admin_client.get(url, params).context["cl"].result_list)

    assert names(kind="application/pdf") == ["a.pdf"]
    assert names(kind="text/plain") == ["b.txt"]
    assert names(department__id__exact=department.pk) == ["b.txt"]
    assert names(created__year=timezone.now().year) == ["a.pdf"]
    assert names(used="yes") == ["a.pdf", "b.txt"] and names(used="no") == []


def test_photos_are_a_thumbnail_grid(admin_client, make_clip, make_photo):
    use = make_photo(make_clip())
    page = admin_client.get(reverse("admin:news_photo_changelist")).content.decode()
    assert 'class="library-grid"' in page
    thumb = reverse("admin:news_photo_file", args=[use.photo_id, "thumb"])
    assert thumb in page
    response = admin_client.get(thumb)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}


def test_each_item_lists_every_clip_using_it_with_its_state(admin_client, make_clip, make_attachment):
    clips = {
        "Published": make_clip(title="A live clip"),
        "Draft": make_clip(title="A draft clip", status=NewsClip.Status.DRAFT),
        "Scheduled": make_clip(title="A scheduled clip", publish_at=timezone.now() + timedelta(days=2)),
    }
    for clip in clips.values():
        make_attachment(clip, name="shared.pdf")
    document = Document.objects.get()
    page = admin_client.get(reverse("admin:news_document_change", args=[document.pk])).content.decode()
    for label, clip in clips.items():
        assert reverse("admin:news_newsclip_change", args=[clip.pk]) in page
        assert clip.title in page and label in page
    listing = admin_client.get(reverse("admin:news_document_changelist")).content.decode()
    assert "3 clip(s)" in listing


def test_a_corrected_credit_shows_at_once_on_the_cached_page(admin_client, make_clip, make_photo):
    from django.test import Client

    from tests.helpers import library_change_data

    clip = make_clip()
    use = make_photo(clip)
    reader = Client()
    assert "Photo: Kim" not in reader.get(clip.get_absolute_url()).content.decode()  # now cached
    photo = use.photo
    response = admin_client.post(
        reverse("admin:news_photo_change", args=[photo.pk]), library_change_data(photo, credit="Kim")
    )
    assert response.status_code == 302
    assert "Photo: Kim" in reader.get(clip.get_absolute_url()).content.decode()
