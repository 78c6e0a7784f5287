"""The reader's journey: from the home page to a clip, its photos, files and projects."""

import hashlib
import re
import zipfile
from datetime import datetime
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from news.models import Attachment
from projects.models import Project
from tests.helpers import SEED_SLUG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEOUL = ZoneInfo("Asia/Seoul")
SEED_TITLE = "Gwangju! A year in innovation"
SUBWAY = "Gwangju second subway line"
EARLIER_TITLE = "Year-end lantern walk along the Yeongsan river"
LATER_TITLE = "FINA World Championships close with record crowds"


@pytest.fixture
def clips_around_the_seed(site, make_clip):
    """The seed has one clip; a reader's previous/next needs neighbours, and filters need clips to leave out."""
    earlier = make_clip(
        title=EARLIER_TITLE, slug="year-end-lantern-walk", publish_at=datetime(2018, 12, 28, 18, 0, tzinfo=SEOUL)
    )
    later = make_clip(
        title=LATER_TITLE, slug="fina-closes-record-crowds", publish_at=datetime(2019, 7, 29, 9, 0, tzinfo=SEOUL)
    )
    later.projects.add(Project.objects.get(slug="fina-world-championships-2019"))
    return earlier, later


def expect_heading(page, text):
    # Retries until the page that a click navigated to has arrived.
    expect(page.locator("h1")).to_have_text(text)


def test_reader_goes_from_home_through_news_to_a_clip_and_its_project(site, page, clips_around_the_seed):
    page.goto(site + "/")
    page.get_by_role("link", name="All news clips").click()
    page.wait_for_url(f"{site}/news/")
    assert page.locator(".clip-card").count() == 3

    # Filter by year and project.
    page.select_option("#id_year", "2019")
    page.select_option("#id_project", label=SUBWAY)
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"year=2019"))
    assert "project=" in page.url
    titles = page.locator(".clip-card-title").all_inner_texts()
    assert titles == [SEED_TITLE]
    page.goto(f"{site}/news/?year=2018")
    assert page.locator(".clip-card-title").all_inner_texts() == [EARLIER_TITLE]

    # Search from the list's own search box.
    page.goto(f"{site}/news/")
    page.fill("#id_q", "record crowds")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"q=record"))
    assert page.locator(".clip-card-title").all_inner_texts() == [LATER_TITLE]

    # Then the site-wide search in the header (of a page without a search box of its own), and on to the clip.
    page.goto(f"{site}/policies/")
    page.fill("#site-search", "innovation")
    page.press("#site-search", "Enter")
    page.wait_for_url(re.compile(r"/search/\?q=innovation"))
    news_results = page.locator("section.search-group").filter(has=page.get_by_role("heading", name="News clips"))
    news_results.get_by_role("link", name=SEED_TITLE).click()
    page.wait_for_url(f"{site}/news/{SEED_SLUG}/")
    expect_heading(page, SEED_TITLE)

    # The gallery: every photo with its alt text and caption, in order.
    figures = page.locator(".gallery figure")
    assert figures.count() == 3
    assert page.locator(".gallery figcaption").all_inner_texts() == [
        "Gwangju Metropolitan Government Building",
        "Night view of the Asia Culture Center",
        "Nambu University Municipal Aquatics Center",
    ]
    assert all(alt.strip() for alt in page.locator(".gallery img").evaluate_all("imgs => imgs.map(i => i.alt)"))

    # Previous and next clips.
    page.locator(".prev-next a[rel=next]").click()
    expect_heading(page, LATER_TITLE)
    assert page.locator(".prev-next a[rel=next]").count() == 0
    page.locator(".prev-next a[rel=prev]").click()
    expect_heading(page, SEED_TITLE)
    page.locator(".prev-next a[rel=prev]").click()
    expect_heading(page, EARLIER_TITLE)
    page.locator(".prev-next a[rel=next]").click()
    expect_heading(page, SEED_TITLE)

    # A related project (behind "Show all": the block shows the five most connected first), and its clips.
    page.locator(".related-more summary").click()
    page.locator(".related").get_by_role("link", name=SUBWAY).click()
    page.wait_for_url(f"{site}/projects/second-subway-line/")
    expect_heading(page, SUBWAY)
    clips = page.locator("section[aria-labelledby=clips-title]")
    assert clips.locator(".clip-card-title").all_inner_texts() == [SEED_TITLE]
    clips.get_by_role("link", name=SEED_TITLE).click()
    expect_heading(page, SEED_TITLE)


def test_gallery_photos_and_thumbnails_are_served(site, page):
    page.goto(f"{site}/news/{SEED_SLUG}/")
    images = page.locator(".gallery img")
    for image in images.all():
        image.scroll_into_view_if_needed()
    page.wait_for_load_state("networkidle")
    broken = images.evaluate_all("imgs => imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)")
    assert not broken, f"gallery photos that do not load: {broken}"
    page.goto(f"{site}/news/")
    thumbs = page.locator(".clip-card-thumb")
    for thumb in thumbs.all():
        thumb.scroll_into_view_if_needed()
    page.wait_for_load_state("networkidle")
    broken = thumbs.evaluate_all("imgs => imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)")
    assert not broken, f"thumbnails that do not load: {broken}"


def test_reader_downloads_an_attachment_the_bundle_and_the_page(site, page, tmp_path):
    page.goto(f"{site}/news/{SEED_SLUG}/")
    attachments = list(Attachment.objects.filter(clip__slug=SEED_SLUG).order_by("position", "id"))
    first = attachments[0]
    assert first.original_name == "광주_혁신_1년_보도자료.pdf"

    # One attachment: the browser keeps its Korean file name.
    with page.expect_download() as info:
        page.locator(".attachment-list a[download]").first.click()
    download = info.value
    assert download.failure() is None, f"{download.url}: {download.failure()}"
    assert download.suggested_filename == first.original_name
    assert hashlib.sha256(Path(download.path()).read_bytes()).hexdigest() == first.sha256
    assert Attachment.objects.get(pk=first.pk).download_count == first.download_count + 1

    # Full (compressed) download: one ZIP holding every attachment.
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile(r"^Full \(compressed\) download")).click()
    download = info.value
    assert download.failure() is None, f"{download.url}: {download.failure()}"
    assert download.suggested_filename.endswith(".zip")
    archive_path = tmp_path / "bundle.zip"
    download.save_as(archive_path)
    with zipfile.ZipFile(archive_path) as archive:
        assert archive.testzip() is None
        entries = {PurePosixPath(info.filename).name: archive.read(info) for info in archive.infolist()}
    assert sorted(entries) == sorted(a.original_name for a in attachments)
    by_name = {a.original_name: a.sha256 for a in attachments}
    assert {name: hashlib.sha256(data).hexdigest() for name, data in entries.items()} == by_name

    # Download page: the clip as a PDF.
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile(r"^Download page")).click()
    download = info.value
    assert download.failure() is None, f"{download.url}: {download.failure()}"
    assert download.suggested_filename.endswith(".pdf")
    assert Path(download.path()).read_bytes()[:5] == b"%PDF-"
