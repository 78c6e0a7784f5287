"""The clip page's reading aids and connections: contents, related, achievements, share links."""

import re

import pytest

from news.public.headings import add_heading_anchors

pytestmark = pytest.mark.django_db

THIRD_PARTY_SCRIPT = re.compile(r"<script[^>]+src=\"(https?:)?//", re.IGNORECASE)


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_contents_list_links_to_ids_on_the_body_headings(client, seeded):
    html = html_of(client, seeded.get_absolute_url())
    contents = re.search(r'<nav class="contents".*?</nav>', html, re.DOTALL).group(0)
    anchors = re.findall(r'href="#([^"]+)"', contents)
    assert anchors == [
        "section-major-achievements-of-the-first-year-in-office",
        "section-ten-key-policy-objectives-in-the-next-three-years-to-make-gw",
    ]
    for anchor in anchors:
        assert f'<h2 id="{anchor}">' in html


def test_heading_ids_are_unique_and_safe():
    body = (
        '<h2>Plan</h2><p>x</p><h3>Plan</h3><h2>&lt;b onclick="x"&gt;</h2><h2><strong>광주 계획</strong></h2><h4>No</h4>'
    )
    html, headings = add_heading_anchors(body)
    assert [h.anchor for h in headings] == ["section-plan", "section-plan-2", "section-b-onclickx", "section-광주-계획"]
    assert [h.level for h in headings] == [2, 3, 2, 2]
    assert headings[2].text == '<b onclick="x">'  # text, escaped by the template
    assert "<h4>No</h4>" in html
    assert html.count(' id="') == 4


def test_a_short_clip_has_no_contents_list(client, make_clip):
    clip = make_clip(body="<h2>Only one</h2><p>Text.</p>")
    assert 'class="contents"' not in html_of(client, clip.get_absolute_url())


def test_achievements_linked_to_the_clip_are_shown(client, seeded):
    html = html_of(client, seeded.get_absolute_url())
    assert "Achievements in this clip" in html
    for achievement in seeded.achievements.all():
        assert achievement.title.replace("'", "&#x27;") in html


def test_related_block_shows_five_most_connected_first_and_the_rest_behind_show_all(
    client, make_clip, make_project, make_objective
):
    clip = make_clip()
    central = make_project(name="Zeta central project")
    objective = make_objective(1)
    objective.projects.add(central)
    clip.objectives.add(objective)
    loose = [make_project(name=f"Alpha loose {i}") for i in range(6)]
    clip.projects.add(central, *loose)
    html = html_of(client, clip.get_absolute_url())
    related = re.search(r'<section class="related".*?</section>', html, re.DOTALL).group(0)
    first, rest = related.split('<details class="related-more">')
    assert first.count("<li>") == 5
    # The objective holding one of the clip's projects and that project come before the loose ones.
    assert first.index("Objective 1") < first.index("Zeta central project") < first.index("Alpha loose 0")
    assert "Show all 8 related items" in rest
    assert rest.count("<li>") == 3


def test_the_reference_line_links_to_the_achievements_page(client, seeded):
    html = html_of(client, seeded.get_absolute_url())
    assert '※ Reference - <a href="/policies/achievements/">100 achievements in 6 fields</a>' in html


def test_share_links_need_no_script_and_carry_the_page_address(client, seeded, settings):
    html = html_of(client, seeded.get_absolute_url())
    address = f"{settings.SITE_URL}/news/{seeded.slug}/".replace(":", "%3A").replace("/", "%2F")
    for start in [
        "mailto:?subject=",
        "https://twitter.com/intent/tweet?url=",
        "https://www.facebook.com/sharer/sharer.php?u=",
        "https://story.kakao.com/share?url=",
        "https://band.us/plugin/share?body=",
        "https://social-plugins.line.me/lineit/share?url=",
    ]:
        assert re.search(re.escape(start) + r"[^\"]*" + re.escape(address), html), start
    assert 'data-copy-link="' in html


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/news/",
        "/policies/",
        "/policies/achievements/",
        "/policies/objectives/1/",
        "/projects/",
        "/projects/second-subway-line/",
        "/search/?q=subway",
        "/accessibility/",
        "/feedback/?page=/",
    ],
)
def test_no_page_loads_a_script_from_another_site(client, seeded, url):
    html = html_of(client, url)
    assert not THIRD_PARTY_SCRIPT.search(html)
    assert not re.search(r"<(iframe|img)[^>]+src=\"https?://", html)


def test_official_identity_language_link_and_footer(client, seeded, settings):
    settings.KOREAN_SITE_URL = "https://www.gwangju.go.kr/"
    html = html_of(client, "/news/")
    assert "An official website of Gwangju Metropolitan City" in html
    assert '<a class="language-link" href="https://www.gwangju.go.kr/" hreflang="ko" lang="ko">' in html
    assert 'class="brand-mark"' not in html  # no placeholder glyph
    assert "111 Naebang-ro" in html and "+82-62-120" in html and "©" in html
    assert 'href="/accessibility/"' in html
    assert "Accessibility statement" in html_of(client, "/accessibility/")


def test_one_search_box_on_pages_with_their_own(client, seeded):
    for url in ["/news/", "/search/?q=subway"]:
        assert html_of(client, url).count('type="search"') == 1
    assert html_of(client, "/").count('type="search"') == 1


def test_reading_comes_first_tools_are_secondary(client, seeded):
    html = html_of(client, seeded.get_absolute_url())
    tools = re.search(r'<ul class="clip-actions".*?</ul>', html, re.DOTALL).group(0)
    assert "button-primary" not in tools
    assert html.index('class="clip-body"') < html.index('class="clip-actions"')
