"""A reader follows "View in browser" for an HWP attachment and sees its first page, in
Chromium's own PDF viewer (which draws PDFs headless too)."""

import io
import re

import pytest
from pypdf import PdfReader

from news.files.conversions import run_queue
from tests.documents import HANGUL_SENTENCE, marker, sample

from .helpers import SCREENSHOTS, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_view_in_browser_opens_the_first_page_of_an_hwp(site, page, make_clip, make_attachment):
    clip = make_clip(title="Budget briefing")
    hwp = make_attachment(clip, name="2019_budget.hwp", data=sample("sample.hwp").read_bytes(), title="Budget 2019")
    run_queue()
    downloads = []
    page.on("download", lambda download: downloads.append(download))
    page.goto(site + clip.get_absolute_url())
    link = page.get_by_role("link", name=re.compile(r"^View in browser\s+— Budget 2019 \(PDF, 1 page, "))
    save_screenshot(page, "attachment-view-in-browser-link")
    with page.expect_response(lambda response: response.url.endswith(hwp.get_view_url())) as answer:
        link.click()
    response = answer.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline;")
    # Opened in the tab by Chromium's PDF viewer, not handed to the download manager. The viewer
    # draws inside its own extension frame, out of the page's reach: the screenshot shows the page
    # (and the title written into the PDF, in the viewer's toolbar).
    page.wait_for_load_state("load")
    assert page.url.endswith(hwp.get_view_url()) and downloads == []
    page.wait_for_timeout(1500)  # the viewer draws the page once it has loaded the document
    page.screenshot(path=str(SCREENSHOTS / "attachment-pdf-in-browser.png"))
    served = page.request.get(page.url)
    first_page = PdfReader(io.BytesIO(served.body())).pages[0].extract_text()
    assert marker("sample.hwp") in first_page
    assert "".join(HANGUL_SENTENCE.split()) in "".join(first_page.split())
