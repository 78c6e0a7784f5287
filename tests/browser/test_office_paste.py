"""A paste from Word or Hancom Office in the real editor keeps its lists, nested, and the save stores
exactly what the server makes of the same clipboard HTML (tests/editing/test_office_lists.py)."""

import re

import pytest
from playwright.sync_api import expect

from news.models import NewsClip
from tests.core.test_office_lists import HANCOM, HANCOM_STORED, WORD, WORD_STORED

from .helpers import click_step, fill_clip_fields, paste_html, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("program", "clipboard", "stored"), [("word", WORD, WORD_STORED), ("hancom", HANCOM, HANCOM_STORED)]
)
def test_a_pasted_office_list_is_a_nested_list_in_the_editor_and_on_the_page(
    site, editor_page, program, clipboard, stored
):
    page = editor_page
    console_errors = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    page.goto(f"{site}/admin/news/newsclip/add/")
    fill_clip_fields(page, title=f"Paste from {program}", slug=f"paste-{program}")
    paste_html(page, "body", clipboard)
    editor = page.locator(".prose-editor:has(#id_body) .ProseMirror[contenteditable=true]")
    expect(editor.locator("ul, ol").first).to_be_visible()
    # Nested by level: a list inside an item of a list, twice over for Word's three bullet levels.
    expect(editor.locator("li ul li, li ol li").first).to_be_visible()
    assert "·" not in editor.inner_text() and "□" not in editor.inner_text()
    save_screenshot(page, f"editor-paste-{program}-lists")
    assert not console_errors, console_errors

    click_step(page, "save")
    page.wait_for_url(re.compile(r"/admin/news/newsclip/\d+/change/"))
    body = NewsClip.objects.get(slug=f"paste-{program}").body
    assert same_structure(body) == same_structure(stored)


def same_structure(html):
    """The editor stores items as <li><p>…</p> and the list style as data-type; the rest must match."""
    html = re.sub(r' data-type="[^"]*"', "", html.replace("\n", ""))
    return re.sub(r"<li><p>(.*?)</p>", r"<li>\1", html)
