"""Lists pasted from Word and Hancom Office become real lists, nested by level (core/office_lists.py).

The samples in clipboard/ are what Chromium reads from the clipboard (`text/html`) after copying
from Word 2016+ on Windows and from Hancom Office 2020 (HWP): Word's list paragraphs with their
`mso-list` styles and `<![if !supportLists]>` markers, Hancom's `HStyle` paragraphs with typed
markers and hanging indents.
"""

from pathlib import Path

import pytest
from django.urls import reverse

from core.office_lists import lists_from_office_html
from core.rich_text import sanitise
from news.models import NewsClip
from tests.helpers import post_change

SAMPLES = Path(__file__).resolve().parent / "clipboard"
WORD = (SAMPLES / "word-2016-lists.html").read_text(encoding="utf-8")
HANCOM = (SAMPLES / "hancom-2020-lists.html").read_text(encoding="utf-8")

WORD_STORED = (
    "<p><strong>Gwangju’s first year in numbers</strong></p>\n\n"
    "<ul><li>Gwangju Job Project successfully implemented</li>"
    "<li>Work begun on the <strong>2nd subway line</strong>"
    "<ul><li>Stage 1 section under construction<ul><li>Opening planned for 2023</li></ul></li>"
    "<li>Stage 2 design completed</li></ul></li>"
    "<li>Foundations laid for the 4th industrial revolution</li></ul>\n"
    "<p>The city set out its next steps:</p>\n\n"
    '<ol><li>Build the AI-centred industrial complex<ol type="a"><li>Cheomdan-3 site approved</li>'
    "<li>Data centre tender in the latter half of 2019</li></ol></li>"
    "<li>Open the hydrogen demonstration centre</li></ol>"
)
HANCOM_STORED = (
    "<p><strong>Main achievements of the 7th elected administration</strong></p>\n\n"
    "<ul><li>Jobs and the economy<ul><li>Gwangju Job Project: the automotive plant agreement signed</li>"
    "<li>AI-centred industrial complex selected as a national project"
    "<ul><li>Budget of 400 billion won until 2024</li></ul></li></ul></li>"
    "<li>Transport: second subway line under way</li></ul>\n"
    "<p><br></p>\n\n<p>Plans for the next three years</p>\n\n"
    "<ol><li>Hydrogen demonstration centre opens<ol><li>Fuel-cell buses on two routes</li>"
    "<li>Charging stations in every district</li></ol></li><li>Gwangju stream restored</li></ol>"
)


def test_word_bulleted_and_numbered_lists_are_nested_by_level():
    assert sanitise(WORD) == WORD_STORED


def test_hancom_lists_are_nested_by_their_indents():
    assert sanitise(HANCOM) == HANCOM_STORED


def test_word_markers_are_gone_from_the_items():
    for marker in ("·", "§", "1.", "a.", "supportLists", "mso-list"):
        assert marker not in sanitise(WORD).replace("4th", ""), marker


def test_hancom_marker_kinds_give_the_levels_when_the_indents_are_equal():
    html = (
        "<p class=HStyle0>□ Economy</p><p class=HStyle0>○ Jobs</p>"
        "<p class=HStyle0>○ Investment</p><p class=HStyle0>□ Transport</p>"
    )
    assert sanitise(html) == "<ul><li>Economy<ul><li>Jobs</li><li>Investment</li></ul></li><li>Transport</li></ul>"


def test_one_numbered_hancom_paragraph_stays_a_paragraph():
    html = "<p class=HStyle0>1. Introduction</p><p class=HStyle0>The city reports.</p>"
    assert sanitise(html) == "<p>1. Introduction</p><p>The city reports.</p>"


def test_a_numbered_hancom_list_keeps_its_start():
    html = "<p class=HStyle0>3. Third</p><p class=HStyle0>4. Fourth</p>"
    assert sanitise(html) == '<ol start="3"><li>Third</li><li>Fourth</li></ol>'


def test_two_word_lists_in_a_row_stay_two_lists():
    item = (
        "<p class=MsoListParagraph style='mso-list:{list} level1 {lfo}'><![if !supportLists]>"
        "<span style='mso-list:Ignore'>{marker}<span>&nbsp; </span></span><![endif]>{text}</p>"
    )
    html = item.format(list="l0", lfo="lfo1", marker="·", text="Bullet") + item.format(
        list="l1", lfo="lfo2", marker="1.", text="Number"
    )
    assert sanitise(html) == "<ul><li>Bullet</li></ul>\n<ol><li>Number</li></ol>"


def test_html_from_elsewhere_is_left_as_it_was():
    html = "<p>A <b>web</b> page</p><ul><li>• not Office</li></ul>"
    assert lists_from_office_html(html) is html


@pytest.mark.django_db
def test_a_clip_saved_with_word_html_stores_the_lists(admin_client, make_clip):
    clip = make_clip(status=NewsClip.Status.DRAFT)
    assert post_change(admin_client, clip, body=WORD).status_code == 302
    clip.refresh_from_db()
    assert clip.body == WORD_STORED


@pytest.mark.django_db
def test_the_paste_endpoint_answers_staff_with_what_a_save_stores(admin_client, client):
    url = reverse("rich_text_paste")
    answer = admin_client.post(url, {"html": HANCOM})
    assert answer.status_code == 200 and answer.json() == {"html": HANCOM_STORED}
    assert admin_client.get(url).status_code == 405
    assert admin_client.post(url, {}).status_code == 400
    too_deep = "<ul><li>" * 150 + "x" + "</li></ul>" * 150
    assert admin_client.post(url, {"html": too_deep + "<p class=MsoListParagraph>"}).status_code == 400
    anonymous = client.post(url, {"html": HANCOM})
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
