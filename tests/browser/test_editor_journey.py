"""The editor's journey through the real admin: draft, preview, publish, edit, unpublish; bad uploads refused."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from news.models import Attachment, ClipImage, NewsClip
from tests.helpers import image_bytes, pdf_bytes

from .helpers import (
    KOREAN_PDF,
    SLUG,
    TITLE,
    add_attachment,
    add_photo,
    assert_no_axe_violations,
    click_step,
    fill_clip_fields,
    save_screenshot,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def write(path, data):
    path.write_bytes(data)
    return str(path)


def protected_files():
    root = settings.PROTECTED_MEDIA_ROOT
    return {p.relative_to(root) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def test_editor_drafts_publishes_edits_and_unpublishes_a_clip(site, editor_page, new_context, axe, tmp_path):
    page = editor_page
    page.goto(f"{site}/admin/news/newsclip/add/")
    fill_clip_fields(page)
    first_photo = write(tmp_path / "lanterns-on-the-water.jpg", image_bytes("JPEG", (320, 200), (200, 120, 20)))
    second_photo = write(tmp_path / "crowd-on-the-bank.png", image_bytes("PNG", (300, 200), (20, 80, 160)))
    # Uploaded first, shown second: the position fields decide the order.
    add_photo(page, first_photo, alt="Lanterns floating on the stream at dusk", caption="On the water", position=2)
    add_photo(page, second_photo, alt="Visitors watching from the stream bank", caption="On the bank", position=1)
    add_attachment(page, write(tmp_path / KOREAN_PDF, pdf_bytes("Festival report")), title="Festival report")
    add_attachment(page, write(tmp_path / "visitors.csv", b"day,visitors\n1,12000\n2,15500\n"), title="Visitor counts")
    click_step(page, "save")
    page.wait_for_url(re.compile(r"/admin/news/newsclip/\d+/change/"))
    expect(page.locator(".messagelist .success")).to_contain_text("Saved. It is not public.")
    clip = NewsClip.objects.get(slug=SLUG)
    assert clip.status == NewsClip.Status.DRAFT
    assert clip.images.count() == 2 and clip.attachments.count() == 2
    clip_url = f"{site}/news/{SLUG}/"

    # The editor previews the draft at its public URL, with the banner.
    assert page.goto(clip_url).status == 200
    banner = page.locator(".draft-banner")
    assert "Draft — not published" in banner.inner_text()
    assert page.locator(".gallery img").evaluate_all("imgs => imgs.map(i => i.alt)") == [
        "Visitors watching from the stream bank",
        "Lanterns floating on the stream at dusk",
    ]
    assert page.locator(".gallery figcaption").all_inner_texts() == ["On the bank", "On the water"]
    attachment_links = page.locator(".attachment-list a[download]")
    assert attachment_links.count() == 2
    assert KOREAN_PDF in page.locator(".attachment-list").inner_text()
    hrefs = "links => links.map(a => a.getAttribute('href'))"
    private_urls = [site + href for href in attachment_links.evaluate_all(hrefs)]
    private_urls += [site + href for href in page.locator(".gallery a").evaluate_all(hrefs)]
    private_urls += page.locator(".gallery img").evaluate_all("imgs => imgs.map(img => img.src)")  # absolute
    private_urls += [f"{clip_url}attachments.zip", f"{clip_url}page.pdf"]
    save_screenshot(page, "clip-draft-preview-desktop")
    assert_no_axe_violations(axe, page)

    # The public gets 404 for the draft and everything of it.
    anonymous = new_context().new_page()
    assert anonymous.goto(clip_url).status == 404
    for url in private_urls:
        assert anonymous.request.get(url).status == 404, url

    # Publish from the change form.
    page.goto(f"{site}/admin/news/newsclip/{clip.pk}/change/")
    click_step(page, "publish")
    expect(page.locator(".messagelist .success")).to_contain_text("Published")
    assert anonymous.goto(clip_url).status == 200
    assert anonymous.locator("h1").inner_text() == TITLE
    assert anonymous.locator(".draft-banner").count() == 0
    anonymous.goto(site + "/")
    assert anonymous.locator(".home-latest").get_by_role("link", name=TITLE).count() == 1
    anonymous.goto(f"{site}/news/")
    assert anonymous.locator(".clip-list").get_by_role("link", name=TITLE).count() == 1
    anonymous.goto(site + "/")  # the news list has its own search box instead of the site's
    anonymous.fill("#site-search", "lantern")
    anonymous.press("#site-search", "Enter")
    anonymous.wait_for_url(re.compile(r"/search/\?q=lantern"))
    assert anonymous.locator(".search-results").get_by_role("link", name=TITLE).count() == 1
    assert TITLE in anonymous.request.get(f"{site}/news/feed/").text()
    # The Korean name the editor's browser uploaded is the name the reader's browser saves.
    anonymous.goto(clip_url)
    with anonymous.expect_download() as info:
        anonymous.locator(".attachment-list a[download]").first.click()
    assert info.value.failure() is None
    assert info.value.suggested_filename == KOREAN_PDF

    # Edit the title of the live clip: a draft the public does not see until it is published.
    new_title = "Lantern festival draws 27,500 visitors to the Gwangju stream"
    page.goto(f"{site}/admin/news/newsclip/{clip.pk}/change/")
    page.fill("#id_title", new_title)
    click_step(page, "save")
    expect(page.locator(".workflow-draft")).to_contain_text("This clip has unpublished changes")
    anonymous.goto(clip_url)
    assert anonymous.locator("h1").inner_text() == TITLE
    click_step(page, "publish")
    expect(page.locator(".messagelist .success")).to_contain_text("Published")
    anonymous.goto(clip_url)
    assert anonymous.locator("h1").inner_text() == new_title
    anonymous.goto(site + "/")
    assert anonymous.locator(".home-latest").get_by_role("link", name=new_title).count() == 1

    # Unpublish with the bulk action; the clip disappears again.
    page.goto(f"{site}/admin/news/newsclip/")
    page.check(f'input.action-select[value="{clip.pk}"]')
    page.select_option('select[name="action"]', "unpublish")
    page.locator('button[name="index"]').click()
    expect(page.locator(".workflow-confirmation h2")).to_have_text("Unpublish 1 clip(s)?")
    assert anonymous.goto(clip_url).status == 200, "nothing happens before the answer"
    page.get_by_role("button", name="Yes, unpublish them").click()
    expect(page.locator(".messagelist")).to_contain_text("1 clip unpublished")
    assert anonymous.goto(clip_url).status == 404
    anonymous.goto(site + "/")
    assert anonymous.get_by_role("link", name=new_title).count() == 0
    anonymous.goto(f"{site}/news/")
    assert anonymous.get_by_role("link", name=new_title).count() == 0
    anonymous.goto(f"{site}/search/?q=lantern")
    assert anonymous.get_by_role("link", name=new_title).count() == 0
    assert new_title not in anonymous.request.get(f"{site}/news/feed/").text()
    for url in private_urls:
        assert anonymous.request.get(url).status == 404, url


def test_staff_preview_reaches_a_drafts_files(site, editor_page, make_clip, make_photo, make_attachment):
    """The 404s the public gets for a draft are about publication, not a missing route."""
    clip = make_clip(status=NewsClip.Status.DRAFT)
    make_photo(clip)
    attachment = make_attachment(clip, name=KOREAN_PDF)
    clip_url = f"{site}{clip.get_absolute_url()}"
    editor_page.goto(clip_url)
    urls = [
        attachment.get_absolute_url(),
        editor_page.locator(".gallery img").first.get_attribute("src"),
        f"{clip.get_absolute_url()}attachments.zip",
        f"{clip.get_absolute_url()}page.pdf",
    ]
    for url in urls:
        assert editor_page.request.get(site + url).status == 200, f"staff get no file at {url} of a draft"


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10"/></svg>'
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
# The refusal names what the file really is (news/files/forms.py).
PHOTO_REFUSED = r"SVG images can carry scripts|Upload a JPEG, PNG, WebP or GIF photo"
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


@pytest.mark.parametrize(
    ("inline", "name", "data", "message"),
    [
        pytest.param("photo", "city-logo.svg", SVG, PHOTO_REFUSED, id="svg-photo"),
        pytest.param("photo", "budget.pdf", pdf_bytes(), PHOTO_REFUSED, id="pdf-photo"),
        pytest.param("attachment", "setup.exe", EXE, r"“\.exe” files are not accepted", id="exe-attachment"),
        pytest.param("attachment", "notice.html", HTML, r"Web pages can carry scripts", id="html-attachment"),
    ],
)
def test_a_refused_upload_shows_an_error_and_saves_nothing(site, editor_page, tmp_path, inline, name, data, message):
    page = editor_page
    rows_before = (NewsClip.objects.count(), ClipImage.objects.count(), Attachment.objects.count())
    files_before = protected_files()
    page.goto(f"{site}/admin/news/newsclip/add/")
    fill_clip_fields(page)
    bad = write(tmp_path / name, data)
    # A good file rides along in the same form: it must not be stored either.
    if inline == "photo":
        add_photo(page, bad, alt="The refused file")
        add_attachment(page, write(tmp_path / KOREAN_PDF, pdf_bytes()), title="Report")
    else:
        add_photo(page, write(tmp_path / "fine.jpg", image_bytes()), alt="A fine photo")
        add_attachment(page, bad, title="The refused file")
    click_step(page, "save")

    expect(page.locator(".error-summary")).to_contain_text("Nothing was saved: correct this error.")
    assert re.search(r"/admin/news/newsclip/add/$", page.url), page.url
    group = "#images-group" if inline == "photo" else "#attachments-group"
    assert re.search(message, page.locator(f"{group} .errorlist").inner_text())
    save_screenshot(page, f"admin-refused-{inline}-{name.rsplit('.', 1)[-1]}")
    assert (NewsClip.objects.count(), ClipImage.objects.count(), Attachment.objects.count()) == rows_before
    # The good file is only kept for the editor's next try (news/files/staging.py).
    assert {f for f in protected_files() if f.parts[0] != "staged"} == files_before
