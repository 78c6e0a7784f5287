"""The clip body is cleaned with an allow-list when saved, however the danger is spelled."""

import pytest
from django.urls import reverse

from core.rich_text import sanitise as sanitise_body
from news.models import NewsClip
from tests.helpers import clip_form_data

pytestmark = pytest.mark.django_db

A = '<a rel="noopener noreferrer">x</a>'  # a link whose address was removed

CASES = [
    pytest.param("<script>alert(1)</script><p>ok</p>", "<p>ok</p>", id="script"),
    pytest.param("<SCRIPT SRC=//evil.example/x.js></SCRIPT><p>ok</p>", "<p>ok</p>", id="script-src-uppercase"),
    pytest.param("<img src=x onerror=alert(1)><p>ok</p>", "<p>ok</p>", id="img-onerror"),
    pytest.param('<p onclick="alert(1)" onmouseover=alert(1)>x</p>', "<p>x</p>", id="event-handlers"),
    pytest.param("<details open ontoggle=alert(1)><p>x</p></details>", "<p>x</p>", id="details-ontoggle"),
    pytest.param('<p style="background:url(javascript:alert(1))">x</p>', "<p>x</p>", id="style-attribute"),
    pytest.param("<style>body{display:none}</style><p>x</p>", "<p>x</p>", id="style-element"),
    pytest.param('<iframe src="https://evil.example"></iframe><p>x</p>', "<p>x</p>", id="iframe"),
    pytest.param('<a href="javascript:alert(1)">x</a>', A, id="javascript-link"),
    pytest.param('<a href="JaVaScRiPt:alert(1)">x</a>', A, id="javascript-mixed-case"),
    pytest.param('<a href="java&#x09;script:alert(1)">x</a>', A, id="javascript-tab-entity"),
    pytest.param('<a href="java\tscript:alert(1)">x</a>', A, id="javascript-raw-tab"),
    pytest.param('<a href="java&#x0A;script:alert(1)">x</a>', A, id="javascript-newline-entity"),
    pytest.param(
        '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
        A,
        id="javascript-decimal-entities",
    ),
    pytest.param('<a href="&#x6A;avascript&colon;alert(1)">x</a>', A, id="javascript-named-colon"),
    pytest.param('<a href="javascript&#58;alert(1)">x</a>', A, id="javascript-entity-colon"),
    pytest.param('<a href="  javascript:alert(1)">x</a>', A, id="javascript-leading-spaces"),
    pytest.param('<a href="\x01javascript:alert(1)">x</a>', A, id="javascript-control-prefix"),
    pytest.param('<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>', A, id="data-url"),
    pytest.param('<a href="DATA:text/html,<script>alert(1)</script>">x</a>', A, id="data-url-uppercase"),
    pytest.param('<a href="vbscript:msgbox(1)">x</a>', A, id="vbscript"),
    pytest.param(
        '<blockquote cite="javascript:alert(1)">q</blockquote>', "<blockquote>q</blockquote>", id="javascript-cite"
    ),
    pytest.param(
        '<blockquote cite="java&#x09;script:alert(1)">q</blockquote>',
        "<blockquote>q</blockquote>",
        id="javascript-cite-tab-entity",
    ),
    pytest.param(
        '<a href="https://example.org/" target="_blank" rel="opener">x</a>',
        '<a href="https://example.org/" rel="noopener noreferrer">x</a>',
        id="target-blank-opener",
    ),
    pytest.param("<svg><script>alert(1)</script></svg><p>x</p>", "<p>x</p>", id="svg-script"),
    pytest.param(
        "<math><mi><mglyph><style><img src=x onerror=alert(1)></style></mglyph></mi></math>", "", id="mathml-mutation"
    ),
    pytest.param(
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
        '&lt;p title=""&gt;',
        id="noscript-mutation",
    ),
    pytest.param('<form action="https://evil.example"><input name=p></form>', "", id="form"),
    pytest.param('<object data="x.swf"></object><embed src="x.swf">', "", id="object-embed"),
    pytest.param('<base href="https://evil.example/">', "", id="base"),
    pytest.param('<meta http-equiv="refresh" content="0;url=https://evil.example">', "", id="meta-refresh"),
    pytest.param("<link rel=stylesheet href=https://evil.example/x.css>", "", id="link-stylesheet"),
    pytest.param('<p class="reference evil">x</p>', '<p class="reference">x</p>', id="unknown-class"),
    pytest.param("<!-- <script>alert(1)</script> --><p>x</p>", "<p>x</p>", id="comment"),
    pytest.param(
        '<table><tr><td background="javascript:alert(1)">x</td></tr></table>',
        "<table><tbody><tr><td>x</td></tr></tbody></table>",
        id="td-background",
    ),
]

KEPT = [
    pytest.param("<p>광주 <strong>AI</strong> 중심도시</p>", id="korean-text"),
    pytest.param('<p><a href="https://www.gwangju.go.kr/" rel="noopener noreferrer">City</a></p>', id="https-link"),
    pytest.param('<p><a href="mailto:press@gwangju.go.kr" rel="noopener noreferrer">m</a></p>', id="mailto"),
    pytest.param("<blockquote><p>q</p></blockquote>", id="blockquote"),
    pytest.param('<ul class="lead-points"><li>one</li></ul>', id="allowed-class"),
]


@pytest.mark.parametrize(("dirty", "clean"), CASES)
def test_body_is_sanitised_when_saved(make_clip, dirty, clean):
    clip = make_clip(body=dirty)
    clip.refresh_from_db()
    assert clip.body == clean
    assert sanitise_body(clip.body) == clean  # cleaning twice changes nothing


@pytest.mark.parametrize("html", KEPT)
def test_honest_markup_is_kept(make_clip, html):
    clip = make_clip(body=html)
    clip.refresh_from_db()
    assert clip.body == html


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [case for case in CASES if case.id in {"script", "javascript-tab-entity", "event-handlers", "iframe"}],
)
def test_body_is_sanitised_when_saved_through_the_admin(admin_client, dirty, clean):
    data = clip_form_data(body=dirty)
    assert admin_client.post(reverse("admin:news_newsclip_add"), data).status_code == 302
    assert NewsClip.objects.get(slug=data["slug"]).body == clean


def test_sanitised_body_renders_without_active_content(client, make_clip):
    clip = make_clip(body="".join(case.values[0] for case in CASES))
    html = client.get(clip.get_absolute_url()).content.decode()
    body = html.split('<div class="clip-body">', 1)[1].split("</div>", 1)[0]
    lowered = body.lower()
    for needle in ("<script", "onerror", "onclick", "javascript:", "<iframe", "<svg", "<style", "data:text"):
        assert needle not in lowered
