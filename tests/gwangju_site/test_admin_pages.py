"""Every admin page an editor opens loads, with the seed content in place."""

import pytest
from django.contrib import admin
from django.urls import reverse

from news.models import Conversion, NewsClip, Notice
from tests.documents import sample
from tests.helpers import clip_form_data

pytestmark = pytest.mark.django_db

# Link checks are a report the background command writes (tests/editing/test_link_checks.py), not content.
CONTENT_MODELS = [
    model
    for model in admin.site._registry
    if model._meta.app_label in {"news", "policies", "projects"} and model._meta.model_name != "linkcheck"
]
# Rows only the site writes (the conversion queue, the workflow's notices): a list and a read-only page,
# no add page.
WRITTEN_BY_THE_SITE = {Conversion, Notice}


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda m: m._meta.label)
def test_changelist_add_and_change_pages_load(admin_client, admin_user, seeded, make_attachment, model):
    if model is Conversion:  # the seed's attachments are PDFs: queue a document's conversion
        make_attachment(seeded, name="notes.docx", data=sample("sample.docx").read_bytes())
    if model is Notice:  # each user sees their own
        Notice.objects.create(recipient=admin_user, clip=seeded, kind=Notice.Kind.PUBLISHED, message="Published.")
    info = model._meta.app_label, model._meta.model_name
    assert admin_client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200
    add_page = admin_client.get(reverse("admin:{}_{}_add".format(*info)))
    assert add_page.status_code == (403 if model in WRITTEN_BY_THE_SITE else 200)
    obj = model.objects.first()
    assert admin_client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk])).status_code == 200


def test_changelist_search_and_filters(admin_client, seeded):
    url = reverse("admin:news_newsclip_changelist")
    response = admin_client.get(url, {"q": "innovation", "status__exact": "published"})
    assert "Gwangju! A year in innovation" in response.content.decode()


def test_bulk_unpublish_and_publish(admin_client, seeded):
    url = reverse("admin:news_newsclip_changelist")
    admin_client.post(url, {"action": "unpublish", "_selected_action": [seeded.pk], "confirmed": "yes"})
    assert not NewsClip.objects.published().filter(pk=seeded.pk).exists()
    admin_client.post(url, {"action": "publish", "_selected_action": [seeded.pk]})
    assert NewsClip.objects.published().filter(pk=seeded.pk).exists()


def test_change_page_shows_placeholder_label_and_view_on_site(admin_client, seeded):
    response = admin_client.get(reverse("admin:news_newsclip_change", args=[seeded.pk]))
    html = response.content.decode()
    assert "placeholder image shipped with the seed content" in html
    assert "View on site" in html


def test_missing_alt_text_is_a_form_error(admin_client, seeded):
    url = reverse("admin:news_newsclip_change", args=[seeded.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(
        {
            "title": seeded.title,
            "slug": seeded.slug,
            "body": seeded.body,
            "author_name": "admin",
            "status": "published",
            "publish_at_0": "2019-07-09",
            "publish_at_1": "10:45:00",
            "images-TOTAL_FORMS": "1",
            "images-INITIAL_FORMS": "1",
            "images-MIN_NUM_FORMS": "0",
            "images-MAX_NUM_FORMS": "1000",
            "images-0-id": str(seeded.images.first().pk),
            "images-0-clip": str(seeded.pk),
            "images-0-alt_text": "  ",
            "images-0-caption": "c",
            "images-0-position": "1",
            "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0",
            "attachments-MIN_NUM_FORMS": "0",
            "attachments-MAX_NUM_FORMS": "1000",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Describe the photo for people who cannot see it." in response.content.decode()


def test_duplicate_slug_in_admin_is_a_form_error(admin_client, seeded):
    response = admin_client.post(reverse("admin:news_newsclip_add"), clip_form_data(slug=seeded.slug))
    assert response.status_code == 200
    assert "Another news clip already uses this slug." in response.content.decode()
    assert NewsClip.objects.count() == 1


def test_new_clip_records_its_creator_not_as_display_name(admin_client, admin_user):
    response = admin_client.post(
        reverse("admin:news_newsclip_add"), clip_form_data(slug="new", author_name="Press Office", status="draft")
    )
    assert response.status_code == 302
    clip = NewsClip.objects.get(slug="new")
    assert clip.created_by == admin_user and clip.author_name == "Press Office"
