"""Control characters pasted into any text field are gone on save, and never reach a feed, JSON-LD or a page."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import models
from django.urls import reverse

from news.models import NewsClip
from policies.models import Field, Principle
from projects.models import Milestone
from tests.helpers import clip_form_data, image_bytes, pdf_bytes, upload

pytestmark = pytest.mark.django_db

# What Word, HWP and web pages leave in copied text: vertical tab (Shift+Enter), form feed,
# NUL, other C0 controls, DEL, C1 controls (NEL, CSI), and XML's forbidden noncharacters.
PASTED = "광주\x0bGwangju\x00\x01\x08\x0e\x1f\x7f\x9b\ufffe\uffff city"
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def test_line_breaking_controls_become_a_space_in_a_title_and_a_line_break_in_text(make_clip):
    clip = make_clip(title=f"Title {PASTED}", highlights=f"One\tline {PASTED}\r\nTwo\x0cThree\x85Four")
    clip.refresh_from_db()
    assert clip.title == "Title 광주 Gwangju city"  # normal text and Hangul intact
    assert clip.highlights == "One\tline 광주\nGwangju city\r\nTwo\nThree\nFour"  # tab, CR and LF are kept


@pytest.fixture
def every_content_row(make_clip, make_photo, make_attachment, make_project, make_objective, make_achievement):
    clip = make_clip()
    project = make_project()
    field = Field.objects.create(number=2, name="Culture", slug="culture")
    return [
        clip,
        make_photo(clip),
        make_attachment(clip),
        project,
        Milestone.objects.create(project=project, date="2019-07-01", title="Groundbreaking"),
        make_objective(1),
        field,
        make_achievement(1, field=field),
        Principle.objects.create(kind=Principle.Kind.VALUE, title="Participation"),
    ]


def test_every_text_field_of_every_content_model_loses_control_characters_on_save(every_content_row):
    checked = set()
    for row in every_content_row:
        text_fields = [
            field
            for field in row._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField) and not field.choices
        ]
        for field in text_fields:
            value = getattr(row, field.attname)
            setattr(row, field.attname, value[: field.max_length - len(PASTED)] if field.max_length else value)
            setattr(row, field.attname, getattr(row, field.attname) + PASTED)
        row.save()
        row.refresh_from_db()
        for field in text_fields:
            stored = getattr(row, field.attname)
            assert not CONTROL.search(stored), (row._meta.label, field.name, stored)
            if field.editable:  # a clip's excerpt is made from its body
                assert "광주" in stored and "Gwangju city" in stored, (row._meta.label, field.name, stored)
            checked.add(f"{row._meta.label}.{field.name}")
    expected = {"news.NewsClip.title", "news.ClipImage.alt_text", "news.Attachment.title", "policies.Principle.title"}
    assert expected | {"projects.Milestone.title", "policies.Field.name"} <= checked


def test_admin_saves_clean_values_from_a_pasted_clip(admin_client):
    """NUL aside, which Django's form fields already refuse with a message ("Null characters are not allowed")."""
    pasted = PASTED.replace("\x00", "")
    data = clip_form_data(
        title=f"Pasted {pasted}",
        subtitle=pasted,
        highlights=pasted,
        author_name=f"Press{pasted}",
        body=f"<p>Body {pasted}</p>",
        images=[{"image": upload("p.jpg", image_bytes()), "alt_text": pasted, "caption": pasted}],
        attachments=[{"file": upload("r.pdf", pdf_bytes()), "title": pasted}],
    )
    response = admin_client.post(reverse("admin:news_newsclip_add"), data)
    assert response.status_code == 302, response.context["errors"]
    clip = NewsClip.objects.get(slug=data["slug"])
    assert clip.title == "Pasted 광주 Gwangju city"
    for value in [clip.subtitle, clip.highlights, clip.author_name, clip.body, clip.excerpt]:
        assert not CONTROL.search(value), value
    assert "Body 광주" in clip.body
    photo, attachment = clip.images.get(), clip.attachments.get()
    assert photo.alt_text == photo.caption == attachment.title == "광주 Gwangju city"
    change_form = admin_client.get(reverse("admin:news_newsclip_change", args=[clip.pk])).content.decode()
    assert 'value="Pasted 광주 Gwangju city"' in change_form


def test_a_title_of_control_characters_only_is_a_form_error(admin_client):
    response = admin_client.post(reverse("admin:news_newsclip_add"), clip_form_data(title="\x0b\x7f\x9b"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["title"] == ["This field cannot be blank."]
    assert not NewsClip.objects.exists()


def test_body_html_loses_control_characters_when_sanitised(make_clip):
    clip = make_clip(body=f'<p title="a\x00b">Body\x00 {PASTED}</p><p>two\x0bthree</p>')
    assert not CONTROL.search(clip.body)
    assert "<p>two\nthree</p>" in clip.body


def test_feed_and_json_ld_stay_valid_with_a_pasted_clip(client, make_clip):
    clip = make_clip(title=f"Feed {PASTED}", subtitle=PASTED, author_name=PASTED, body=f"<p>{PASTED}</p>")
    feed = client.get(reverse("news:feed"))
    assert feed.status_code == 200
    titles = [item.findtext("title") for item in ET.fromstring(feed.content).iter("item")]
    assert titles == ["Feed 광주 Gwangju city"]
    page = client.get(clip.get_absolute_url()).content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.DOTALL)
    for raw_json in blocks:
        assert not re.search(r"\\u00[01][0-9a-f]|\\u007f|\\u00[89][0-9a-f]", raw_json)
    article = next(data for data in map(json.loads, blocks) if data.get("@type") == "NewsArticle")
    assert article["headline"] == "Feed 광주 Gwangju city"
    assert not CONTROL.search(page)


def test_feed_stays_valid_for_a_row_saved_before_the_fix(client, make_clip):
    """Rows written before control characters were removed, or by a bulk update, cannot break the feed."""
    clip = make_clip(title="Old clip")
    stored = PASTED.replace("\x00", "")  # PostgreSQL cannot store NUL at all
    NewsClip.objects.filter(pk=clip.pk).update(title=f"Old {stored}", author_name=stored, subtitle=stored)
    feed = client.get(reverse("news:feed"))
    assert feed.status_code == 200
    assert [item.findtext("title") for item in ET.fromstring(feed.content).iter("item")] == ["Old 광주 Gwangju city"]
