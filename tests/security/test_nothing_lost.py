"""A failed save leaves no file behind; files of replaced or deleted library items go only after commit."""

import threading

import pytest
from django.db import OperationalError, connection, transaction
from django.test import Client
from django.urls import reverse

from news.admin import NewsClipAdmin
from news.files.renditions import ensure_rendition, rendition_names
from news.library.operations import replace_file
from news.models import Attachment, ClipImage, Document, NewsClip, Photo, StagedUpload
from tests.helpers import clip_form_data, image_bytes, pdf_bytes, protected_files, upload

from . import samples

pytestmark = pytest.mark.django_db

ADD = "admin:news_newsclip_add"


def good_rows():
    return {
        "images": [{"image": upload("p.jpg", image_bytes()), "alt_text": "A photo"}],
        "attachments": [{"file": upload("r.pdf", pdf_bytes()), "title": ""}],
    }


def exists(storage_file):
    return storage_file.storage.exists(storage_file.name)


# --- failed saves -------------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides",
    [
        pytest.param({"title": ""}, id="main-form-invalid"),
        pytest.param({"slug": "not a slug!"}, id="slug-invalid"),
        pytest.param(
            {"attachments": [{"file": upload("r.pdf", pdf_bytes())}, {"file": upload("x.svg", samples.SVG)}]},
            id="second-attachment-refused",
        ),
        pytest.param({"images": [{"image": upload("p.jpg", image_bytes()), "alt_text": ""}]}, id="photo-alt-missing"),
    ],
)
def test_invalid_submission_with_good_files_stores_nothing(admin_client, store_counts, overrides):
    before = store_counts()
    rows = good_rows()
    rows.update({key: overrides.pop(key) for key in ("images", "attachments") if key in overrides})
    response = admin_client.post(reverse(ADD), clip_form_data(**rows, **overrides))
    assert response.status_code == 200
    after = store_counts()
    # No row; the files that passed are only kept for the editor's next try (news/files/staging.py).
    staged = {f"{name}" for name in StagedUpload.objects.values_list("stored_name", flat=True)}
    assert {**after, "files": after["files"] - staged} == before
    assert all(name.startswith("staged/") for name in staged)


def raise_after(original, exc):
    def wrapper(self, *args, **kwargs):
        original(self, *args, **kwargs)
        raise exc

    return wrapper


@pytest.mark.parametrize(
    ("target", "exc", "status"),
    [
        pytest.param((NewsClipAdmin, "save_related"), RuntimeError("boom"), None, id="save-related-raises"),
        pytest.param((Attachment, "save"), RuntimeError("boom"), None, id="attachment-save-raises"),
        pytest.param((Attachment, "save"), OSError(28, "No space left on device"), 503, id="disk-full"),
        pytest.param((Attachment, "save"), OperationalError("server closed the connection"), 503, id="database-lost"),
    ],
)
def test_save_that_raises_after_writing_files_leaves_none_behind(
    admin_client, store_counts, monkeypatch, target, exc, status
):
    owner, name = target
    monkeypatch.setattr(owner, name, raise_after(getattr(owner, name), exc))
    before = store_counts()
    written = []
    real_save = ClipImage.save

    def remember(self, *args, **kwargs):
        real_save(self, *args, **kwargs)
        written.append(self.image.name)

    monkeypatch.setattr(ClipImage, "save", remember)
    if status is None:
        with pytest.raises(type(exc)):
            admin_client.post(reverse(ADD), clip_form_data(**good_rows()))
    else:
        assert admin_client.post(reverse(ADD), clip_form_data(**good_rows())).status_code == status
    assert written, "the photo was written before the failure"
    assert store_counts() == before


def test_a_disk_that_fills_while_a_file_is_written_leaves_no_empty_file_and_says_so(
    admin_client, store_counts, monkeypatch
):
    """The disk fills during the write itself: Django's storage would leave the empty file it
    had just created; the editor gets a page saying the disk is full and nothing was saved."""
    import django.core.files.storage.filesystem as filesystem

    real_fdopen = filesystem.os.fdopen

    class FullDisk:
        def __init__(self, handle):
            self.handle = handle

        def write(self, data):
            raise OSError(28, "No space left on device")

        def close(self):
            self.handle.close()

    monkeypatch.setattr(filesystem.os, "fdopen", lambda fd, mode: FullDisk(real_fdopen(fd, mode)))
    before, files = store_counts(), protected_files()

    response = admin_client.post(reverse(ADD), clip_form_data(**good_rows()))

    assert response.status_code == 503
    assert "disk is full, so nothing you sent was saved" in response.content.decode()
    assert protected_files() == files  # no 0-byte orphan
    assert store_counts() == before


def test_refused_replacement_keeps_the_old_file(admin_client, make_clip, make_attachment):
    clip = make_clip()
    attachment = make_attachment(clip)
    data = change_data(clip, attachment, upload("x.svg", samples.SVG))
    files = protected_files()
    response = admin_client.post(reverse("admin:news_newsclip_change", args=[clip.pk]), data)
    assert response.status_code == 200
    assert protected_files() == files
    attachment.refresh_from_db()
    assert exists(attachment.file)


# --- replacing and deleting: only after commit ------------------------------------------


def change_data(clip, attachment, new_file=None, **extra):
    row = {"id": str(attachment.pk), "clip": str(clip.pk), "title": attachment.title}
    if new_file is not None:
        row["file"] = new_file
    data = clip_form_data(attachments=[row], title=clip.title, slug=clip.slug, **extra)
    data["attachments-INITIAL_FORMS"] = "1"
    data["lock_token"] = "0"  # the clip has no recorded revision yet
    return data


def test_a_new_file_on_a_row_leaves_the_earlier_one_in_the_library(admin_client, make_clip, make_attachment):
    """Files belong to the library (news.models.library): a row given another file uses another
    library item; the earlier item and its file stay for other clips and for staff."""
    clip = make_clip(status=NewsClip.Status.DRAFT)  # edited in place; a live clip's edits are a draft
    attachment = make_attachment(clip)
    old, old_document = attachment.file.name, attachment.document
    response = admin_client.post(
        reverse("admin:news_newsclip_change", args=[clip.pk]),
        change_data(clip, attachment, upload("new.pdf", pdf_bytes("new"))),
    )
    assert response.status_code == 302
    attachment.refresh_from_db()
    assert attachment.file.name != old and attachment.original_name == "new.pdf"
    assert attachment.document != old_document and attachment.file.name == attachment.document.file.name
    assert attachment.file.storage.exists(old) and Document.objects.filter(pk=old_document.pk).exists()
    assert exists(attachment.file)


def test_replaced_library_photo_keeps_its_earlier_file_and_drops_its_renditions_after_commit(
    make_clip, make_photo, django_capture_on_commit_callbacks, django_user_model
):
    from news.files.checks import check_photo

    use = make_photo(make_clip())
    made = [ensure_rendition(use, "thumb"), ensure_rendition(use, "640.webp")]
    old = use.image.name
    storage = use.image.storage
    assert all(storage.exists(name) for name in made)
    publisher = django_user_model.objects.create_superuser("pub", password="pw-pub-12345")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        replace_file(
            use.photo,
            content=check_photo(upload("n.jpg", image_bytes(color=(1, 2, 3)))),
            original_name="n.jpg",
            user=publisher,
        )
    assert all(storage.exists(name) for name in made), "removed before the transaction committed"
    for callback in callbacks:
        callback()
    assert not any(storage.exists(name) for name in made)
    assert storage.exists(old), "the earlier file is kept in the item's history"
    use.refresh_from_db()
    assert use.image.name != old and exists(use.image)
    assert use.photo.versions.get().stored_name == old


def test_deleting_a_clip_in_the_admin_leaves_its_files_in_the_library(
    admin_client, make_clip, make_photo, make_attachment
):
    clip = make_clip()
    photo, attachment = make_photo(clip), make_attachment(clip)
    response = admin_client.post(reverse("admin:news_newsclip_delete", args=[clip.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not NewsClip.objects.filter(pk=clip.pk).exists()
    assert exists(photo.image) and exists(attachment.file)
    assert Photo.objects.filter(pk=photo.photo_id).exists() and Document.objects.filter(pk=attachment.document_id)


def test_deleting_a_library_item_removes_its_files_only_after_commit(
    admin_client, make_clip, make_photo, django_capture_on_commit_callbacks
):
    clip = make_clip()
    use = make_photo(clip)
    ensure_rendition(use, "large")
    item = use.photo
    names = [item.image.name, *rendition_names(item.image.name)]
    storage = item.image.storage
    clip.delete()  # nothing uses the photo any more
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = admin_client.post(reverse("admin:news_photo_delete", args=[item.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Photo.objects.filter(pk=item.pk).exists()
    assert storage.exists(names[0]), "removed before the transaction committed"
    for callback in callbacks:
        callback()
    assert not any(storage.exists(name) for name in names)


def test_a_library_item_in_use_cannot_be_deleted(admin_client, make_clip, make_attachment):
    attachment = make_attachment(make_clip())
    response = admin_client.post(reverse("admin:news_document_delete", args=[attachment.document_id]), {"post": "yes"})
    assert response.status_code == 200
    assert "protected" in response.content.decode().lower()
    assert Document.objects.filter(pk=attachment.document_id).exists() and exists(attachment.file)


def test_inline_delete_checkbox_removes_the_row_and_keeps_the_library_file(
    admin_client, make_clip, make_attachment, django_capture_on_commit_callbacks
):
    clip = make_clip(status=NewsClip.Status.DRAFT)  # edited in place; a live clip's edits are a draft
    attachment = make_attachment(clip)
    data = change_data(clip, attachment)
    data["attachments-0-DELETE"] = "on"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("admin:news_newsclip_change", args=[clip.pk]), data)
    assert response.status_code == 302
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert exists(attachment.file) and Document.objects.filter(pk=attachment.document_id).exists()


def test_rolled_back_delete_keeps_the_files(make_clip, make_photo, make_attachment, django_capture_on_commit_callbacks):
    clip = make_clip()
    photo, attachment = make_photo(clip), make_attachment(clip)
    pk = clip.pk
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            clip.delete()
            raise RuntimeError("changed my mind")
    assert callbacks == []
    assert NewsClip.objects.filter(pk=pk).exists()
    assert exists(photo.image) and exists(attachment.file)


@pytest.mark.django_db(transaction=True)
class TestWithRealCommits:
    """The same rules with real transactions, as production runs them."""

    def test_committed_delete_of_library_items_removes_files(self, make_clip, make_photo, make_attachment):
        clip = make_clip()
        photo, attachment = make_photo(clip), make_attachment(clip)
        clip.delete()
        assert exists(photo.image) and exists(attachment.file), "the library keeps them"
        photo.photo.delete()
        attachment.document.delete()
        assert not exists(photo.image) and not exists(attachment.file)

    def test_rolled_back_delete_keeps_files(self, make_clip, make_photo, make_attachment):
        clip = make_clip()
        photo, attachment = make_photo(clip), make_attachment(clip)
        with pytest.raises(RuntimeError), transaction.atomic():
            clip.delete()
            raise RuntimeError("rolled back")
        assert exists(photo.image) and exists(attachment.file)

    def test_failed_admin_save_leaves_no_file(self, admin_client, store_counts, monkeypatch):
        monkeypatch.setattr(NewsClipAdmin, "save_related", raise_after(NewsClipAdmin.save_related, RuntimeError("x")))
        before = store_counts()
        with pytest.raises(RuntimeError):
            admin_client.post(reverse(ADD), clip_form_data(**good_rows()))
        assert store_counts() == before


# --- the view counter -----------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_view_counter_loses_no_view_under_concurrency(make_clip):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers anyway")
    clip = make_clip(view_count=7)
    threads, per_thread = 8, 25
    errors = []
    start = threading.Barrier(threads)

    def read_many():
        try:
            client = Client()
            start.wait()
            for _ in range(per_thread):
                assert client.get(clip.get_absolute_url()).status_code == 200
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=read_many) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    clip.refresh_from_db()
    assert clip.view_count == 7 + threads * per_thread
