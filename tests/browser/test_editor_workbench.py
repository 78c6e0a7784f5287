"""The editor's workbench in a real browser: rich text pasted from Word, uploads kept across a form
error, photos ordered by dragging, and the clip form's layout at desktop widths."""

import re
from html.parser import HTMLParser

import pytest
from playwright.sync_api import expect

from news.models import NewsClip
from tests.helpers import image_bytes, pdf_bytes

from .helpers import KOREAN_PDF, add_attachment, add_photo, click_step, fill_clip_fields, paste_html, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# What Word puts on the clipboard: conditional comments, mso- styles, o:p elements, class soup.
WORD_FRAGMENT = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>
<!--[if gte mso 9]><xml><o:OfficeDocumentSettings><o:AllowPNG/></o:OfficeDocumentSettings></xml><![endif]-->
<style>p.MsoNormal { mso-style-parent:""; margin:0cm; }</style></head><body>
<h2 style="mso-outline-level:2">Major achievements of the first year</h2>
<p class="MsoNormal" style="mso-margin-top-alt:auto"><b>First</b>, the Gwangju Job Project was
<span style="mso-bidi-font-weight:bold">successfully</span> established.<o:p></o:p></p>
<ul style="margin-top:0cm" type="disc">
<li class="MsoNormal" style="mso-list:l0 level1 lfo1">Work begun on the 2nd subway line<o:p></o:p></li>
<li class="MsoNormal" style="mso-list:l0 level1 lfo1">An AI-centred industrial complex<o:p></o:p></li>
</ul>
<h3>Ten key policy objectives</h3>
<p>Read the <a href="https://www.gwangju.go.kr/" onclick="steal()">city's announcement</a>.</p>
<table class="MsoTableGrid" style="border-collapse:collapse">
<tr><td style="border:solid windowtext 1.0pt"><p class="MsoNormal">Field</p></td><td><p>Achievements</p></td></tr>
<tr><td><p>Economy</p></td><td><p>25</p></td></tr>
</table></body></html>"""


class _Tokens(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tokens = []

    def handle_starttag(self, tag, attrs):
        self.tokens.append((tag, sorted(attrs)))

    def handle_endtag(self, tag):
        self.tokens.append(("/" + tag,))

    def handle_data(self, data):
        self.tokens.append(data)


def canonical(html):
    """Markup as elements, attributes (in any order) and text."""
    parser = _Tokens()
    parser.feed(html)
    return parser.tokens


def test_pasting_from_word_keeps_the_structure_on_the_public_page(site, editor_page):
    page = editor_page
    console_errors = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    page.goto(f"{site}/admin/news/newsclip/add/")
    expect(page.locator(".prose-editor .ProseMirror[contenteditable=true]")).to_be_visible()
    fill_clip_fields(page, title="Word paste", slug="word-paste")
    assert not console_errors, console_errors  # the editor runs under the CSP
    # Word's styles and the onclick are blocked by the CSP while the editor reads the paste, and dropped.
    paste_html(page, "body", WORD_FRAGMENT)
    submitted = page.input_value("#id_body")  # what the editor made of the paste
    click_step(page, "publish")
    page.wait_for_url(re.compile(r"/admin/news/newsclip/\d+/change/"))
    expect(page.locator(".messagelist .warning")).to_have_count(0)  # nothing the editor kept was removed

    body = NewsClip.objects.get(slug="word-paste").body
    # The server's allow-list keeps everything the editor made, except Word's class names, which the
    # editor's block-style menu carries along from a paste and the server drops without a word.
    assert canonical(body) == canonical(submitted.replace(' class="MsoNormal"', ""))
    for marker in ("mso", "MsoNormal", "<o:p", "style=", "onclick", "<!--", "<span"):
        assert marker not in body, marker
    page.goto(f"{site}/news/word-paste/")
    clip_body = page.locator(".clip-body")
    expect(clip_body.locator("h2")).to_have_text("Major achievements of the first year")
    expect(clip_body.locator("h3")).to_have_text("Ten key policy objectives")
    expect(clip_body.locator("strong")).to_have_text("First")
    expect(clip_body.locator("ul > li")).to_have_text(
        ["Work begun on the 2nd subway line", "An AI-centred industrial complex"]
    )
    expect(clip_body.locator("a")).to_have_attribute("href", "https://www.gwangju.go.kr/")
    expect(clip_body.locator("table tr")).to_have_count(2)
    expect(clip_body.locator("table td").nth(3)).to_have_text("25")


# Playwright's mouse does not start a native drag that Sortable.js (django-admin-sortable2) accepts
# in headless Chromium, so the test sends the events a browser sends for a hand on the mouse.
DRAG = """([rowSelector, from, to]) => {
    const rows = [...document.querySelectorAll(rowSelector)];
    const source = rows[from], handle = source.querySelector("h3 b"), target = rows[to].querySelector("h3");
    const start = handle.getBoundingClientRect(), end = target.getBoundingClientRect();
    const at = (box) => ({bubbles: true, cancelable: true, clientX: box.x + 3, clientY: box.y + 2, button: 0});
    const data = new DataTransfer();
    handle.dispatchEvent(new PointerEvent("pointerdown", {...at(start), pointerId: 1, isPrimary: true}));
    source.dispatchEvent(new DragEvent("dragstart", {...at(start), dataTransfer: data}));
    return new Promise((done) => setTimeout(() => {
        target.dispatchEvent(new DragEvent("dragenter", {...at(end), dataTransfer: data}));
        target.dispatchEvent(new DragEvent("dragover", {...at(end), dataTransfer: data}));
        setTimeout(() => {
            target.dispatchEvent(new DragEvent("drop", {...at(end), dataTransfer: data}));
            source.dispatchEvent(new DragEvent("dragend", {...at(end), dataTransfer: data}));
            done();
        }, 50);
    }, 50));
}"""


def drag_row(page, row_selector, source, target):
    page.evaluate(DRAG, [row_selector, source, target])


def photo_file(tmp_path, name, color):
    path = tmp_path / name
    path.write_bytes(image_bytes("JPEG", (320, 200), color))
    return str(path)


def test_files_are_never_chosen_twice_and_photos_are_ordered_by_dragging(site, editor_page, tmp_path):
    page = editor_page
    page.goto(f"{site}/admin/news/newsclip/add/")
    fill_clip_fields(page, title="Three photos", slug="three-photos")
    add_photo(page, photo_file(tmp_path, "first.jpg", (200, 30, 30)), alt="First photo")
    add_photo(page, photo_file(tmp_path, "second.jpg", (30, 200, 30)), alt="Second photo")
    add_photo(page, photo_file(tmp_path, "third.jpg", (30, 30, 200)), alt="")  # forgotten: the form fails
    report = tmp_path / KOREAN_PDF
    report.write_bytes(pdf_bytes("Report"))
    add_attachment(page, str(report), title="Report")
    click_step(page, "publish")

    expect(page.locator(".errornote")).to_be_visible()
    for name in ("first.jpg", "second.jpg", "third.jpg", KOREAN_PDF):
        expect(page.locator(".staged-upload", has_text=name)).to_have_count(1)
    # The editor fixes the one field and saves: no file is chosen again.
    page.fill('[name="images-2-alt_text"]', "Third photo")
    click_step(page, "publish")
    page.wait_for_url(re.compile(r"/admin/news/newsclip/\d+/change/"))
    clip = NewsClip.objects.get(slug="three-photos")
    assert list(clip.images.values_list("alt_text", "original_name")) == [
        ("First photo", "first.jpg"),
        ("Second photo", "second.jpg"),
        ("Third photo", "third.jpg"),
    ]
    assert list(clip.attachments.values_list("original_name", flat=True)) == [KOREAN_PDF]

    # "Currently" opens the stored file through the checked view, under its original name.
    current = page.locator("#attachments-group p.file-upload a").first
    expect(current).to_have_text(KOREAN_PDF)
    assert page.request.get(site + current.get_attribute("href")).status == 200
    expect(page.locator("#images-group .lead-photo")).to_have_count(1)

    # Drag the third photo to the top.
    rows = page.locator("#images-group .inline-related.has_original")
    drag_row(page, "#images-group .inline-related.has_original", 2, 0)
    expect(rows.nth(0).locator('input[name$="-alt_text"]')).to_have_value("Third photo")
    expect(rows.nth(0).locator(".lead-photo")).to_have_count(1)
    # And move the (now third) second photo up with the keyboard.
    rows.nth(2).locator(".move-up").focus()
    page.keyboard.press("Enter")
    expect(rows.nth(1).locator('input[name$="-alt_text"]')).to_have_value("Second photo")
    save_screenshot(page, "admin-clip-photos-reordered")
    click_step(page, "publish")  # the clip is live: the new order is a draft until published
    expect(page.locator(".messagelist .success")).to_be_visible()

    assert list(clip.images.values_list("alt_text", flat=True)) == ["Third photo", "Second photo", "First photo"]
    page.goto(f"{site}/news/three-photos/")
    expect(page.locator(".gallery img").first).to_have_attribute("alt", "Third photo")


@pytest.mark.parametrize("width", [1280, 1920])
def test_clip_form_and_list_fit_the_screen(site, editor_page, width):
    page = editor_page
    page.set_viewport_size({"width": width, "height": 900})
    clip = NewsClip.objects.get()  # the seed clip, with its photos and attachments
    page.goto(f"{site}/admin/news/newsclip/{clip.pk}/change/")
    expect(page.locator(".prose-editor .ProseMirror[contenteditable=true]")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    for group in ("#images-group", "#attachments-group"):
        box = page.locator(group).bounding_box()
        assert box["x"] + box["width"] <= width, group
        assert page.locator(group).evaluate("el => el.scrollWidth <= el.clientWidth + 1"), group
    title_box = page.locator("#id_title").bounding_box()
    assert title_box["width"] >= 500
    save_screenshot(page, f"admin-clip-form-{width}")

    page.goto(f"{site}/admin/news/newsclip/")
    save_screenshot(page, f"admin-clip-list-{width}")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    assert page.locator("#changelist .results").evaluate("el => el.scrollWidth <= el.clientWidth + 1")
    for column in ("Title", "State", "Publish date", "Views", "Photos", "Files"):
        header = page.locator("#result_list thead th", has_text=column).first
        assert header.bounding_box()["width"] >= len(column) * 6, column
    title_cell = page.locator("#result_list td.field-title, #result_list th.field-title").first
    assert title_cell.bounding_box()["height"] <= 60  # two lines at most
