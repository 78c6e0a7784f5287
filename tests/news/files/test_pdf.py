import io
import shutil

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from news.files import pdf, pdf_worker
from news.files.renditions import rendition_names
from news.models import NewsClip
from tests.helpers import body, image_bytes, pdf_bytes

pytestmark = pytest.mark.django_db


def pdf_url(clip):
    return reverse("news:pdf", kwargs={"slug": clip.slug})


def read_pdf(response):
    data = body(response)
    assert data.startswith(b"%PDF")
    return PdfReader(io.BytesIO(data))


def text_of(reader):
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_text(response):
    return text_of(read_pdf(response))


@pytest.fixture
def clip(make_clip, make_photo, make_attachment):
    clip = make_clip(title="Gwangju PDF test", subtitle="A subtitle", body="<p>Body with <strong>bold</strong>.</p>")
    make_photo(clip, caption="Night view of the city")
    make_attachment(clip, name="민선7기_1주년_성과.pdf", title="First year results")
    return clip


def embedded_fonts(reader):
    """The names of the fonts the PDF embeds, without the subset prefix ("ABCDEF+")."""
    names = set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def cached_files(pdf_cache, clip):
    return sorted(pdf_cache.glob(f"clip-{clip.pk}-*.pdf"))


def test_pdf_shows_the_clip(client, clip):
    response = client.get(pdf_url(clip))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{clip.slug}.pdf"'
    assert response["Cache-Control"] == "public, max-age=3600"
    text = pdf_text(response)
    for expected in ("Gwangju PDF test", "A subtitle", "First highlight", "Night view of the city", "Body with"):
        assert expected in text
    assert "민선7기_1주년_성과.pdf" in text
    assert "First year results" in text
    assert django_settings.SITE_URL + "/news/" + clip.slug in text.replace("\n", "")


def test_seed_clip_pdf_has_hangul(client, seeded):
    text = pdf_text(client.get(pdf_url(seeded)))
    assert "Gwangju! A year in innovation" in text
    assert "광주_혁신_1년_보도자료.pdf" in text
    assert len(PdfReader(io.BytesIO(body(client.get(pdf_url(seeded))))).pages) >= 2


def test_pdf_is_cached_and_reused(client, clip, pdf_cache, monkeypatch):
    first = client.get(pdf_url(clip))
    [cached] = cached_files(pdf_cache, clip)
    mtime = cached.stat().st_mtime_ns

    def must_not_render(*args, **kwargs):
        raise AssertionError("rendered again although nothing changed")

    monkeypatch.setattr(pdf, "render_pdf", must_not_render)
    second = client.get(pdf_url(clip))
    assert second.status_code == 200
    assert body(second) == body(first)
    assert second["ETag"] == first["ETag"]
    assert cached_files(pdf_cache, clip) == [cached] and cached.stat().st_mtime_ns == mtime
    assert client.get(pdf_url(clip), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_edit_regenerates_and_removes_the_old_file(client, clip, pdf_cache):
    first = client.get(pdf_url(clip))
    [old] = cached_files(pdf_cache, clip)
    clip.title = "A new title after editing"
    clip.save()
    second = client.get(pdf_url(clip))
    assert "A new title after editing" in pdf_text(second)
    assert second["ETag"] != first["ETag"]
    assert client.get(pdf_url(clip), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    [new] = cached_files(pdf_cache, clip)
    assert new != old and not old.exists()


def test_photo_caption_edit_regenerates(client, clip):
    client.get(pdf_url(clip))
    photo = clip.images.get()
    photo.caption = "A caption changed later"
    photo.save()
    assert "A caption changed later" in pdf_text(client.get(pdf_url(clip)))


def test_download_counts_do_not_invalidate(client, clip, pdf_cache):
    etag = client.get(pdf_url(clip))["ETag"]
    body(client.get(clip.attachments.get().get_absolute_url()))
    assert client.get(pdf_url(clip))["ETag"] == etag


def test_no_temporary_files_left(client, clip, pdf_cache):
    client.get(pdf_url(clip))
    assert [p.name for p in pdf_cache.iterdir() if p.suffix != ".pdf" and p.name != pdf.LOCKS] == []


def test_draft_pdf(staff_client, draft_clip):
    assert Client().get(pdf_url(draft_clip)).status_code == 404
    response = staff_client.get(pdf_url(draft_clip))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert draft_clip.title in pdf_text(response)


def test_unknown_clip_is_404(client):
    assert client.get("/news/no-such-clip/page.pdf").status_code == 404


def test_missing_photo_file_does_not_break_the_pdf(client, clip):
    photo = clip.images.get()
    photo.image.storage.delete(photo.image.name)
    assert "Gwangju PDF test" in pdf_text(client.get(pdf_url(clip)))


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "http://127.0.0.1:8000/", "https://example.com/x.png", "ftp://x/y", "data:,x"],
)
def test_fetcher_refuses_anything_outside_storage_and_static(url):
    with pytest.raises(ValueError):
        pdf_worker.LocalFilesOnly(pdf.allowed_roots(), allowed_protocols=["file"]).fetch(url)


def test_fetcher_reads_protected_files(clip, settings):
    photo = clip.images.get()
    response = pdf_worker.LocalFilesOnly(pdf.allowed_roots(), allowed_protocols=["file"]).fetch(
        f"file://{photo.image.path}"
    )
    try:
        assert response.read(2) == b"\xff\xd8"
    finally:
        response.close()
    escape = f"file://{settings.PROTECTED_MEDIA_ROOT}/../../../etc/passwd"
    with pytest.raises(ValueError):
        pdf_worker.LocalFilesOnly(pdf.allowed_roots(), allowed_protocols=["file"]).fetch(escape)


# --- the bundled font ------------------------------------------------------------------


def test_pdf_embeds_only_the_bundled_fonts_and_reads_in_hangul(client, seeded, make_attachment):
    # WeasyPrint names a font loaded by @font-face after its CSS family (with "-Bold" or a
    # synthesised "-Oblique"): a system font (DejaVu, or a CJK font the server happens to have)
    # would show its own name here.
    seeded.body += "<p>광주광역시 <em>혁신</em> <strong>성과</strong> ① ¬ ₩</p>"
    seeded.save()
    make_attachment(seeded, name="민선7기_1주년_성과.pdf", data=pdf_bytes(), title="민선7기 1주년 성과")
    reader = read_pdf(client.get(pdf_url(seeded)))
    fonts = embedded_fonts(reader)
    assert {"Gwangju-PDF-Sans", "Gwangju-PDF-Sans-Bold"} <= fonts
    assert all(name.startswith("Gwangju-PDF-Sans") for name in fonts), fonts
    text = text_of(reader)
    for expected in ("광주_혁신_1년_보도자료.pdf", "민선7기 1주년 성과", "광주광역시 혁신 성과 ① ¬ ₩"):
        assert expected in text


def test_bundled_fonts_cover_the_seed_text():
    with open(django_settings.BASE_DIR / "fixtures" / "seed.json", encoding="utf-8") as handle:
        characters = {char for char in handle.read() if char.isprintable() and not char.isspace()}
    for path in pdf.font_files().values():
        covered = set(map(chr, TTFont(path).getBestCmap()))
        assert characters - covered == set(), path.name


# --- what the cache key covers (F4) ------------------------------------------------------


def text_and_images(response):
    reader = read_pdf(response)
    return text_of(reader), sum(len(page.images) for page in reader.pages)


def test_pdf_made_without_a_photo_file_is_never_cached(client, clip, pdf_cache):
    photo = clip.images.get()
    storage, name = photo.image.storage, photo.image.name
    original = storage.open(name).read()
    for stored in [name, *rendition_names(name)]:
        storage.delete(stored)

    incomplete = client.get(pdf_url(clip))
    text, images = text_and_images(incomplete)
    assert "Gwangju PDF test" in text and "Night view of the city" not in text and images == 0
    assert incomplete["Cache-Control"] == "private, no-store"
    assert not incomplete.has_header("ETag")
    assert cached_files(pdf_cache, clip) == []

    storage.save(name, ContentFile(original))  # the file is back, under its old name
    complete = client.get(pdf_url(clip))
    text, images = text_and_images(complete)
    assert "Night view of the city" in text and images == 1
    assert complete.has_header("ETag") and complete["Cache-Control"] == "public, max-age=3600"
    assert len(cached_files(pdf_cache, clip)) == 1


def test_a_changed_template_makes_a_new_pdf(client, clip, settings, tmp_path):
    first = client.get(pdf_url(clip))["ETag"]
    source = (django_settings.BASE_DIR / "templates" / pdf.TEMPLATE_NAME).read_text(encoding="utf-8")
    (tmp_path / "news").mkdir()
    (tmp_path / pdf.TEMPLATE_NAME).write_text(source.replace("<h2>Attachments</h2>", "<h2>Files</h2>"))
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    response = client.get(pdf_url(clip))
    assert response["ETag"] != first
    assert "Files" in pdf_text(response)


def test_a_changed_font_file_makes_a_new_pdf(client, clip, settings, tmp_path):
    first = client.get(pdf_url(clip))["ETag"]
    fonts = pdf.font_files()
    (tmp_path / "fonts").mkdir()
    # Another valid font: the regular face stands in for the bold one.
    shutil.copy(fonts["regular"], tmp_path / pdf.FONTS["regular"])
    shutil.copy(fonts["regular"], tmp_path / pdf.FONTS["bold"])
    settings.STATICFILES_DIRS = [tmp_path]
    response = client.get(pdf_url(clip))
    assert response["ETag"] != first
    assert "Gwangju PDF test" in pdf_text(response)


def test_a_changed_photo_file_makes_a_new_pdf(client, clip):
    first = client.get(pdf_url(clip))["ETag"]
    photo = clip.images.get()
    # The same name with other pixels, as when renditions are made again.
    large = photo.image.storage.path(pdf.ensure_rendition(photo, "large"))
    with open(large, "wb") as handle:
        handle.write(image_bytes(size=(80, 60), color=(200, 30, 30)))
    assert client.get(pdf_url(clip))["ETag"] != first


# --- a deleted clip's PDFs (F5) -------------------------------------------------------------


def test_deleting_a_clip_removes_its_pdfs_after_the_commit(
    admin_client, client, clip, pdf_cache, django_capture_on_commit_callbacks
):
    client.get(pdf_url(clip))
    [cached] = cached_files(pdf_cache, clip)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = admin_client.post(reverse("admin:news_newsclip_delete", args=[clip.pk]), {"post": "yes"})
    assert response.status_code == 302 and not NewsClip.objects.filter(pk=clip.pk).exists()
    assert cached.exists(), "removed before the delete committed"
    for callback in callbacks:
        callback()
    assert not cached.exists()


def test_a_rolled_back_delete_keeps_the_pdf(client, clip, pdf_cache, django_capture_on_commit_callbacks):
    client.get(pdf_url(clip))
    [cached] = cached_files(pdf_cache, clip)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            clip.delete()
            raise RuntimeError("the delete fails later in the request")
    assert cached.exists()
    assert client.get(pdf_url(clip)).status_code == 200
