import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from news import pdf

from .conftest import body

pytestmark = pytest.mark.django_db


def pdf_url(clip):
    return reverse("news:pdf", kwargs={"slug": clip.slug})


def pdf_text(response):
    data = body(response)
    assert data.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def clip(make_clip, make_photo, make_attachment):
    clip = make_clip(title="Gwangju PDF test", subtitle="A subtitle", body="<p>Body with <strong>bold</strong>.</p>")
    make_photo(clip, caption="Night view of the city")
    make_attachment(clip, name="민선7기_1주년_성과.pdf", title="First year results")
    return clip


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
    assert "http://127.0.0.1:8000/news/" + clip.slug in text.replace("\n", "")


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
    assert [p.name for p in pdf_cache.iterdir() if p.suffix != ".pdf"] == []


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
        pdf.LocalFilesOnly(allowed_protocols=["file"]).fetch(url)


def test_fetcher_reads_protected_files(clip, settings):
    photo = clip.images.get()
    response = pdf.LocalFilesOnly(allowed_protocols=["file"]).fetch(f"file://{photo.image.path}")
    try:
        assert response.read(2) == b"\xff\xd8"
    finally:
        response.close()
    escape = f"file://{settings.PROTECTED_MEDIA_ROOT}/../../../etc/passwd"
    with pytest.raises(ValueError):
        pdf.LocalFilesOnly(allowed_protocols=["file"]).fetch(escape)
