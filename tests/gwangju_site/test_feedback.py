"""'Was this page helpful?': stored with the page and time only, guarded without a CSRF token."""

import csv
import io

import pytest
from django.core.cache import cache
from django.urls import reverse

from gwangju_site.models import Feedback

pytestmark = pytest.mark.django_db

URL = "/feedback/"
SAME_SITE = {"HTTP_ORIGIN": "http://testserver"}


def post(client, data, **headers):
    return client.post(URL, data, **{**SAME_SITE, **headers})


def test_every_content_page_asks_and_posts_without_javascript(client, seeded):
    for url in [
        "/",
        "/news/",
        seeded.get_absolute_url(),
        "/policies/",
        "/policies/achievements/",
        "/policies/objectives/1/",
        "/projects/",
        "/projects/second-subway-line/",
        "/accessibility/",
    ]:
        html = client.get(url).content.decode()
        assert "Was this page helpful?" in html, url
        assert f'<form class="feedback-ask" method="post" action="{URL}">' in html, url
        assert f'name="page" value="{url}"' in html, url


def test_yes_is_stored_and_the_reader_goes_back_to_the_page_with_thanks(client, seeded):
    page = seeded.get_absolute_url()
    response = post(client, {"page": page, "helpful": "yes"})
    assert response.status_code == 302
    assert response["Location"] == f"{page}#feedback-thanks"
    entry = Feedback.objects.get()
    assert (entry.page_path, entry.page_title, entry.helpful, entry.comment) == (page, seeded.title, True, "")


def test_no_asks_what_the_reader_was_looking_for(client, seeded):
    page = seeded.get_absolute_url()
    response = post(client, {"page": page, "helpful": "no"})
    assert response["Location"] == f"{page}#feedback-more"
    response = post(client, {"page": page, "comment": "The budget of the subway line"})
    assert response["Location"] == f"{page}#feedback-thanks"
    assert list(Feedback.objects.order_by("id").values_list("helpful", "comment")) == [
        (False, ""),
        (None, "The budget of the subway line"),
    ]


def test_javascript_gets_json(client, seeded):
    response = post(client, {"page": "/news/", "helpful": "no"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 201
    assert response.json() == {"ok": True, "ask_more": True}


def test_no_personal_data_is_stored_and_no_cookie_is_set(client, seeded):
    response = post(client, {"page": "/", "helpful": "yes"}, REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Agent/1")
    assert not response.cookies
    assert {f.name for f in Feedback._meta.get_fields()} == {
        "id",
        "page_path",
        "page_title",
        "helpful",
        "comment",
        "created",
    }
    stored = " ".join(str(v) for v in Feedback.objects.values().get().values())
    assert "203.0.113.9" not in stored and "Agent/1" not in stored
    assert not any("203.0.113.9" in str(key) for key in getattr(cache, "_cache", {}))


def test_pages_with_the_form_stay_free_of_cookies_and_tokens(client, seeded):
    response = client.get(seeded.get_absolute_url())
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in response.content.decode()


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_REFERER": "https://evil.example/page"},
        {},  # neither Origin nor Referer
    ],
)
def test_a_post_from_another_site_is_refused(client, seeded, headers):
    response = client.post(URL, {"page": "/", "helpful": "yes"}, **headers)
    assert response.status_code == 403
    assert not Feedback.objects.exists()


def test_a_same_site_referer_is_enough_when_there_is_no_origin(client, seeded):
    response = client.post(URL, {"page": "/", "helpful": "yes"}, HTTP_REFERER="http://testserver/")
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"page": "/"}, 400),  # no answer, no comment
        ({"page": "/", "comment": "   "}, 400),
        ({"page": "/", "comment": "x" * 100_000}, 400),
        ({"page": "/", "helpful": "maybe"}, 400),
        ({"helpful": "yes"}, 400),  # no page
        ({"page": "/no-such-page/", "helpful": "yes"}, 404),
        ({"page": "/news/no-such-clip/", "helpful": "yes"}, 404),
        ({"page": "https://evil.example/", "helpful": "yes"}, 404),
        ({"page": "//evil.example/", "helpful": "yes"}, 404),
        ({"page": "/search/", "helpful": "yes"}, 404),  # not a page that asks
        ({"page": "/\x00", "helpful": "yes"}, 400),
    ],
)
def test_bad_input_gets_a_clear_answer_and_stores_nothing(client, seeded, data, status):
    response = post(client, data)
    assert response.status_code == status
    assert not Feedback.objects.exists()


def test_a_draft_page_is_a_404_and_nothing_leaks(client, make_clip):
    draft = make_clip(status="draft", title="Secret plan")
    response = post(client, {"page": draft.get_absolute_url(), "helpful": "yes"})
    assert response.status_code == 404
    assert "Secret plan" not in response.content.decode()
    assert not Feedback.objects.exists()


def test_html_and_control_characters_are_stored_as_text_and_shown_escaped(client, admin_client, seeded):
    post(client, {"page": "/", "comment": "<script>alert(1)</script>\x07\x1b done"})
    entry = Feedback.objects.get()
    assert entry.comment == "<script>alert(1)</script> done"
    html = admin_client.get(reverse("admin:gwangju_site_feedback_summary")).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html


def test_too_many_posts_from_one_address_get_429_not_500(client, seeded, settings):
    settings.FEEDBACK_MAX_PER_MINUTE = 5
    statuses = [post(client, {"page": "/", "helpful": "yes"}).status_code for _ in range(8)]
    assert statuses == [302] * 5 + [429] * 3
    assert Feedback.objects.count() == 5
    # Another address is not held back by the first one's posts.
    assert post(client, {"page": "/", "helpful": "yes"}, REMOTE_ADDR="198.51.100.7").status_code == 302


def test_ask_for_an_accessible_version_names_the_file(client, seeded):
    attachment = seeded.attachments.first()
    html = client.get(seeded.get_absolute_url()).content.decode()
    link = f"{URL}?attachment={attachment.pk}"
    assert link in html
    form = client.get(link)
    assert form.status_code == 200
    text = form.content.decode()
    assert attachment.original_name in text
    assert f'value="{seeded.get_absolute_url()}"' in text


def test_asking_about_an_attachment_of_a_draft_is_a_404(client, make_clip, make_attachment):
    attachment = make_attachment(make_clip(status="draft"))
    assert client.get(f"{URL}?attachment={attachment.pk}").status_code == 404
    assert client.get(f"{URL}?attachment=abc").status_code == 404


def test_admin_summary_shows_helpful_share_and_recent_comments(client, admin_client, seeded):
    page = seeded.get_absolute_url()
    for answer in ["yes", "yes", "yes", "no"]:
        post(client, {"page": page, "helpful": answer})
    post(client, {"page": page, "comment": "Where is the full list?"})
    html = admin_client.get(reverse("admin:gwangju_site_feedback_summary")).content.decode()
    assert seeded.title in html
    assert "75%" in html
    assert "Where is the full list?" in html


def test_admin_summary_queries_do_not_grow_with_pages(client, admin_client, seeded, django_assert_max_num_queries):
    for url in ["/", "/news/", "/policies/", "/projects/"]:
        post(client, {"page": url, "comment": f"About {url}"})
    cache.clear()
    with django_assert_max_num_queries(8):
        assert admin_client.get(reverse("admin:gwangju_site_feedback_summary")).status_code == 200


def test_admin_exports_csv_safe_for_spreadsheets(client, admin_client, seeded):
    post(client, {"page": "/", "comment": '=HYPERLINK("http://evil")'})
    post(client, {"page": "/news/", "helpful": "yes"})
    response = admin_client.get(reverse("admin:gwangju_site_feedback_export"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["created", "page", "page title", "helpful", "comment"]
    assert {(r[1], r[3], r[4]) for r in rows[1:]} == {("/", "", '\'=HYPERLINK("http://evil")'), ("/news/", "yes", "")}


def test_feedback_is_read_only_in_the_admin(admin_client, seeded):
    assert admin_client.get(reverse("admin:gwangju_site_feedback_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:gwangju_site_feedback_add")).status_code == 403


def test_the_public_cannot_read_the_summary(client):
    response = client.get(reverse("admin:gwangju_site_feedback_summary"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
