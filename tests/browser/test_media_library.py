"""The media library in a real browser (issue 21): reuse a photo from another clip in three actions, see
where a document is used, replace a live clip's PDF keeping its address and count, take a photo down
everywhere. Screenshots in tests/browser/screenshots/library-*.png."""

import pytest
from django.utils import timezone

from news.models import Attachment, ClipImage, ClipRevision, Document, NewsClip, Photo
from tests.helpers import SEED_SLUG, pdf_bytes

from .helpers import click_step, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_reuses_a_photo_from_another_clip_in_three_actions(site, editor_page):
    page = editor_page
    clip = NewsClip.objects.create(
        title="City Hall opens its doors", slug="city-hall-open", body="<p>Open day.</p>", publish_at=timezone.now()
    )
    seed_photo = ClipImage.objects.filter(clip__slug=SEED_SLUG).select_related("photo").first().photo
    page.goto(f"{site}/admin/news/newsclip/{clip.pk}/change/")
    actions = 0
    with page.expect_popup() as opened:
        page.get_by_role("button", name="Choose a photo from the library").click()
        actions += 1
    library = opened.value
    library.wait_for_load_state()
    assert "_popup=1" in library.url
    library.wait_for_selector("img.library-thumb")
    save_screenshot(library, "library-chooser-popup")
    library.locator(f'a[data-popup-opener="{seed_photo.pk}"]').first.click()
    actions += 1
    page.wait_for_function("() => document.querySelector('img.library-chosen:not([hidden])') !== null")
    save_screenshot(page, "library-chooser-chosen")
    click_step(page, "save")
    actions += 1
    page.wait_for_selector(".messagelist .success")
    assert actions <= 3
    use = clip.images.get()
    assert use.photo_id == seed_photo.pk and use.image.name == seed_photo.image.name
    assert use.alt_text == seed_photo.alt_text
    save_screenshot(page, "library-chooser-saved")


def test_an_editor_sees_where_a_document_is_used(site, editor_page):
    page = editor_page
    document = Document.objects.get(uses__clip__slug=SEED_SLUG, content_type="application/pdf")
    page.goto(f"{site}/admin/news/document/")
    page.fill("#searchbar", "press")
    page.press("#searchbar", "Enter")
    page.get_by_role("link", name=str(document)).first.click()
    usage = page.locator(".field-usage .library-usage")
    assert "Gwangju! A year in innovation" in usage.inner_text()
    assert "Published" in usage.inner_text()
    save_screenshot(page, "library-document-usage")
    usage.get_by_role("link").first.click()
    page.wait_for_url(f"**/admin/news/newsclip/{NewsClip.objects.get(slug=SEED_SLUG).pk}/change/")


def test_a_publisher_replaces_a_live_clips_pdf_and_the_old_address_serves_it(site, editor_page, new_context, tmp_path):
    page = editor_page
    attachment = Attachment.objects.get(clip__slug=SEED_SLUG, content_type="application/pdf")
    address = f"{site}/news/{SEED_SLUG}/attachments/{attachment.pk}/"
    reader = new_context().request
    before = reader.get(address)
    assert before.ok
    count = Attachment.objects.get(pk=attachment.pk).download_count
    corrected = tmp_path / "보도자료_정정.pdf"
    corrected.write_bytes(pdf_bytes("Corrected press release"))
    page.goto(f"{site}/admin/news/document/{attachment.document_id}/change/")
    page.set_input_files("#id_replacement", str(corrected))
    page.locator('input[name="_save"]').click()
    page.wait_for_selector(".messagelist .success")
    after = reader.get(address)
    assert after.ok and after.body() == pdf_bytes("Corrected press release")
    assert "%EB%B3%B4%EB%8F%84" in after.headers["content-disposition"]  # 보도, the new file's name
    assert Attachment.objects.get(pk=attachment.pk).download_count == count + 1
    page.goto(f"{site}/admin/news/document/{attachment.document_id}/change/")
    assert "광주_혁신_1년_보도자료.pdf" in page.locator(".field-history").inner_text()
    save_screenshot(page, "library-document-replaced-history")
    public = new_context().new_page()
    public.goto(f"{site}/news/{SEED_SLUG}/")
    assert "the file was corrected" in public.locator(".attachments").inner_text()
    save_screenshot(public, "library-clip-page-file-corrected")


def test_a_publisher_takes_a_photo_down_everywhere(site, editor_page, new_context):
    page = editor_page
    use = ClipImage.objects.filter(clip__slug=SEED_SLUG).order_by("position").last()
    photo_url = f"{site}/news/{SEED_SLUG}/photos/{use.pk}/thumb/"
    reader = new_context().request
    assert reader.get(photo_url).ok
    page.goto(f"{site}/admin/news/photo/{use.photo_id}/change/")
    page.get_by_role("link", name="Take down everywhere").click()
    assert "Gwangju! A year in innovation" in page.locator(".library-usage").inner_text()
    page.fill("#id_reason", "Copyright complaint from the photographer")
    save_screenshot(page, "library-take-down-confirm")
    page.get_by_role("button", name="Yes, take it down everywhere").click()
    page.wait_for_selector(".messagelist .success")
    save_screenshot(page, "library-taken-down")
    assert reader.get(photo_url).status == 404
    assert not ClipImage.objects.filter(photo_id=use.photo_id).exists()
    assert Photo.objects.filter(pk=use.photo_id).exists()
    revision = NewsClip.objects.get(slug=SEED_SLUG).revisions.get(action=ClipRevision.Action.TAKEN_DOWN)
    assert "Copyright complaint" in revision.note
    public = new_context().new_page()
    public.goto(f"{site}/news/{SEED_SLUG}/")
    assert f"/photos/{use.pk}/" not in public.content()
