"""Uploads that passed their checks are kept while the editor fixes the form, for that editor's
session only, and are cleaned up once saved or expired."""

import io
import os
import re
import time
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from news.files import staging
from news.models import NewsClip, StagedUpload
from tests.helpers import clip_form_data, image_bytes, pdf_bytes, protected_files, upload

pytestmark = pytest.mark.django_db

ADD = "admin:news_newsclip_add"
KOREAN_PDF = "민선7기_1주년_성과.pdf"


def first_try(client):
    """A clip with a good photo and a good attachment, refused for its missing title."""
    data = clip_form_data(
        title="",
        images=[{"image": upload("lanterns.jpg", image_bytes()), "alt_text": "Lanterns", "caption": "On the water"}],
        attachments=[{"file": upload(KOREAN_PDF, pdf_bytes()), "title": "Report"}],
    )
    response = client.post(reverse(ADD), data)
    assert response.status_code == 200
    return data, response.content.decode()


def second_try(data, html):
    """The same form, fixed, sent back by the browser without choosing any file again."""
    data = {key: value for key, value in data.items() if key not in {"images-0-image", "attachments-0-file"}}
    data.update(dict(re.findall(r'name="((?:images|attachments)-\d+-(?:image|file)-staged)" value="([^"]+)"', html)))
    data["title"] = "Lantern festival"
    return data


def test_files_that_passed_are_kept_and_saved_with_the_fixed_form(admin_client, django_capture_on_commit_callbacks):
    data, html = first_try(admin_client)
    assert "Kept from your last try: <strong>lanterns.jpg</strong>" in html
    assert f"Kept from your last try: <strong>{KOREAN_PDF}</strong>" in html
    assert StagedUpload.objects.count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse(ADD), second_try(data, html))
    assert response.status_code == 302
    clip = NewsClip.objects.get(slug=data["slug"])
    photo, attachment = clip.images.get(), clip.attachments.get()
    assert (photo.alt_text, photo.width, photo.height) == ("Lanterns", 64, 48)
    assert attachment.original_name == KOREAN_PDF and attachment.content_type == "application/pdf"
    with attachment.file.open("rb") as handle:
        assert handle.read() == pdf_bytes()
    # The staged copies are gone; only the clip's own files remain.
    assert not StagedUpload.objects.exists()
    assert protected_files() == {photo.image.name, attachment.file.name}


def test_a_second_error_keeps_the_same_staged_files(admin_client):
    data, html = first_try(admin_client)
    again = second_try(data, html)
    again["title"] = ""
    html_again = admin_client.post(reverse(ADD), again).content.decode()
    assert "Kept from your last try: <strong>lanterns.jpg</strong>" in html_again
    assert StagedUpload.objects.count() == 2


def test_another_users_session_cannot_claim_a_staged_file(admin_client, django_user_model):
    data, html = first_try(admin_client)
    other = Client()
    other.force_login(django_user_model.objects.create_superuser("other", "other@example.org", "pw-other-2019"))
    response = other.post(reverse(ADD), second_try(data, html))
    assert response.status_code == 200
    assert not NewsClip.objects.filter(slug=data["slug"]).exists()
    assert "Kept from your last try" not in response.content.decode()
    assert StagedUpload.objects.count() == 2  # still the first editor's


def test_the_same_user_in_another_session_cannot_claim_it(admin_client, admin_user):
    data, html = first_try(admin_client)
    elsewhere = Client()
    elsewhere.force_login(admin_user)
    assert elsewhere.post(reverse(ADD), second_try(data, html)).status_code == 200
    assert not NewsClip.objects.filter(slug=data["slug"]).exists()


def test_an_expired_staged_file_cannot_be_claimed(admin_client):
    data, html = first_try(admin_client)
    StagedUpload.objects.update(created=timezone.now() - staging.LIFETIME - timedelta(minutes=1))
    assert admin_client.post(reverse(ADD), second_try(data, html)).status_code == 200
    assert not NewsClip.objects.filter(slug=data["slug"]).exists()


def test_a_forged_token_is_a_missing_file_not_an_error(admin_client):
    data = clip_form_data(images=[{"alt_text": "x", "image-staged": "not-a-uuid"}])
    response = admin_client.post(reverse(ADD), data)
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_clear_staged_uploads_removes_expired_and_orphaned_files_only():
    storage = storages["protected"]
    fresh = staging.stage(ContentFile(b"fresh"), "fresh.pdf", "owner")
    old = staging.stage(ContentFile(b"old"), "old.pdf", "owner")
    StagedUpload.objects.filter(pk=old.pk).update(created=timezone.now() - staging.LIFETIME - timedelta(minutes=1))
    orphan = storage.save("staged/orphan.pdf", ContentFile(b"orphan"))
    long_ago = time.time() - staging.LIFETIME.total_seconds() - 60
    os.utime(storage.path(orphan), (long_ago, long_ago))
    recent_orphan = storage.save("staged/being-written.pdf", ContentFile(b"new"))

    out = io.StringIO()
    call_command("clear_staged_uploads", stdout=out)

    assert "2 expired staged upload(s) removed." in out.getvalue()
    assert list(StagedUpload.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert storage.exists(fresh.stored_name) and storage.exists(recent_orphan)
    assert not storage.exists(old.stored_name) and not storage.exists(orphan)


def test_clear_staged_uploads_with_nothing_staged():
    out = io.StringIO()
    call_command("clear_staged_uploads", stdout=out)
    assert "0 expired staged upload(s) removed." in out.getvalue()
