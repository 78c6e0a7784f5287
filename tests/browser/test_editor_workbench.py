"""The editor's workbench in a real browser: rich text pasted from Word, uploads kept across a form
error, photos ordered by dragging, and the clip form's layout at desktop widths."""

from html.parser import HTMLParser

import pytest
from playwright.sync_api import expect

from news.models import NewsClip

from .helpers import login_to_admin, paste_html
from .test_editor_journey import PASSWORD, click_save, fill_clip_fields

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def editor_page(site, new_context, django_user_model):
    django_user_model.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    page = new_context().new_page()
    login_to_admin(page, site, "editor", PASSWORD)
    return page


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
    page.select_option("#id_status", "published")
    submitted = page.input_value("#id_body")  # what the editor made of the paste
    click_save(page, "_save")
    page.wait_for_url(f"{site}/admin/news/newsclip/")
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
