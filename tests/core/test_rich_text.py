"""Rich text: the editor's toolbar and the server's allow-list agree, the editor is told what
sanitising removed, and whatever is pasted is saved cleaned and renders."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from core.rich_text import ALLOW_LIST, EXTENSIONS, sanitise
from news.models import NewsClip
from policies.models import Objective
from projects.models import Project
from tests.helpers import clip_form_data

pytestmark = pytest.mark.django_db

# HTML as the editor serialises each toolbar item (and as it came out of a Word paste in Chromium).
TOOLBAR_OUTPUT = [
    pytest.param("<h2>Heading 2</h2><h3>Heading 3</h3><h4>Heading 4</h4>", id="headings"),
    pytest.param("<p><strong>bold</strong> and <em>italic</em></p>", id="marks"),
    pytest.param('<p><a href="https://www.gwangju.go.kr/" rel="noopener noreferrer">city</a></p>', id="link"),
    pytest.param('<p><a href="mailto:press@gwangju.go.kr" rel="noopener noreferrer">mail</a></p>', id="mail-link"),
    pytest.param("<ul><li><p>one</p></li><li><p>two</p></li></ul>", id="bullet-list"),
    pytest.param('<ol start="3"><li><p>three</p></li></ol>', id="numbered-list"),
    pytest.param("<ul><li><p>outer</p><ul><li><p>inner</p></li></ul></li></ul>", id="nested-list"),
    pytest.param("<blockquote><p>quoted</p></blockquote>", id="block-quote"),
    pytest.param("<p>before</p><hr><p>after</p>", id="rule"),
    pytest.param("<p>line<br>break</p>", id="hard-break"),
    pytest.param(
        '<table><tbody><tr><th colspan="1" rowspan="1"><p>Field</p></th><th colspan="2" rowspan="1"><p>N</p></th></tr>'
        '<tr><td colspan="1" rowspan="2"><p>Economy</p></td><td><p>25</p></td></tr></tbody></table>',
        id="table",
    ),
    pytest.param('<ul class="lead-points"><li><p>lead</p></li></ul><p class="reference">note</p>', id="block-styles"),
]


@pytest.mark.parametrize("html", TOOLBAR_OUTPUT)
def test_nothing_the_toolbar_makes_is_stripped(html):
    assert sanitise(html) == html


def test_the_allow_list_is_derived_from_the_toolbar():
    assert {"h2", "h3", "h4"} <= ALLOW_LIST["tags"] and "h1" not in ALLOW_LIST["tags"]
    assert EXTENSIONS["Heading"] == {"levels": [2, 3, 4]}
    assert ALLOW_LIST["allowed_classes"] == {"ul": {"lead-points"}, "p": {"reference"}}
    assert not any("style" in names or "class" in names for names in ALLOW_LIST["attributes"].values())


def post_clip(admin_client, body, **overrides):
    data = clip_form_data(body=body, _workflow="publish", **overrides)
    response = admin_client.post(reverse("admin:news_newsclip_add"), data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    return NewsClip.objects.get(slug=data["slug"]), [
        (m.level_tag, m.message) for m in get_messages(response.wsgi_request)
    ]


def test_the_editor_is_told_what_was_removed(admin_client):
    clip, messages = post_clip(
        admin_client,
        '<p onclick="steal()">Hello</p><iframe src="https://video.example/embed"></iframe><script>x()</script>'
        '<p><a href="javascript:alert(1)">link</a></p>',
    )
    assert clip.body == '<p>Hello</p><p><a rel="noopener noreferrer">link</a></p>'
    warnings = [text for level, text in messages if level == "warning"]
    assert warnings == [
        "Body: an embedded video or page (iframe), a script, event handlers (onclick) and unsafe link addresses "
        "(only web, e-mail and phone links are kept) were removed: they are not allowed in news clip text. "
        "The rest was saved."
    ]
    assert any(level == "success" for level, _ in messages)


def test_clean_markup_saves_without_a_warning(admin_client):
    _, messages = post_clip(admin_client, "<h2>Title</h2><p><strong>Kept</strong></p>")
    assert [level for level, _ in messages] == ["success"]


@pytest.mark.parametrize(
    ("pasted", "stored"),
    [
        pytest.param(
            "<!--[if gte mso 9]><xml><o:OfficeDocumentSettings/></xml><![endif]-->"
            '<p class="MsoNormal" style="mso-margin-top-alt:auto"><span style="mso-bidi-font-weight:bold">Word'
            "</span><o:p></o:p></p>",
            "<p>Word</p>",
            id="word-mso-markup",
        ),
        pytest.param('<p>photo <img src="data:image/png;base64,iVBORw0KGgo="></p>', "<p>photo </p>", id="data-image"),
        pytest.param(
            '<p><a href="javascript:alert(1)">x</a></p>', '<p><a rel="noopener noreferrer">x</a></p>', id="js"
        ),
        pytest.param("<p>Shift\x0bEnter\x00</p>", "<p>Shift\nEnter</p>", id="control-characters"),
        pytest.param("<p></p>", "", id="empty-editor"),
    ],
)
def test_pasted_content_is_saved_cleaned_and_renders(admin_client, client, pasted, stored):
    clip, _ = post_clip(admin_client, pasted) if stored else (None, None)
    if not stored:  # an empty body is a form error, not an empty clip
        data = clip_form_data(body=pasted)
        response = admin_client.post(reverse("admin:news_newsclip_add"), data)
        assert response.status_code == 200 and "body" in response.context["adminform"].form.errors
        return
    assert clip.body == stored
    assert client.get(clip.get_absolute_url()).status_code == 200


def test_ten_thousand_paragraphs_are_saved_and_render(admin_client, client):
    clip, _ = post_clip(admin_client, "".join(f"<p>Paragraph {n}</p>" for n in range(10_000)))
    assert clip.body.count("<p>") == 10_000
    assert client.get(clip.get_absolute_url()).status_code == 200


def test_deeply_nested_lists_are_saved_and_render(admin_client, client):
    # 100 elements deep, the most rich text may nest (core.rich_text.MAX_NESTING; deeper is a form error).
    clip, _ = post_clip(admin_client, "<ul><li>" * 50 + "deep" + "</li></ul>" * 50)
    assert "deep" in clip.body
    assert client.get(clip.get_absolute_url()).status_code == 200


def test_a_large_paste_is_saved_cleaned(admin_client):
    # A long report with Word's styles on every paragraph: about 0.9 MB as submitted, just under
    # the bound (core.rich_text.MAX_HTML_CHARACTERS; more is a form error).
    paragraph = '<p style="mso-margin-top-alt:auto;margin-bottom:0cm">' + "Gwangju " * 50 + "</p>"
    clip, messages = post_clip(admin_client, paragraph * 2_000)
    assert clip.body.count("<p>") == 2_000 and "mso" not in clip.body
    assert any("inline styles" in text for _, text in messages)


def test_a_paste_over_the_request_limit_is_refused_with_400(admin_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000_000
    data = clip_form_data(body="<p>" + "x" * 1_100_000 + "</p>")
    assert admin_client.post(reverse("admin:news_newsclip_add"), data).status_code == 400
    assert not NewsClip.objects.filter(slug=data["slug"]).exists()


def test_seed_project_and_objective_pages_render_paragraphs(client, seeded):
    project = Project.objects.get(slug="second-subway-line")
    page = client.get(project.get_absolute_url()).content.decode()
    assert "<p>All the necessary procedures within the central government are complete" in page
    assert "&lt;p&gt;" not in page
    objective = Objective.objects.get(number=1)
    page = client.get(objective.get_absolute_url()).content.decode()
    assert "&lt;p&gt;" not in page and "<p>Make this year" in page


def test_project_and_objective_admins_use_the_editor_and_sanitise(admin_client, seeded):
    objective = Objective.objects.get(number=1)
    url = reverse("admin:policies_objective_change", args=[objective.pk])
    assert "data-django-prose-editor-configurable" in admin_client.get(url).content.decode()
    project = Project.objects.get(slug="second-subway-line")
    url = reverse("admin:projects_project_change", args=[project.pk])
    assert "data-django-prose-editor-configurable" in admin_client.get(url).content.decode()
    Project.objects.filter(pk=project.pk).update(body="<p>x</p>")
    project.body = '<p style="color:red">Shown <script>x()</script></p>'
    project.save()
    project.refresh_from_db()
    assert project.body == "<p>Shown </p>"
